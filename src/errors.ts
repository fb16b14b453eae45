/**
Every failure the scraper reports is a `ScrapeError` with a stable `code`. Users
and the report match on the code, never on the class or the message, because
only plain fields survive `postMessage` to and from workers.
*/

/** The categories the report counts. `http-NNN` carries the status code. */
export type ErrorCode =
	| 'usage'
	| 'aborted'
	| 'timeout'
	| 'network'
	| 'redirect'
	| 'truncated'
	| 'not-an-image'
	| 'too-large'
	| 'too-small'
	| 'filtered'
	| 'parse'
	| 'fs'
	| 'robots'
	| `http-${number}`;

/** Statuses worth another try: the server may answer differently next time. */
const retryableStatuses = new Set([408, 425, 429, 500, 502, 503, 504]);

export class ScrapeError extends Error {
	override name = 'ScrapeError';
	readonly code: ErrorCode;
	/** The URL the error belongs to, when there is one. */
	readonly url: string | undefined;
	/** The server's Retry-After in ms, when it sent one. */
	readonly retryAfterMs: number | undefined;
	/**
	The run cannot go on: nothing more can be saved or recorded (a full disk,
	a read-only file system, a manifest that cannot be written). The run stops,
	reports, and names this error.
	*/
	readonly stopsRun: boolean;
	/**
	The process ran out of file descriptors (EMFILE, ENFILE): a shortage of our
	own, not the server's, which passes once fewer requests are in flight.
	*/
	readonly exhausted: boolean;

	constructor(code: ErrorCode, message: string, options: {url?: string; cause?: unknown; retryAfterMs?: number; stopsRun?: boolean; exhausted?: boolean} = {}) {
		super(message, {cause: options.cause});
		this.code = code;
		this.url = options.url;
		this.retryAfterMs = options.retryAfterMs;
		this.stopsRun = options.stopsRun ?? false;
		this.exhausted = options.exhausted ?? false;
	}

	/** Whether trying the same request again could succeed. */
	get retryable(): boolean {
		return this.exhausted || isRetryable(this.code);
	}
}

/** Whether an error of this code is worth retrying. */
export function isRetryable(code: ErrorCode): boolean {
	if (code === 'timeout' || code === 'network' || code === 'truncated') {
		return true;
	}

	return code.startsWith('http-') && retryableStatuses.has(Number(code.slice(5)));
}

/** A bad option or argument: the CLI prints the message alone and exits 2. */
export class UsageError extends ScrapeError {
	override name = 'UsageError';
	constructor(message: string) {
		super('usage', message);
	}
}

const networkCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CLOSED',
]);
/** File-system errors after which no image can be saved: the run stops rather than fail every one that is left. */
const fullStopCodes = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);
/** Calls that only sockets make: whatever fails there is the network's, never the file system's. */
const socketSyscalls = new Set(['connect', 'getaddrinfo', 'getnameinfo', 'socket']);
const timeoutCodes = new Set([
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ETIMEDOUT',
]);

/**
Turn anything thrown while fetching or saving into a `ScrapeError`.
Aborts caused by the run's signal become `aborted`; a per-item deadline
(a `TimeoutError` reason) becomes `timeout`. Running out of file descriptors
is `exhausted` (and so retried): `network` when a socket could not be had,
`fs` when a file could not be opened.
*/
export function toScrapeError(error: unknown, url?: string): ScrapeError {
	if (error instanceof ScrapeError) {
		return error;
	}

	const options = url === undefined ? {cause: error} : {url, cause: error};
	const record = (error ?? {}) as {name?: string; code?: string; message?: string; syscall?: string};
	const message = record.message ?? String(error);
	const socket = record.syscall !== undefined && socketSyscalls.has(record.syscall);
	if (record.code === 'EMFILE' || record.code === 'ENFILE') {
		return new ScrapeError(socket ? 'network' : 'fs', `${message} (out of file descriptors)`, {...options, exhausted: true});
	}

	if (record.name === 'TimeoutError' || (record.code !== undefined && timeoutCodes.has(record.code))) {
		return new ScrapeError('timeout', message, options);
	}

	if (record.name === 'AbortError' || record.code === 'ABORT_ERR' || record.code === 'UND_ERR_ABORTED') {
		return new ScrapeError('aborted', 'aborted', options);
	}

	if (record.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || record.code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
		return new ScrapeError('truncated', message, options);
	}

	// zlib's "unexpected end of file": a compressed body that stopped early.
	if (record.code === 'Z_BUF_ERROR') {
		return new ScrapeError('truncated', `compressed body ended early: ${message}`, options);
	}

	if (record.code !== undefined && record.code.startsWith('Z_')) {
		return new ScrapeError('network', `body could not be decoded: ${message}`, options);
	}

	if (record.code !== undefined && (networkCodes.has(record.code) || record.code.startsWith('UND_ERR'))) {
		return new ScrapeError('network', message, options);
	}

	if (record.code !== undefined && record.code.startsWith('E') && record.syscall !== undefined && !socket) {
		return new ScrapeError('fs', message, {...options, stopsRun: fullStopCodes.has(record.code)});
	}

	return new ScrapeError('network', message, options);
}
