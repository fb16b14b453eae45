import {finished, Transform} from 'node:stream';
import {request, type Dispatcher} from 'undici';
import {ScrapeError, toScrapeError} from '../errors.js';
import type {Headers} from '../types.js';
import {acceptEncoding, bodyError, contentLength, decoderFor, pipeStages} from './body.js';
import {createDispatcher, type DispatcherOptions} from './dispatcher.js';
import type {RequestPolicy, RequestPurpose} from './policy.js';

export interface HttpClientOptions extends DispatcherOptions {
	/** Connect, headers and body-idle timeout in ms. */
	timeout: number;
	userAgent: string;
	/** Redirects followed before giving up. */
	maxRedirects: number;
	/** robots.txt, per-host limits, headers and cookies for every request and redirect hop; only the User-Agent when absent. */
	policy?: RequestPolicy | undefined;
}

export interface HttpResponse {
	/** The URL that answered, after redirects. */
	url: string;
	status: number;
	headers: Headers;
	/** The body as sent: still encoded; {@link openBody} decodes it. */
	body: Dispatcher.ResponseData['body'];
	/** Content-Length as sent, when given. */
	contentLength: number | undefined;
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
}

export interface HttpClient {
	/** GET a URL, following redirects. Resolves only for 2xx; anything else rejects with `http-NNN`. */
	get(url: string, options?: RequestOptions): Promise<HttpResponse>;
	/** GET a URL and read the whole body, up to `maxBytes`. */
	getBytes(url: string, maxBytes: number, options?: RequestOptions): Promise<FetchedPage>;
	/** Close every connection. */
	close(): Promise<void>;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function header(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (/^\s*\d+\s*$/.test(value)) {
		return Number(value) * 1000;
	}

	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
One undici dispatcher for the whole run, shared by the page and download
pools, so connections to a host are kept alive and reused across both.
*/
export function createHttpClient(options: HttpClientOptions): HttpClient {
	const {maxRedirects} = options;
	const agent = createDispatcher(options);
	const policy: RequestPolicy = options.policy ?? {
		begin: async (_url, {headers}) => ({headers: {'user-agent': options.userAgent, ...headers}, release() {}}),
		async received() {},
	};

	async function get(url: string, requestOptions: RequestOptions = {}): Promise<HttpResponse> {
		const chain = [url];
		let current = url;
		for (;;) {
			let response: Dispatcher.ResponseData;
			let ticket: Awaited<ReturnType<RequestPolicy['begin']>> | undefined;
			try {
				const {signal, headers, purpose = 'image'} = requestOptions;
				ticket = await policy.begin(current, {purpose, headers: {'accept-encoding': acceptEncoding, ...headers}, signal});
				response = await request(current, {dispatcher: agent, method: 'GET', signal, headers: ticket.headers});
				await policy.received(current, response.headers);
			} catch (error) {
				ticket?.release();
				throw unaskedAbort(toScrapeError(error, current), requestOptions.signal);
			}

			const {statusCode: status, headers, body} = response;
			if (status >= 200 && status < 300) {
				// The request holds its place at the host until its body is read or dropped.
				finished(body, () => ticket.release());
				return {url: current, status, headers, body, contentLength: contentLength(headers)};
			}

			// The body is not wanted; drain it so the connection can be reused.
			await body.dump().catch(() => {});
			ticket.release();
			const location = header(headers, 'location');
			if (redirectStatuses.has(status) && location !== undefined) {
				current = followRedirect(chain, current, location, maxRedirects, url);
				continue;
			}

			const retryAfterMs = parseRetryAfter(header(headers, 'retry-after'));
			throw new ScrapeError(`http-${status}`, `HTTP ${status}`, retryAfterMs === undefined ? {url: current} : {url: current, retryAfterMs});
		}
	}

	async function getBytes(url: string, maxBytes: number, requestOptions: RequestOptions = {}): Promise<FetchedPage> {
		const response = await get(url, requestOptions);
		const chunks: Buffer[] = [];
		let size = 0;
		const body = openBody(response);
		try {
			await pipeStages([body.source, ...body.stages, async (source: AsyncIterable<Buffer>) => {
				for await (const chunk of source) {
					size += chunk.length;
					if (size > maxBytes) {
						throw new ScrapeError('too-large', `page is larger than ${maxBytes} bytes`, {url: response.url});
					}

					chunks.push(chunk);
				}
			}], {signal: requestOptions.signal});
		} catch (error) {
			throw body.error(error);
		}

		return {url: response.url, headers: response.headers, bytes: Buffer.concat(chunks, size)};
	}

	return {
		get,
		getBytes,
		async close() {
			await agent.close();
		},
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

/** A response body ready to pipe: the raw source, a byte counter, and the decoder. */
export interface OpenBody {
	source: HttpResponse['body'];
	/**
	What the body goes through before its reader: a counter of the bytes as
	sent, so a short body can be told from a closed socket, then the
	Content-Encoding decoder when there is one.
	*/
	stages: Transform[];
	/** Bytes received so far, as sent. */
	received(): number;
	/** Name whatever the pipeline threw. */
	error(error: unknown): ScrapeError;
}

/**
Prepare a response body for `pipeline(source, ...stages, reader)`.
@throws ScrapeError for a content-encoding we cannot decode.
*/
export function openBody(response: HttpResponse): OpenBody {
	let received = 0;
	let decoder: Transform | undefined;
	try {
		decoder = decoderFor(response.headers, response.url);
	} catch (error) {
		discard(response.body);
		throw error;
	}

	const count = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			received += chunk.length;
			callback(null, chunk);
		},
	});
	return {
		source: response.body,
		// Most images come unencoded: no pass-through stage for them, it costs on every chunk.
		stages: decoder === undefined ? [count] : [count, decoder],
		received: () => received,
		error: error => bodyError(error, response.url, received, response.contentLength),
	};
}

/** Drop a body not wanted: undici reports a destroyed body as an error, which nobody is listening for any more. */
export function discard(body: HttpResponse['body']): void {
	body.on('error', () => {});
	body.destroy();
}
