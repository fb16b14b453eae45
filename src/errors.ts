/**
Every failure the scraper reports is a `ScrapeError` with a stable `code`. Users
and the report match on the code, never on the class or the message, because
only plain fields survive `postMessage` to and from workers.

Bad options are not failures of a scrape: they are `UsageError`s, a family of
their own, thrown before any work is done.
*/
import {inspect} from 'node:util';

/** The categories the report counts. `http-NNN` carries the status code. */
export type ErrorCode =
	| 'aborted'
	| 'timeout'
	| 'network'
	| 'redirect'
	| 'truncated'
	| 'not-an-image'
	/** A listing page too large, or a body that decodes past `maxRatio`; for an image the downloader makes it a skip. */
	| 'too-large'
	| 'parse'
	| 'fs'
	| 'robots'
	/** The browser of `render` could not load the page (it crashed, or refused the navigation). */
	| 'render'
	/** Something nobody expected was thrown: a bug. Never retried. */
	| 'internal'
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

/**
A bad option or argument, an output folder or manifest that cannot be used,
another run holding the folder: found before any request. Not a `ScrapeError`,
since nothing was scraped; the CLI prints the message alone and exits 2.
*/
export class UsageError extends Error {
	override name = 'UsageError';
}

/**
Failures of the network or of the server at the other end, recognised one by
one: what is not on these lists and not a file-system error is a bug.
*/
const networkCodes = new Set([
	// The operating system's, for sockets and name lookups.
	'ECONNREFUSED',
	'ECONNRESET',
	'ECONNABORTED',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_FAIL',
	'EAI_NONAME',
	'EAI_NODATA',
	'EHOSTUNREACH',
	'EHOSTDOWN',
	'ENETUNREACH',
	'ENETDOWN',
	'ENETRESET',
	'EADDRNOTAVAIL',
	'EADDRINUSE',
	'ENOTCONN',
	'EPROTO',
	'ERR_SOCKET_CLOSED',
	// undici's: the socket failed or closed, the server sent headers past the limit, a proxy's TLS failed.
	'UND_ERR_SOCKET',
	'UND_ERR_CLOSED',
	'UND_ERR_DESTROYED',
	'UND_ERR_INFO',
	'UND_ERR_HEADERS_OVERFLOW',
	'UND_ERR_RES_EXCEEDED_MAX_SIZE',
	'UND_ERR_PRX_TLS',
	// HTTP/2 sessions and streams the server ended or broke.
	'ERR_HTTP2_ERROR',
	'ERR_HTTP2_GOAWAY_SESSION',
	'ERR_HTTP2_INVALID_SESSION',
	'ERR_HTTP2_PING_CANCEL',
	'ERR_HTTP2_SESSION_ERROR',
	'ERR_HTTP2_SOCKET_UNBOUND',
	'ERR_HTTP2_STREAM_CANCEL',
	'ERR_HTTP2_STREAM_ERROR',
	// The server's certificate did not verify.
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_TLS_DH_PARAM_SIZE',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_REVOKED',
	'CERT_REJECTED',
	'CERT_UNTRUSTED',
	'CERT_SIGNATURE_FAILURE',
	'CERT_CHAIN_TOO_LONG',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
	'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
	'ERROR_IN_CERT_NOT_BEFORE_FIELD',
	'ERROR_IN_CERT_NOT_AFTER_FIELD',
	'HOSTNAME_MISMATCH',
	'INVALID_CA',
	'INVALID_PURPOSE',
	'PATH_LENGTH_EXCEEDED',
]);
/** Code prefixes of whole families that only the other end can cause: HTTP/1 parse errors and OpenSSL failing a handshake. */
const networkPrefixes = ['HPE_', 'ERR_SSL_'];
const timeoutCodes = new Set([
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ETIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'ERR_TLS_HANDSHAKE_TIMEOUT',
]);
const abortCodes = new Set(['ABORT_ERR', 'UND_ERR_ABORTED', 'UND_ERR_ABORT']);
const truncatedCodes = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);
/** File-system errors after which no image can be saved: the run stops rather than fail every one that is left. */
const fullStopCodes = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);
/** Calls that only sockets make: whatever fails there is the network's, never the file system's. */
const socketSyscalls = new Set(['connect', 'getaddrinfo', 'getnameinfo', 'socket', 'listen', 'bind', 'accept']);
/** Node's `fetch` says only this, with the reason as its cause: it is how a bad `data:` URI fails too. */
const fetchFailed = 'fetch failed';

/** The fields of a thrown value that say what it is, whatever was thrown. */
interface Thrown {
	name: string | undefined;
	code: string | undefined;
	syscall: string | undefined;
	message: string;
	cause: unknown;
}

function read(error: unknown): Thrown {
	if (typeof error !== 'object' || error === null) {
		return {name: undefined, code: undefined, syscall: undefined, message: String(error), cause: undefined};
	}

	const record = error as {name?: unknown; code?: unknown; syscall?: unknown; message?: unknown; cause?: unknown};
	const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
	return {name: text(record.name), code: text(record.code), syscall: text(record.syscall), message: text(record.message) ?? String(error), cause: record.cause};
}

