import assert from 'node:assert/strict';
import {openSync} from 'node:fs';
import {test} from 'node:test';
import {brotliDecompressSync, gunzipSync, gzipSync} from 'node:zlib';
import {errors as undici} from 'undici';
import {ScrapeError, toScrapeError, UsageError, type ErrorCode} from '../src/index.js';

/** An error as Node makes them: a code, a syscall, and a path or an address. */
function systemError(code: string, syscall: string, extra: Record<string, unknown> = {}): Error {
	return Object.assign(new Error(`${syscall} ${code}`), {code, syscall, errno: -1, ...extra});
}

/** What `fn` throws, so a row can hold a real error made by the code that makes it. */
function thrownBy(fn: () => unknown): unknown {
	try {
		fn();
	} catch (error) {
		return error;
	}

	throw new Error('expected a throw');
}

interface Row {
	name: string;
	thrown: () => unknown;
	code: ErrorCode;
	retryable: boolean;
	stopsRun?: boolean;
	exhausted?: boolean;
	message?: RegExp;
}

const url = 'http://127.0.0.1:1/a.jpg';

const rows: Row[] = [
	// undici
	{name: 'undici SocketError (UND_ERR_SOCKET)', thrown: () => new undici.SocketError('other side closed'), code: 'network', retryable: true},
	{name: 'undici ClientClosedError (UND_ERR_CLOSED)', thrown: () => new undici.ClientClosedError(), code: 'network', retryable: true},
	{name: 'undici ClientDestroyedError (UND_ERR_DESTROYED)', thrown: () => new undici.ClientDestroyedError(), code: 'network', retryable: true},
	{name: 'undici InformationalError (UND_ERR_INFO)', thrown: () => new undici.InformationalError('reset'), code: 'network', retryable: true},
	{name: 'undici HeadersOverflowError (UND_ERR_HEADERS_OVERFLOW)', thrown: () => new undici.HeadersOverflowError(), code: 'network', retryable: true},
	{
		name: 'undici HTTPParserError as undici 7 makes it, without a code',
		thrown: () => new undici.HTTPParserError('Response does not match the HTTP/1.1 protocol (Invalid header token)'),
		code: 'network',
		retryable: true,
	},
	{
		name: 'undici HTTPParserError with a code (HPE_*)',
		thrown: () => Reflect.construct(undici.HTTPParserError, ['Invalid header value char', 'INVALID_HEADER_TOKEN']) as Error,
		code: 'network',
		retryable: true,
	},
	{name: 'undici ConnectTimeoutError (UND_ERR_CONNECT_TIMEOUT)', thrown: () => new undici.ConnectTimeoutError(), code: 'timeout', retryable: true},
	{name: 'undici HeadersTimeoutError (UND_ERR_HEADERS_TIMEOUT)', thrown: () => new undici.HeadersTimeoutError(), code: 'timeout', retryable: true},
	{name: 'undici BodyTimeoutError (UND_ERR_BODY_TIMEOUT)', thrown: () => new undici.BodyTimeoutError(), code: 'timeout', retryable: true},
	{name: 'undici ResponseContentLengthMismatchError', thrown: () => new undici.ResponseContentLengthMismatchError(), code: 'truncated', retryable: true},
	{name: 'undici RequestAbortedError (UND_ERR_ABORTED)', thrown: () => new undici.RequestAbortedError(), code: 'aborted', retryable: false},
	{
		name: 'undici InvalidArgumentError (UND_ERR_INVALID_ARG): our bug',
		thrown: () => new undici.InvalidArgumentError('invalid content-type header'),
		code: 'internal',
		retryable: false,
	},
	{
		name: 'undici NotSupportedError (UND_ERR_NOT_SUPPORTED): our bug',
		thrown: () => new undici.NotSupportedError('expect header not supported'),
		code: 'internal',
		retryable: false,
	},
	// system errors, told apart by their syscall
	{name: 'ECONNREFUSED on connect', thrown: () => systemError('ECONNREFUSED', 'connect', {address: '127.0.0.1', port: 1}), code: 'network', retryable: true},
	{name: 'ECONNRESET on read', thrown: () => systemError('ECONNRESET', 'read'), code: 'network', retryable: true},
	{name: 'EPIPE on write', thrown: () => systemError('EPIPE', 'write'), code: 'network', retryable: true},
	{name: 'ENOTFOUND on getaddrinfo', thrown: () => systemError('ENOTFOUND', 'getaddrinfo', {hostname: 'nowhere.invalid'}), code: 'network', retryable: true},
	{name: 'EAI_AGAIN on getaddrinfo', thrown: () => systemError('EAI_AGAIN', 'getaddrinfo'), code: 'network', retryable: true},
	{name: 'EADDRNOTAVAIL on connect', thrown: () => systemError('EADDRNOTAVAIL', 'connect'), code: 'network', retryable: true},
	{name: "any errno on connect is the network's (EACCES)", thrown: () => systemError('EACCES', 'connect'), code: 'network', retryable: true},
	{name: 'EADDRINUSE on listen', thrown: () => systemError('EADDRINUSE', 'listen'), code: 'network', retryable: true},
	{name: 'ETIMEDOUT on connect', thrown: () => systemError('ETIMEDOUT', 'connect'), code: 'timeout', retryable: true},
	{name: 'ENOENT on open (a real one)', thrown: () => thrownBy(() => openSync('/nonexistent-imgscrape/a.jpg', 'r')), code: 'fs', retryable: false},
	{name: 'EACCES on open', thrown: () => systemError('EACCES', 'open', {path: '/out/a.jpg'}), code: 'fs', retryable: false},
	{name: 'EEXIST on link', thrown: () => systemError('EEXIST', 'link'), code: 'fs', retryable: false},
	{name: 'ENOSPC on write: the run stops', thrown: () => systemError('ENOSPC', 'write'), code: 'fs', retryable: false, stopsRun: true},
	{name: 'EDQUOT on write: the run stops', thrown: () => systemError('EDQUOT', 'write'), code: 'fs', retryable: false, stopsRun: true},
	{name: 'EROFS on open: the run stops', thrown: () => systemError('EROFS', 'open'), code: 'fs', retryable: false, stopsRun: true},
	{
		name: 'EMFILE on connect: a socket could not be had',
		thrown: () => systemError('EMFILE', 'connect'),
		code: 'network',
		retryable: true,
		exhausted: true,
		message: /out of file descriptors/,
	},
	{
		name: 'EMFILE on open: a file could not be opened',
		thrown: () => systemError('EMFILE', 'open', {path: '/out/.part'}),
		code: 'fs',
		retryable: true,
		exhausted: true,
		message: /out of file descriptors/,
	},
	{name: 'ENFILE on socket', thrown: () => systemError('ENFILE', 'socket'), code: 'network', retryable: true, exhausted: true},
	// TLS and HTTP/2: what the other end did
	{
		name: 'a self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
		thrown: () => Object.assign(new Error('self-signed certificate'), {code: 'DEPTH_ZERO_SELF_SIGNED_CERT'}),
		code: 'network',
		retryable: true,
	},
	{
		name: 'a certificate for another host (ERR_TLS_CERT_ALTNAME_INVALID)',
		thrown: () => Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {code: 'ERR_TLS_CERT_ALTNAME_INVALID'}),
		code: 'network',
		retryable: true,
	},
	{
		name: 'an OpenSSL handshake failure (ERR_SSL_*)',
		thrown: () => Object.assign(new Error('wrong version number'), {code: 'ERR_SSL_WRONG_VERSION_NUMBER'}),
		code: 'network',
		retryable: true,
	},
	{
		name: 'an HTTP/2 stream error (ERR_HTTP2_STREAM_ERROR)',
		thrown: () => Object.assign(new Error('Stream closed with error code NGHTTP2_REFUSED_STREAM'), {code: 'ERR_HTTP2_STREAM_ERROR'}),
		code: 'network',
		retryable: true,
	},
	// the signal's reasons
	{name: 'AbortError DOMException', thrown: () => new DOMException('Interrupted', 'AbortError'), code: 'aborted', retryable: false},
	{name: 'TimeoutError DOMException (a deadline)', thrown: () => new DOMException('The operation timed out', 'TimeoutError'), code: 'timeout', retryable: true},
	{name: 'ABORT_ERR from Node', thrown: () => Object.assign(new Error('The operation was aborted'), {code: 'ABORT_ERR'}), code: 'aborted', retryable: false},
	// zlib and brotli, real errors from the decoders
	{
		name: 'zlib Z_DATA_ERROR: a body that is not gzip',
		thrown: () => thrownBy(() => gunzipSync(Buffer.from('not gzip at all'))),
		code: 'network',
		retryable: true,
		message: /body could not be decoded/,
	},
	{
		name: 'zlib Z_BUF_ERROR: a gzip body cut off',
		thrown: () => thrownBy(() => gunzipSync(gzipSync(Buffer.alloc(1000)).subarray(0, 20))),
		code: 'truncated',
		retryable: true,
		message: /compressed body ended early/,
	},
	{
		name: 'brotli ERR__ERROR_FORMAT_*: a body that is not brotli',
		thrown: () => thrownBy(() => brotliDecompressSync(Buffer.from('not brotli, not at all'))),
		code: 'network',
		retryable: true,
		message: /body could not be decoded/,
	},
	// Node's fetch, as a data: URI fails
	{
		name: 'fetch failed with an unrecognised cause (a bad data: URI)',
		thrown: () => new TypeError('fetch failed', {cause: new Error('failed to fetch the data URL')}),
		code: 'network',
		retryable: true,
		message: /^fetch failed: failed to fetch the data URL$/,
	},
	{
		name: 'fetch failed with a timeout for its cause',
		thrown: () => new TypeError('fetch failed', {cause: new undici.ConnectTimeoutError()}),
		code: 'timeout',
		retryable: true,
	},
	// what nobody recognises: a bug
	{
		name: 'a plain TypeError',
		thrown: () => new TypeError("Cannot read properties of undefined (reading 'url')"),
		code: 'internal',
		retryable: false,
		message: /^TypeError: Cannot read properties of undefined \(reading 'url'\)$/,
	},
	{name: 'a plain Error without a code', thrown: () => new Error('boom'), code: 'internal', retryable: false, message: /^Error: boom$/},
	{name: 'a RangeError', thrown: () => new RangeError('Invalid array length'), code: 'internal', retryable: false, message: /^RangeError: /},
	{
		name: 'an invalid URL (ERR_INVALID_URL, a real one)',
		thrown: () => thrownBy(() => new URL('not a url')),
		code: 'internal',
		retryable: false,
		message: /^TypeError: Invalid URL/,
	},
	{
		name: 'a bad argument to Node (ERR_INVALID_ARG_TYPE) even with a syscall-like shape',
		thrown: () => Object.assign(thrownBy(() => Buffer.from(123 as unknown as string)) as Error, {syscall: 'write'}),
		code: 'internal',
		retryable: false,
	},
	{
		name: 'a UsageError met mid-run',
		thrown: () => new UsageError('Expected `concurrency` to be a whole number'),
		code: 'internal',
		retryable: false,
		message: /^UsageError: /,
	},
	{name: 'a string thrown', thrown: () => 'boom', code: 'internal', retryable: false, message: /^a non-error value was thrown: 'boom'$/},
	{name: 'null thrown', thrown: () => null, code: 'internal', retryable: false, message: /^a non-error value was thrown: null$/},
	{name: 'undefined thrown', thrown: () => undefined, code: 'internal', retryable: false, message: /^a non-error value was thrown: undefined$/},
	{name: 'an object thrown', thrown: () => ({status: 500}), code: 'internal', retryable: false, message: /^a non-error value was thrown: \{ status: 500 \}$/},
];

