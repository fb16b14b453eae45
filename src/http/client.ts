import {performance} from 'node:perf_hooks';
import {ScrapeError, toScrapeError} from '../errors.js';
import {reasonOf} from '../report/reasons.js';
import type {Headers, RequestRecord} from '../types.js';
import type {BandwidthLimit} from './bandwidth.js';
import {acceptEncoding} from './body.js';
import {DescriptorLimit} from './descriptors.js';
import {createDispatcher, type DispatcherOptions} from './dispatcher.js';
import {exchange, type BodySink, type ExchangeLimits, type ResponseHead} from './exchange.js';
import type {RequestPolicy, RequestPurpose} from './policy.js';
import {firstHeader, parseRetryAfter} from './headers.js';

/** Kept here too, where it was first exported. */
export {parseRetryAfter} from './headers.js';

export type {BodySink, ResponseHead} from './exchange.js';

export interface HttpClientOptions extends DispatcherOptions {
	/** Connect, headers and body-idle timeout in ms, and the window of the low-speed rule. */
	timeout: number;
	/** Least bytes per second over each `timeout` window of a body; 0 for none. @default 0 */
	minSpeed?: number | undefined;
	/** Most times a body may decode to what was received, once past 10 MiB decoded; 0 for no limit. @default 0 */
	maxRatio?: number | undefined;
	userAgent: string;
	/** Redirects followed before giving up. */
	maxRedirects: number;
	/** robots.txt, per-host limits, headers and cookies for every request and redirect hop; only the User-Agent when absent. */
	policy?: RequestPolicy | undefined;
	/** Told of every request sent (each redirect hop and retry), once its answer is over or it failed: `--verbose`'s lines. */
	onRequest?: ((request: RequestRecord) => void) | undefined;
	/** The run's bandwidth limit, shared by every body this client reads. @default none */
	bandwidth?: BandwidthLimit | undefined;
}

/** A whole response body, for pages. */
export interface FetchedPage {
	/** The URL that answered, after redirects: the base for the page's relative URLs. */
	url: string;
	headers: Headers;
	bytes: Buffer;
}

export interface RequestOptions {
	signal?: AbortSignal | undefined;
	headers?: Record<string, string> | undefined;
	/** What the request is for, which decides whether robots.txt applies. @default 'image' */
	purpose?: RequestPurpose | undefined;
	/** Where redirects may lead: a hop to a URL this refuses fails as `redirect`. @default anywhere http(s) */
	scope?: ((url: string) => boolean) | undefined;
}

