/**
Every request of a rendered page passes here (Playwright's route interception):
the page's own document is answered with the bytes imgscrape already fetched
(robots.txt, retries and redirects applied), the rest waits for its host's turn
at the run's gate, and with `blockThirdParty` requests to other hosts are refused.
*/

import type {BrowserContext, Request, Route} from 'playwright-core';
import {hostKey, type HostGate, type Release} from '../http/host-gate.js';
import type {FetchedPage} from '../http/client.js';
import {firstHeader} from '../http/headers.js';

export interface RoutingOptions {
	/** The page as fetched: the browser's navigation to its URL is answered with it. */
	document: FetchedPage;
	/** The run's per-host gate; undefined for none. */
	gate: HostGate | undefined;
	blockThirdParty: boolean;
	/** Host names (any port) besides the page's own that a blocking visit lets through. */
	allowHost: readonly string[];
	signal: AbortSignal;
}

/** Route the context's requests; the returned function frees the gate's places still held, once the visit is over. */
export async function routeRequests(context: BrowserContext, options: RoutingOptions): Promise<() => void> {
	const {document, gate, signal} = options;
	const pageHost = hostKey(document.url);
	const held = new Map<Request, Release>();
	let documentServed = false;
	const end = (request: Request) => {
		held.get(request)?.();
		held.delete(request);
	};

	context.on('requestfinished', end);
	context.on('requestfailed', end);
	// The page's own navigations stay allowed (a script may move it on); a frame's to another host does not.
	const allowed = (request: Request, url: URL) =>
		url.host === pageHost ||
		options.allowHost.includes(url.hostname) ||
		request.resourceType() === 'image' ||
		(request.isNavigationRequest() && mainFrame(request));

	await context.route('**/*', async (route: Route, request: Request) => {
		const url = new URL(request.url());
		if (!documentServed && request.isNavigationRequest() && request.url() === document.url) {
			documentServed = true;
			await route.fulfill({status: 200, contentType: firstHeader(document.headers, 'content-type') ?? 'text/html', body: document.bytes}).catch(() => {});
			return;
		}

		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			await route.continue().catch(() => {});
			return;
		}

		if (options.blockThirdParty && !allowed(request, url)) {
			await route.abort('blockedbyclient').catch(() => {});
			return;
		}

		if (gate !== undefined) {
			try {
				held.set(request, await gate.acquire(hostKey(url), signal));
			} catch {
				// The visit is over: the request goes nowhere.
				await route.abort('aborted').catch(() => {});
				return;
			}
		}

		await route.continue().catch(() => {
			end(request);
		});
	});

	return () => {
		for (const release of held.values()) {
			release();
		}

		held.clear();
	};
}

function mainFrame(request: Request): boolean {
	try {
		return request.frame().parentFrame() === null;
	} catch {
		// A worker's request has no frame.
		return false;
	}
}
