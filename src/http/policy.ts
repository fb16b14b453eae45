/**
The request policy: what every request, redirect hops included, goes through
before it is sent (robots.txt, the per-host gate, the headers) and after its
headers arrive (Set-Cookie). The HTTP client calls it and knows nothing more.
*/

import type {CookieJar} from 'tough-cookie';
import type {Headers, Warning} from '../types.js';
import {firstHeader, parseRetryAfter} from './headers.js';
import {createHostGate, hostKey, type HostGate, type Release} from './host-gate.js';
import {createIdentity, type HeaderLine, type Identity} from './identity.js';
import {createRobots, type RequestPurpose, type Robots, type RobotsMode} from './robots.js';

export type {RequestPurpose} from './robots.js';

export interface RequestPolicy {
	/**
	Get one request ready: robots.txt allows it, the host's turn has come. Resolves
	with the headers to send and the release to call once its response is over;
	rejects with code `robots`, or with the signal's reason.
	*/
	begin(
		url: string,
		options: {purpose: RequestPurpose; headers?: Record<string, string> | undefined; signal?: AbortSignal | undefined},
	): Promise<{headers: Record<string, string>; release: Release}>;
	/** A response's headers arrived (of a redirect too). */
	received(url: string, headers: Headers): Promise<void>;
}

export interface PolicyOptions {
	userAgent: string;
	headers: readonly HeaderLine[];
	referer: string | false | undefined;
	jar: CookieJar;
	/** Cookies reach the jar from elsewhere too (a browser's, with `render`). */
	jarShared?: boolean | undefined;
	perHost: number;
	/** Least ms between two request starts to one host, from `delay` and `rate`. */
	interval: number;
	/** Vary each interval between 0.5 and 1.5 times itself. @default false */
	randomWait?: boolean | undefined;
	/** A gate to share with other runs; by default one of the policy's own, from `perHost` and `interval`. */
	gate?: HostGate | undefined;
	robots: RobotsMode;
	/** The longest robots.txt Crawl-delay honoured, in ms. */
	maxCrawlDelay: number;
	/** The longest pause a Retry-After may ask of a shared gate (`holdFor`), in ms. */
	maxRetryAfter?: number | undefined;
	/** Told when a site's Crawl-delay slows its requests, or is past `maxCrawlDelay` and skips the site. */
	onWarning?(warning: Warning): void;
	/** The run's signal, for the robots.txt fetches many requests share. */
	signal?: AbortSignal | undefined;
	/** How robots.txt is fetched: the run's client, which goes through this same policy. */
	fetch(url: string, maxBytes: number, options: {purpose: RequestPurpose; signal?: AbortSignal | undefined}): Promise<Uint8Array>;
}

export function createRequestPolicy(options: PolicyOptions): RequestPolicy {
	const gate: HostGate = options.gate ?? createHostGate({perHost: options.perHost, interval: options.interval, randomWait: options.randomWait});
	const identity: Identity = createIdentity(options);
	const robots: Robots = createRobots({
		mode: options.robots,
		userAgent: options.userAgent,
		maxCrawlDelay: options.maxCrawlDelay,
		signal: options.signal,
		fetch: async (url, maxBytes, signal) => options.fetch(url, maxBytes, {purpose: 'robots', signal}),
		onCrawlDelay(origin, ms, honoured) {
			const host = hostKey(origin);
			const url = `${origin}/robots.txt`;
			const seconds = `${ms / 1000} s`;
			if (!honoured) {
				options.onWarning?.({
					code: 'crawl-delay-capped',
					url,
					message: `${host} asks for a Crawl-delay of ${seconds}, past the ${options.maxCrawlDelay / 1000} s honoured (--max-crawl-delay): its pages fail as robots`,
				});
				return;
			}

			if (ms > options.interval) {
				gate.setMinimumInterval(host, ms);
				options.onWarning?.({code: 'crawl-delay', url, message: `${host} asks for a Crawl-delay of ${seconds}: its requests start at least ${seconds} apart`});
			}
		},
	});

	return {
		async begin(url, {purpose, headers, signal}) {
			const target = new URL(url);
			// robots.txt first: its own fetch takes a turn at the gate, and its Crawl-delay governs this request.
			await robots.check(target, purpose, signal);
			const release = await gate.acquire(hostKey(target), signal);
			try {
				return {headers: await identity.headersFor(target, headers), release};
			} catch (error) {
				release();
				throw error;
			}
		},
		async received(url, headers) {
			const pause = gate.holdFor === undefined ? undefined : parseRetryAfter(firstHeader(headers, 'retry-after'));
			if (pause !== undefined && pause > 0) {
				gate.holdFor!(hostKey(url), Math.min(pause, options.maxRetryAfter ?? pause));
			}

			await identity.received(url, headers);
		},
	};
}