test('toScrapeError: thrown shape -> code -> retryable, one row each', async t => {
	for (const row of rows) {
		await t.test(row.name, () => {
			const thrown = row.thrown();
			const error = toScrapeError(thrown, url);
			assert.ok(error instanceof ScrapeError);
			assert.deepEqual(
				{code: error.code, retryable: error.retryable, stopsRun: error.stopsRun, exhausted: error.exhausted},
				{code: row.code, retryable: row.retryable, stopsRun: row.stopsRun ?? false, exhausted: row.exhausted ?? false},
			);
			assert.equal(error.url, url);
			if (row.message !== undefined) {
				assert.match(error.message, row.message);
			}

			// The cause is what was thrown, or what a `fetch failed` wrapped, so nothing is lost.
			const wrapped = (thrown as {cause?: unknown} | undefined)?.cause;
			assert.ok(error.cause === thrown || (wrapped !== undefined && error.cause === wrapped), 'keeps what was thrown as its cause');
		});
	}
});

test('toScrapeError: a ScrapeError is passed through as it is, and no url is invented', () => {
	const original = new ScrapeError('http-503', 'HTTP 503', {url, retryAfterMs: 2000});
	assert.equal(toScrapeError(original, 'http://elsewhere/'), original);
	assert.equal(toScrapeError(new TypeError('x')).url, undefined);
});

test('UsageError is its own family: not a ScrapeError, with its message alone', () => {
	const error = new UsageError('Expected `pages` to be a range like 1-4, got `x`');
	assert.ok(error instanceof Error);
	assert.ok(!(error instanceof ScrapeError));
	assert.equal(error.name, 'UsageError');
	assert.equal(error.message, 'Expected `pages` to be a range like 1-4, got `x`');
});
