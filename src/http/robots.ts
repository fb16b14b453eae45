/**
robots.txt, as RFC 9309 says: fetched once per origin and kept for the run; a
missing file (4xx) allows everything, an unreachable one (5xx, network error)
disallows everything. Matching is robots-parser's, not ours.
*/

import robotsParserModule from 'robots-parser';
import {ScrapeError, toScrapeError} from '../errors.js';

/** Where robots.txt applies: to pages (the default), to images too, or nowhere. */
export type RobotsMode = 'pages' | 'strict' | 'ignore';

/** What a request is for; robots.txt itself is never checked against robots.txt. */
export type RequestPurpose = 'page' | 'image' | 'robots';

// robots-parser is CommonJS (`module.exports = function`) but its types declare a default export: the import is the function.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** RFC 9309 §2.5: crawlers must parse at least 500 KiB; the rest may be ignored. */
const maxRobotsBytes = 500 * 1024;

export interface RobotsOptions {
	mode: RobotsMode;
	/** The User-Agent; groups match on its product token (`imgscrape` of `imgscrape/1.0 (...)`). */
	userAgent: string;
	/** GET a robots.txt URL through the run's client (redirects followed, 2xx only), keeping its first `maxBytes`. */
	fetch(url: string, maxBytes: number, signal: AbortSignal | undefined): Promise<Uint8Array>;
	/** The run's signal: a fetch shared by many requests stops only when the run does. */
	signal?: AbortSignal | undefined;
	/** The longest Crawl-delay honoured, in ms: a site that asks for more is disallowed as a whole. */
	maxCrawlDelay: number;
	/** Told an origin's Crawl-delay in ms, once, when its robots.txt names one for us; `honoured` is false past `maxCrawlDelay`. */
	onCrawlDelay?(origin: string, ms: number, honoured: boolean): void;
}

export interface Robots {
	/** Resolves when robots.txt lets `url` be fetched for `purpose`; rejects with code `robots` when it does not. */
	check(url: URL, purpose: RequestPurpose, signal?: AbortSignal): Promise<void>;
}

/** The verdict for one origin: the error to fail a disallowed URL with. */
type Rules = {allows(url: string): boolean; refusal(url: string): ScrapeError};

const allowAll: Rules = {allows: () => true, refusal: url => new ScrapeError('robots', 'allowed', {url})};

function disallowAll(refusal: Rules['refusal']): Rules {
	return {allows: () => false, refusal};
}

/** A robots.txt that could not be reached over the network says nothing about the site: asked again by the next request. */
const transient = new WeakSet<Rules>();

/** Wait for a shared promise, but give up when this request's own signal aborts. */
async function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (signal === undefined) {
		return promise;
	}

	signal.throwIfAborted();
	let onAbort!: () => void;
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, {once: true});
	});
	try {
		return await Promise.race([promise, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

export function createRobots(options: RobotsOptions): Robots {
	const byOrigin = new Map<string, Promise<Rules>>();

	async function load(origin: string): Promise<Rules> {
		const robotsUrl = `${origin}/robots.txt`;
		let text: string;
		try {
			text = Buffer.from(await options.fetch(robotsUrl, maxRobotsBytes, options.signal)).toString('utf8');
		} catch (error) {
			const cause = toScrapeError(error, robotsUrl);
			const {code, message} = cause;
			if (code === 'aborted') {
				throw error;
			}

			// 429 asks us to slow down rather than saying there are no rules: treat it as unreachable, as the big crawlers do.
			if (code.startsWith('http-4') && code !== 'http-429') {
				return allowAll;
			}

			if (code.startsWith('http-')) {
				return disallowAll(url => new ScrapeError('robots', `${robotsUrl} answered HTTP ${code.slice(5)}, so the site counts as disallowed (RFC 9309)`, {url}));
			}

			// Not fetched, as RFC 9309 wants; but the failure is the network's, and says so.
			const rules = disallowAll(url => new ScrapeError(code, `robots.txt unreachable: ${message}`, {url, cause}));
			transient.add(rules);
			return rules;
		}

		const parsed = robotsParser(robotsUrl, text);
		const delay = parsed.getCrawlDelay(options.userAgent);
		// `Crawl-delay: 1e999` parses as Infinity: past any cap, not "no delay".
		if (typeof delay === 'number' && delay > 0) {
			const ms = delay * 1000;
			const honoured = ms <= options.maxCrawlDelay;
			options.onCrawlDelay?.(origin, ms, honoured);
			if (!honoured) {
				// Waiting that long between requests would park the run for hours: skipping the site is the polite answer that ends.
				const message = `${robotsUrl} asks for a Crawl-delay of ${delay} s, past the ${options.maxCrawlDelay / 1000} s honoured (--max-crawl-delay): the site is skipped`;
				return disallowAll(url => new ScrapeError('robots', message, {url}));
			}
		}

		return {
			allows: url => parsed.isAllowed(url, options.userAgent) !== false,
			refusal: url => new ScrapeError('robots', `disallowed by ${robotsUrl}`, {url}),
		};
	}

	return {
		async check(url, purpose, signal) {
			if (options.mode === 'ignore' || purpose === 'robots' || (purpose === 'image' && options.mode !== 'strict')) {
				return;
			}

			if (url.protocol !== 'http:' && url.protocol !== 'https:') {
				return;
			}

			let rules = byOrigin.get(url.origin);
			if (rules === undefined) {
				const loading = load(url.origin);
				rules = loading;
				byOrigin.set(url.origin, loading);
				loading.then(
					verdict => {
						if (transient.has(verdict) && byOrigin.get(url.origin) === loading) {
							byOrigin.delete(url.origin);
						}
					},
					() => {
						// Only the run's abort rejects it, and then nobody waits.
					},
				);
			}

			const verdict = await raceSignal(rules, signal);
			if (!verdict.allows(url.href)) {
				throw verdict.refusal(url.href);
			}
		},
	};
}