/** What an unrecognised value is, for the one line that reports it: `TypeError: x is not a function`. */
function describe(error: unknown, {name, message}: Thrown): string {
	if (error instanceof Error || (name !== undefined && typeof (error as {message?: unknown}).message === 'string')) {
		const kind = name ?? 'Error';
		return message === '' ? kind : `${kind}: ${message}`;
	}

	return `a non-error value was thrown: ${inspect(error, {depth: 1, breakLength: Number.POSITIVE_INFINITY})}`;
}

/**
The code for a failure of the network, the server, a body or the file system,
or undefined when the thrown value is none of those.
*/
function classify({name, code, syscall}: Thrown): ErrorCode | undefined {
	if (name === 'TimeoutError' || (code !== undefined && timeoutCodes.has(code))) {
		return 'timeout';
	}

	if (name === 'AbortError' || (code !== undefined && abortCodes.has(code))) {
		return 'aborted';
	}

	// undici's HTTP/1 parser reads only what the server sent; its errors come without a code.
	if (name === 'HTTPParserError') {
		return 'network';
	}

	if (code === undefined) {
		return undefined;
	}

	// zlib's "unexpected end of file": a compressed body that stopped early.
	if (truncatedCodes.has(code) || code === 'Z_BUF_ERROR') {
		return 'truncated';
	}

	const system = syscall !== undefined && isErrno(code);
	if (networkCodes.has(code) || networkPrefixes.some(prefix => code.startsWith(prefix)) || isDecodeError(code) || (system && socketSyscalls.has(syscall!))) {
		return 'network';
	}

	// A system error from any call but a socket's: opening, writing, renaming, linking a file.
	return system ? 'fs' : undefined;
}

/** An errno name as the operating system gives it (`ENOENT`, `EAI_AGAIN`), not one of Node's own `ERR_*` codes. */
function isErrno(code: string): boolean {
	return /^E[A-Z\d]+$/.test(code) || /^EAI_[A-Z]+$/.test(code);
}

/** zlib's errors (`Z_DATA_ERROR` ...) and brotli's (`ERR__ERROR_FORMAT_PADDING_1` ...): a body that could not be decoded. */
function isDecodeError(code: string): boolean {
	return code.startsWith('Z_') || code.startsWith('ERR__ERROR_');
}

/**
Turn anything thrown while fetching or saving into a `ScrapeError`, so library
users can classify what they catch the way the report does.

Failures are recognised positively, by their codes: the network's and the
server's (`network`; `timeout`; `truncated` for a body shorter than its
`Content-Length` or a compressed stream cut off), the file system's (`fs`;
`stopsRun` for a full disk, a read-only file system or a used-up quota), the
signal's (`aborted`; a `TimeoutError` reason, a per-item deadline, is
`timeout`). Running out of file descriptors is `exhausted` (and so retried):
`network` when a socket could not be had, `fs` when a file could not be
opened. Anything else (a `TypeError`, a thrown string, `null`) is `internal`:
a bug, never retried and never blamed on the network.
*/
export function toScrapeError(error: unknown, url?: string): ScrapeError {
	if (error instanceof ScrapeError) {
		return error;
	}

	const options = url === undefined ? {cause: error} : {url, cause: error};
	const thrown = read(error);
	const {code, message} = thrown;
	const socket = thrown.syscall !== undefined && socketSyscalls.has(thrown.syscall);
	if (code === 'EMFILE' || code === 'ENFILE') {
		return new ScrapeError(socket ? 'network' : 'fs', `${message} (out of file descriptors)`, {...options, exhausted: true});
	}

	const known = classify(thrown);
	switch (known) {
		case 'aborted': {
			return new ScrapeError('aborted', 'aborted', options);
		}

		case 'truncated': {
			return new ScrapeError('truncated', code === 'Z_BUF_ERROR' ? `compressed body ended early: ${message}` : message, options);
		}

		case 'network': {
			return new ScrapeError('network', code !== undefined && isDecodeError(code) ? `body could not be decoded: ${message}` : message, options);
		}

		case 'fs': {
			return new ScrapeError('fs', message, {...options, stopsRun: fullStopCodes.has(code!)});
		}

		case undefined: {
			break;
		}

		default: {
			return new ScrapeError(known, message, options);
		}
	}

	if (thrown.name === 'TypeError' && message === fetchFailed) {
		const cause = thrown.cause === undefined || thrown.cause === error ? undefined : toScrapeError(thrown.cause, url);
		if (cause !== undefined && cause.code !== 'internal') {
			return cause;
		}

		const reason = read(thrown.cause).message;
		return new ScrapeError('network', thrown.cause === undefined ? message : `${message}: ${reason}`, options);
	}

	return new ScrapeError('internal', describe(error, thrown), options);
}
