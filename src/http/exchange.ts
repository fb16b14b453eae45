/**
One request and its response on the run's dispatcher, with the body handed to
a sink chunk by chunk as undici parses it: no Readable, no pipeline and no
per-request AbortController between the socket and the file. With thousands
of small images those objects, not the bytes, were most of the cost.
*/

import type {Transform} from 'node:stream';
import type {Dispatcher} from 'undici';
import {ScrapeError} from '../errors.js';
import type {Headers} from '../types.js';
import {bodyError, contentLength, decoderFor} from './body.js';

/** What bounds one exchange in time and size, from the run's options. */
export interface ExchangeLimits {
	/**
	Milliseconds allowed from sending the request to its final headers (1xx
	interim responses do not count), and the length of each low-speed window.
	*/
	timeout: number;
	/** Least bytes per second, measured over each `timeout` window once the headers are in; 0 for none. */
	minSpeed: number;
	/** Most times a body may decode to what was received, once it is past {@link ratioFloor} decoded; 0 for no limit. */
	maxRatio: number;
}

/** Below this many decoded bytes the ratio is not checked: small bodies of text compress well and are harmless. */
export const ratioFloor = 10 * 1024 * 1024;

/** A response's status line and headers. */
export interface ResponseHead {
	/** The URL that answered, after redirects. */
	url: string;
	status: number;
	headers: Headers;
	/** Content-Length as sent (before decoding), when given. */
	contentLength: number | undefined;
}

/** Where a 2xx body goes as it arrives. Throwing from any method fails the request with that error. */
export interface BodySink {
	/**
	The head arrived. Throw to fail the request before any of the body is read,
	or return `false` to refuse the body without failing (the connection is
	closed and the response counts as complete).
	*/
	open(head: ResponseHead): void | false;
	/**
	The next chunk of the decoded body. Return a promise to hold the body until
	it settles, or `false` when nothing more is wanted (the request is then cut
	short and counts as complete).
	*/
	write(chunk: Buffer): void | false | Promise<void>;
	/** The whole body has arrived; a promise holds the exchange open until it settles. */
	end(): void | Promise<void>;
}

export interface ExchangeRequest {
	url: string;
	headers: Record<string, string>;
	signal?: AbortSignal | undefined;
	sink: BodySink;
	limits: ExchangeLimits;
	/** Told every head as it arrives (redirects and errors too); the exchange settles only after its promise does. */
	received(head: ResponseHead): Promise<void>;
}

/** Read and drop at most this much of a body nobody wants (a redirect's, an error page's) to keep its connection; past it, close. */
const maxDroppedBytes = 128 * 1024;

/**
Send one GET and settle once its response is over: with the head when the
status is 2xx and the sink has taken the whole body, or when the status is
anything else (its body dropped). Rejects with a `ScrapeError`-able error:
the sink's, the network's, a timeout, or the signal's reason.
*/
export async function exchange(dispatcher: Dispatcher, request: ExchangeRequest): Promise<ResponseHead> {
	const {origin, pathname, search} = new URL(request.url);
	return new Promise((resolve, reject) => {
		dispatcher.dispatch({origin, path: pathname + search, method: 'GET', headers: request.headers}, new Exchange(request, resolve, reject));
	});
}

class Exchange implements Dispatcher.DispatchHandler {
	readonly #request: ExchangeRequest;
	readonly #resolve: (head: ResponseHead) => void;
	readonly #reject: (error: unknown) => void;
	#controller: Dispatcher.DispatchController | undefined;
	#head: ResponseHead | undefined;
	#received: Promise<void> | undefined;
	/** False while a body nobody wants is dropped. */
	#wanted = false;
	#decoder: Transform | undefined;
	/** Bytes of the body as sent, for telling a short body from a broken socket. */
	#bytes = 0;
	/** Bytes of the body after decoding. */
	#decoded = 0;
	/** Until the head: the headers timeout; then each low-speed window. */
	#timer: NodeJS.Timeout | undefined;
	/** `#bytes` when the current low-speed window began. */
	#windowStart = 0;
	/** Interim (1xx) responses seen, for the timeout's message. */
	#interim = 0;
	/** Chunks that came while the sink was busy with a promise. */
	#queue: Buffer[] = [];
	#waiting = false;
	#ended = false;
	/** The exchange is over as far as we are concerned; what undici says after that is ignored. */
	#settled = false;
	/** We closed the connection ourselves and the response still counts: a dropped body, or a reader that had enough. */
	#cutShort = false;
	/** undici is done with the request (ended or failed): nothing left to abort. */
	#over = false;