export interface HttpClient {
	/**
	GET a URL, following redirects, and hand its body to `sink` as it arrives.
	Resolves with the head once the sink has the whole body; any status but 2xx
	rejects with `http-NNN`, and every failure is a `ScrapeError`.
	*/
	fetch(url: string, sink: BodySink, options?: RequestOptions): Promise<ResponseHead>;
	/** GET a URL and read the whole body: past `maxBytes` it fails as `too-large`, or with `cut` keeps only the first `maxBytes`. */
	getBytes(url: string, maxBytes: number, options?: RequestOptions & {cut?: boolean}): Promise<FetchedPage>;
	/** Close every connection. */
	close(): Promise<void>;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
One undici dispatcher for the whole run, shared by the page and download
pools, so connections to a host are kept alive and reused across both.
*/
export function createHttpClient(options: HttpClientOptions): HttpClient {
	const {maxRedirects, onRequest} = options;
	let agent = createDispatcher(options);
	/** Dispatchers replaced after a shortage of descriptors, closing once their requests are done. */
	const retired: Array<Promise<void>> = [];
	const limits: ExchangeLimits = {timeout: options.timeout, minSpeed: options.minSpeed ?? 0, maxRatio: options.maxRatio ?? 0};
	const descriptors = new DescriptorLimit();
	const policy: RequestPolicy = options.policy ?? {
		begin: async (_url, {headers}) => ({headers: {'user-agent': options.userAgent, ...headers}, release() {}}),
		async received() {},
	};

	async function fetch(url: string, given: BodySink, requestOptions: RequestOptions = {}): Promise<ResponseHead> {
		const {signal, headers, purpose = 'image', scope} = requestOptions;
		const sink = options.bandwidth === undefined ? given : throttled(given, options.bandwidth, signal);
		const chain = [url];
		let current = url;
		for (;;) {
			let head: ResponseHead;
			try {
				const ticket = await policy.begin(current, {purpose, headers: {'accept-encoding': acceptEncoding, ...headers}, signal});
				try {
					// After the ticket, whose robots.txt fetch takes a place of its own: a place held while waiting for another could deadlock.
					const permit = await descriptors.acquire(signal);
					let exhausted = false;
					const watch = onRequest === undefined ? undefined : watchRequest(sink);
					try {
						// The request holds its place at the host until its body is read or dropped.
						head = await exchange(agent, {
							url: current,
							headers: ticket.headers,
							signal,
							sink: watch?.sink ?? sink,
							limits,
							received: async ({url, headers}) => policy.received(url, headers),
						});
						watch?.report(onRequest!, current, purpose, head.status);
					} catch (error) {
						const scrapeError = toScrapeError(error, current);
						exhausted = scrapeError.exhausted;
						if (scrapeError.code !== 'aborted' || signal?.aborted !== true) {
							watch?.report(onRequest!, current, purpose, watch.status, scrapeError);
						}

						throw scrapeError;
					} finally {
						if (descriptors.release(permit, exhausted)) {
							// Idle keep-alive connections hold descriptors too: a fresh dispatcher lets them go at once, while the old one finishes what it has in flight.
							retired.push(agent.close().catch(() => {}));
							agent = createDispatcher(options);
						}
					}
				} finally {
					ticket.release();
				}
			} catch (error) {
				throw unaskedAbort(toScrapeError(error, current), signal);
			}

			const {status, headers: responseHeaders} = head;
			if (status < 300) {
				return head;
			}

			const location = firstHeader(responseHeaders, 'location');
			if (redirectStatuses.has(status) && location !== undefined) {
				current = followRedirect(chain, current, location, maxRedirects, url);
				if (scope !== undefined && !scope(current)) {
					throw new ScrapeError('redirect', `redirect leaves the crawl's hosts: ${chain.join(' -> ')}`, {url});
				}

				continue;
			}

			const retryAfterMs = parseRetryAfter(firstHeader(responseHeaders, 'retry-after'));
			throw new ScrapeError(`http-${status}`, `HTTP ${status}`, retryAfterMs === undefined ? {url: current} : {url: current, retryAfterMs});
		}
	}

	async function getBytes(url: string, maxBytes: number, requestOptions: RequestOptions & {cut?: boolean} = {}): Promise<FetchedPage> {
		const chunks: Buffer[] = [];
		let size = 0;
		let answered = url;
		const head = await fetch(
			url,
			{
				open(response) {
					answered = response.url;
				},
				write(chunk) {
					if (size + chunk.length > maxBytes) {
						if (requestOptions.cut !== true) {
							throw new ScrapeError('too-large', `page is larger than ${maxBytes} bytes`, {url: answered});
						}

						chunks.push(chunk.subarray(0, maxBytes - size));
						size = maxBytes;
						return false;
					}

					chunks.push(chunk);
					size += chunk.length;
				},
				end() {},
			},
			requestOptions,
		);
		return {url: head.url, headers: head.headers, bytes: Buffer.concat(chunks, size)};
	}

	return {
		fetch,
		getBytes,
		async close() {
			await Promise.all([agent.close(), ...retired]);
		},
	};
}

/** Counts what one request's body hands to its sink, and its time, for the request's record. */
function watchRequest(sink: BodySink) {
	const started = performance.now();
	let bytes = 0;
	let status: number | undefined;
	const watched: BodySink = {
		open(head) {
			status = head.status;
			return sink.open(head);
		},
		write(chunk) {
			bytes += chunk.length;
			return sink.write(chunk);
		},
		end: () => sink.end(),
	};
	return {
		sink: watched,
		get status() {
			return status;
		},
		report(onRequest: (request: RequestRecord) => void, url: string, purpose: RequestRecord['purpose'], answered: number | undefined, error?: ScrapeError) {
			onRequest({
				method: 'GET',
				url,
				purpose,
				...(answered === undefined ? {} : {status: answered}),
				bytes,
				ms: performance.now() - started,
				...(error === undefined ? {} : {error: {code: error.code, reason: reasonOf(error)}}),
			});
		},
	};
}

/** A sink whose body waits, after each chunk, for the bandwidth the chunk took: the exchange pauses reading while it waits. */
function throttled(sink: BodySink, bandwidth: BandwidthLimit, signal: AbortSignal | undefined): BodySink {
	return {
		open: head => sink.open(head),
		write(chunk) {
			const written = sink.write(chunk);
			if (written === false) {
				return false;
			}

			const wait = bandwidth.take(chunk.length, signal);
			if (wait === undefined) {
				return written;
			}

			return written === undefined ? wait : Promise.all([written, wait]).then(() => {});
		},
		end: () => sink.end(),
	};
}

/** undici reports some failures as aborts, such as a proxy refusing the tunnel (407): unless our signal aborted, they are the network's. */
function unaskedAbort(error: ScrapeError, signal: AbortSignal | undefined): ScrapeError {
	if (error.code !== 'aborted' || signal?.aborted === true) {
		return error;
	}

	const cause = error.cause as {message?: string} | undefined;
	return new ScrapeError('network', cause?.message ?? error.message, {url: error.url, cause});
}

function followRedirect(chain: string[], current: string, location: string, maxRedirects: number, original: string): string {
	let next: URL;
	try {
		next = new URL(location, current);
	} catch {
		throw new ScrapeError('redirect', `redirect to an invalid URL: ${location}`, {url: original});
	}

	if (next.protocol !== 'http:' && next.protocol !== 'https:') {
		throw new ScrapeError('redirect', `redirect to a non-http URL: ${next.href}`, {url: original});
	}

	const seen = chain.includes(next.href);
	chain.push(next.href);
	if (seen) {
		throw new ScrapeError('redirect', `redirect loop: ${chain.join(' -> ')}`, {url: original});
	}

	if (chain.length - 1 > maxRedirects) {
		throw new ScrapeError('redirect', `more than ${maxRedirects} redirects: ${chain.join(' -> ')}`, {url: original});
	}

	return next.href;
}