	constructor(request: ExchangeRequest, resolve: (head: ResponseHead) => void, reject: (error: unknown) => void) {
		this.#request = request;
		this.#resolve = resolve;
		this.#reject = reject;
		if (request.signal?.aborted) {
			this.#fail(request.signal.reason);
		} else {
			request.signal?.addEventListener('abort', this.#onAbort, {once: true});
		}
	}

	onRequestStart(controller: Dispatcher.DispatchController): void {
		this.#controller = controller;
		if (this.#settled) {
			// Aborted while it waited for a connection.
			controller.abort(this.#request.signal?.reason as Error);
			return;
		}

		// Our own headers timeout: undici restarts its own on every 1xx, so a server sending 103 each second would never time out.
		this.#timer = setTimeout(this.#onTimer, this.#request.limits.timeout);
	}

	onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Headers): void {
		if (status < 200) {
			this.#interim++;
			return;
		}

		if (this.#request.limits.minSpeed > 0) {
			this.#timer?.refresh();
		} else {
			this.#stopTimer();
		}

		const head: ResponseHead = {url: this.#request.url, status, headers, contentLength: contentLength(headers)};
		this.#head = head;
		this.#received = this.#request.received(head);
		if (status >= 300) {
			return;
		}

		let opened: void | false;
		try {
			this.#decoder = decoderFor(headers, head.url);
			opened = this.#request.sink.open(head);
		} catch (error) {
			this.#fail(error);
			return;
		}

		if (opened === false) {
			// Nothing of the body is wanted: close rather than read it.
			this.#cutShort = true;
			this.#decoder?.destroy();
			this.#settle(undefined);
			controller.abort(new Error('body refused by its reader'));
			return;
		}

		this.#wanted = true;
		const decoder = this.#decoder;
		if (decoder !== undefined) {
			decoder.on('data', (chunk: Buffer) => {
				this.#decoded += chunk.length;
				const {maxRatio} = this.#request.limits;
				if (maxRatio > 0 && this.#decoded > ratioFloor && this.#decoded > maxRatio * this.#bytes) {
					this.#fail(
						new ScrapeError(
							'too-large',
							`the body decodes to more than ${maxRatio} times the ${this.#bytes} bytes received (${this.#decoded} bytes so far): stopped`,
							{url: head.url},
						),
					);
					return;
				}

				this.#deliver(chunk);
			});
			decoder.once('end', () => {
				this.#ended = true;
				this.#finishWhenDrained();
			});
			decoder.once('error', error => {
				this.#fail(error);
			});
			// The decoder's backlog, not the socket, sets the pace.
			decoder.on('drain', () => {
				if (!this.#waiting) {
					controller.resume();
				}
			});
		}
	}

	onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
		this.#bytes += chunk.length;
		if (!this.#wanted) {
			if (this.#bytes > maxDroppedBytes) {
				this.#cutShort = true;
				controller.abort(new Error('dropped body too long'));
			}

			return;
		}

		if (this.#decoder === undefined) {
			this.#deliver(chunk);
		} else if (!this.#decoder.write(chunk)) {
			controller.pause();
		}
	}

	onResponseEnd(): void {
		this.#over = true;
		this.#stopTimer();
		if (this.#decoder === undefined) {
			this.#ended = true;
			this.#finishWhenDrained();
		} else {
			// Its 'end' event finishes the exchange once the last decoded bytes are out.
			this.#decoder.end();
		}
	}

	onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
		this.#over = true;
		this.#stopTimer();
		if (!this.#cutShort) {
			this.#fail(error);
		} else if (!this.#wanted) {
			this.#settle(undefined);
		}
	}

	readonly #onAbort = (): void => {
		this.#fail(this.#request.signal!.reason);
	};

	/** The headers timeout, then the end of each low-speed window. */
	readonly #onTimer = (): void => {
		const {timeout, minSpeed} = this.#request.limits;
		const {url} = this.#request;
		if (this.#head === undefined) {
			const interim = this.#interim === 0 ? '' : ` (${this.#interim} interim 1xx responses do not count)`;
			this.#fail(new ScrapeError('timeout', `no response headers within ${timeout} ms${interim}`, {url}));
			return;
		}

		const received = this.#bytes - this.#windowStart;
		// A window in which our reader held the body (a bandwidth limit, a slow disk) says nothing of the server's speed.
		if (received * 1000 < minSpeed * timeout && !this.#waiting) {
			this.#fail(new ScrapeError('timeout', `slower than the ${minSpeed} bytes/s minimum: ${received} bytes in ${timeout} ms`, {url}));
			return;
		}

		this.#windowStart = this.#bytes;
		this.#timer?.refresh();
	};

	#stopTimer(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#deliver(chunk: Buffer): void {
		if (this.#settled) {
			return;
		}

		if (this.#waiting) {
			this.#queue.push(chunk);
			return;
		}

		let result: ReturnType<BodySink['write']>;
		try {
			result = this.#request.sink.write(chunk);
		} catch (error) {
			this.#fail(error);
			return;
		}

		if (result === false) {
			this.#ended = true;
			this.#cutShort = true;
			this.#stopTimer();
			this.#controller?.abort(new Error('body cut short by its reader'));
			this.#decoder?.destroy();
			this.#finishWhenDrained();
		} else if (result !== undefined) {
			this.#waiting = true;
			this.#controller?.pause();
			result.then(
				() => {
					this.#waiting = false;
					this.#drainQueue();
				},
				(error: unknown) => {
					this.#fail(error);
				},
			);
		}
	}

	/** Hand the sink what came while it was busy, then let the body flow again. */
	#drainQueue(): void {
		while (this.#queue.length > 0 && !this.#waiting && !this.#settled) {
			this.#deliver(this.#queue.shift()!);
		}

		if (this.#waiting || this.#settled) {
			return;
		}

		if (this.#ended) {
			this.#finishWhenDrained();
		} else if (this.#decoder === undefined || !this.#decoder.writableNeedDrain) {
			this.#controller?.resume();
		}
	}

	#finishWhenDrained(): void {
		if (this.#waiting || this.#settled) {
			return;
		}

		let ended: void | Promise<void>;
		try {
			ended = this.#wanted ? this.#request.sink.end() : undefined;
		} catch (error) {
			this.#fail(error);
			return;
		}

		if (ended === undefined) {
			this.#settle(undefined);
			return;
		}

		this.#waiting = true;
		ended.then(
			() => {
				this.#settle(undefined);
			},
			(error: unknown) => {
				this.#fail(error);
			},
		);
	}

	#settle(error: unknown): void {
		if (this.#settled) {
			return;
		}

		this.#settled = true;
		this.#stopTimer();
		this.#request.signal?.removeEventListener('abort', this.#onAbort);
		const received = this.#received ?? Promise.resolve();
		if (error === undefined) {
			received.then(() => {
				this.#resolve(this.#head!);
			}, this.#reject);
			return;
		}

		if (!this.#over) {
			this.#controller?.abort(error as Error);
		}

		this.#decoder?.destroy();
		// Whatever the policy makes of the headers, the failure is what the caller hears about.
		const reject = () => {
			this.#reject(error);
		};

		received.then(reject, reject);
	}

	#fail(error: unknown): void {
		if (this.#settled) {
			return;
		}

		// A failure after the head is the body's: name it from what came of it.
		const head = this.#head;
		this.#settle(head === undefined || error === this.#request.signal?.reason ? error : bodyError(error, head.url, this.#bytes, head.contentLength));
	}
}
