/**
Faults on demand, chosen by URL path, so a test names the failure it wants in
the URL it scrapes (after undici's `test/utils/redirecting-servers.js`). Every
route ends in a file NAME whose extension says what a success sends: `.html`
a page whose images are the `src` query parameters (and links the `href`
ones), anything else an image
(`.png` a PNG, otherwise a JPEG) of `?size=` bytes (default 2000) unique to
`?seed=` (default NAME). Requests are counted per path, which is what status
sequences and `?times=N` (fault only the first N requests) go by.

  /fault/ok/NAME                        success
  /fault/status/503,503,200/NAME        one status per request; the last repeats
  /fault/retry-after/SECONDS/NAME       429 with Retry-After (seconds, or `date-N` for an HTTP date N s ahead), then success
  /fault/reset/NAME                     half the body, then a TCP reset
  /fault/short/NAME                     Content-Length promises the whole body; half comes, then the connection closes
  /fault/stall/NAME                     half the body, then nothing until the client gives up
  /fault/drip/MS/NAME                   the body one byte every MS ms
  /fault/hang/NAME                      takes the request and never answers
  /fault/early-hints/MS/NAME            a `103 Early Hints` at once and every MS ms after, never a final answer
  /fault/bomb/BYTES/NAME                a br body that decodes to BYTES: the image's first bytes, then zeros
  /fault/html-as-jpeg/NAME              an HTML error page labelled image/jpeg
  /fault/type/EXT/NAME                  a sample of type EXT (jpg png gif webp avif bmp ico tiff svg), sent as octet-stream
  /fault/redirect/N/NAME                N redirects, then success
  /fault/redirect-loop/NAME             a redirect to a path that redirects back
  /fault/redirect-to/SCHEME/NAME        a redirect to SCHEME://127.0.0.1/NAME
  /fault/redirect-host/HOST/NAME        a redirect to /fault/ok/NAME on HOST, same port and query
  /fault/gzip|deflate|br/NAME           success, compressed with that Content-Encoding
  /fault/chunked/NAME                   success without Content-Length, streamed in 64 KiB chunks as the client reads
  /fault/disposition/NAME               success with `Content-Disposition: attachment; filename="../../escaped.jpg"`
  /fault/sized/NAME.EXT                 an image of a known pixel size, format by EXT (jpg png gif webp avif bmp ico tiff svg):
                                        `?px=WxH`, else NAME's `-WxH` suffix, else 1600x1200, times an `@Nx` suffix;
                                        `?size=` pads it to that many bytes after its header, `?exif=` (JPEG) puts
                                        APP1 segments of that many bytes before its frame header; streamed as read

A success also sends `?last-modified=` and `?etag=` as those headers.
*/

import {once} from 'node:events';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {brotliCompressSync, constants, createBrotliCompress, deflateSync, gzipSync} from 'node:zlib';
import {imageChunks} from './images.js';
import {pumpChunks} from './pump.js';
import {sampleImage, sampleTypes, type SampleType} from './samples.js';
import {impliedPixelSize, renderSizedImage, sizedFormats, type SizedFormat} from './sized-images.js';
import type {RequestKind} from './stats.js';

/** The URL prefix of every fault route. */
export const faultPrefix = '/fault/';

/** The counting kind of a fault path: a page when its NAME ends in `.html`, an image otherwise. */
export function faultKind(path: string): RequestKind {
	return path.endsWith('.html') ? 'page' : 'image';
}

/** What a fault route needs from the server. */
export interface FaultContext {
	/** Count body bytes handed to the socket. */
	addBytes(count: number): void;
	/** Run `callback` after `ms`, on a timer that close() cancels. */
	later(callback: () => void, ms: number): void;
}

function escapeHtml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

/** The success body of a NAME with the request's query. */
function successBody(name: string, query: URLSearchParams): {type: string; body: Buffer} {
	if (name.endsWith('.html')) {
		const images = [
			...query.getAll('src').map(src => `<img src="${escapeHtml(src)}">`),
			...query.getAll('href').map(href => `<a href="${escapeHtml(href)}">link</a>`),
		];
		return {
			type: 'text/html; charset=utf-8',
			body: Buffer.from(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(name)}</title></head><body>${images.join('\n')}</body></html>`),
		};
	}

	const format = name.toLowerCase().endsWith('.png') ? 'png' : 'jpg';
	const size = Number(query.get('size') ?? 2000);
	return {type: format === 'png' ? 'image/png' : 'image/jpeg', body: sampleImage(format, query.get('seed') ?? name, size)};
}

/** An image's first bytes and then `bytes` in all of zeros, brotli-compressed a MiB at a time, so no buffer of that size is ever held. */
async function compressedBomb(head: Buffer, bytes: number): Promise<Buffer> {
	const encoder = createBrotliCompress({params: {[constants.BROTLI_PARAM_QUALITY]: 5}});
	const chunks: Buffer[] = [];
	encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
	const ended = once(encoder, 'end');
	const zeros = Buffer.alloc(1024 * 1024);
	encoder.write(head.subarray(0, Math.min(head.length, 64, bytes)));
	for (let left = bytes - Math.min(head.length, 64, bytes); left > 0; left -= zeros.length) {
		if (!encoder.write(zeros.subarray(0, Math.min(left, zeros.length)))) {
			await once(encoder, 'drain');
		}
	}

	encoder.end();
	await ended;
	return Buffer.concat(chunks);
}

/** Per-path request counts and the routes; one per server. */
export function createFaults(context: FaultContext) {
	const counts = new Map<string, number>();
	/** Bombs by decoded size, made once. */
	const bombs = new Map<string, Promise<Buffer>>();

	function send(response: ServerResponse, status: number, headers: Record<string, string | number>, body: Buffer): void {
		response.writeHead(status, {...headers, 'content-length': body.length});
		context.addBytes(body.length);
		response.end(body);
	}

	function redirect(response: ServerResponse, location: string): void {
		send(response, 302, {location, 'content-type': 'text/plain'}, Buffer.from(`see ${location}`));
	}

	/** Send half of `body` under a Content-Length for all of it, then `after`. */
	function sendHalf(response: ServerResponse, type: string, body: Buffer, after: (response: ServerResponse) => void): void {
		response.writeHead(200, {'content-type': type, 'content-length': body.length});
		const half = body.subarray(0, body.length >> 1);
		context.addBytes(half.length);
		response.write(half, () => {
			after(response);
		});
	}

	function drip(response: ServerResponse, type: string, body: Buffer, interval: number): void {
		response.writeHead(200, {'content-type': type, 'content-length': body.length});
		let offset = 0;
		const next = (): void => {
			if (response.destroyed) {
				return;
			}

			if (offset >= body.length) {
				response.end();
				return;
			}

			context.addBytes(1);
			response.write(body.subarray(offset, ++offset));
			context.later(next, interval);
		};

		next();
	}

	/** An image of unannounced length, written only as fast as the client reads, so a client that stops early stops the server too. */
	function streamChunked(response: ServerResponse, name: string, query: URLSearchParams): void {
		const format = name.toLowerCase().endsWith('.png') ? 'png' : 'jpg';
		const chunks = imageChunks(format, query.get('seed') ?? name, Number(query.get('size') ?? 2000));
		response.writeHead(200, {'content-type': format === 'png' ? 'image/png' : 'image/jpeg'});
		pumpChunks(response, chunks, bytes => {
			context.addBytes(bytes);
		});
	}

	/** An image of a known pixel size, streamed as fast as the client reads, so a client that stops early stops the server too. */
	function sendSized(response: ServerResponse, name: string, query: URLSearchParams): void {
		const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
		const format = (ext === 'jpeg' ? 'jpg' : ext) as SizedFormat;
		if (!sizedFormats.includes(format)) {
			send(response, 404, {'content-type': 'text/plain'}, Buffer.from(`no sized images of type ${ext}`));
			return;
		}

		const body = renderSizedImage({
			format,
			...impliedPixelSize(name, query.get('px')),
			seed: query.get('seed') ?? name,
			size: Number(query.get('size') ?? 0),
			exif: Number(query.get('exif') ?? 0),
		});
		response.writeHead(200, {'content-type': format === 'svg' ? 'image/svg+xml' : 'application/octet-stream', 'content-length': body.length});
		const chunks = function* () {
			for (let offset = 0; offset < body.length; offset += 64 * 1024) {
				yield body.subarray(offset, offset + 64 * 1024);
			}
		};
		pumpChunks(response, chunks(), context.addBytes);
	}

	/** Answer a `/fault/...` request. */
	function handle(request: IncomingMessage, response: ServerResponse, path: string): void {
		const count = (counts.get(path) ?? 0) + 1;
		counts.set(path, count);
		const query = new URL(request.url ?? '/', 'http://fixture').searchParams;
		const [route = '', ...rest] = path.slice(faultPrefix.length).split('/');
		const takesArgument = ['status', 'retry-after', 'drip', 'early-hints', 'bomb', 'type', 'redirect', 'redirect-to', 'redirect-host'].includes(route);
		const argument = takesArgument ? (rest.shift() ?? '') : '';
		const name = rest.join('/');
		const times = query.has('times') ? Number(query.get('times')) : Number.POSITIVE_INFINITY;
		const faulty = count <= times;
		const success = () => {
			const {type, body} = successBody(name, query);
			const validators = Object.fromEntries(['last-modified', 'etag'].flatMap(header => (query.has(header) ? [[header, query.get(header)!]] : [])));
			send(response, 200, {'content-type': type, ...validators}, body);
		};

		if (name === '') {
			send(response, 404, {'content-type': 'text/plain'}, Buffer.from('fault routes end in a file name'));
			return;
		}

		switch (route) {
			case 'ok': {
				success();
				return;
			}

			case 'status': {
				const codes = argument.split(',').map(Number);
				const status = codes[Math.min(count, codes.length) - 1] ?? 500;
				if (status === 200) {
					success();
				} else {
					send(response, status, {'content-type': 'text/html; charset=utf-8'}, Buffer.from(`<!doctype html><title>${status}</title><h1>Error ${status}</h1>`));
				}

				return;
			}

			case 'retry-after': {
				if (count > 1) {
					success();
					return;
				}

				const value = argument.startsWith('date-') ? new Date(Date.now() + Number(argument.slice(5)) * 1000).toUTCString() : argument;
				send(response, 429, {'content-type': 'text/plain', 'retry-after': value}, Buffer.from('slow down'));
				return;
			}

			case 'reset':
			case 'short':
			case 'stall': {
				if (!faulty) {
					success();
					return;
				}

				const {type, body} = successBody(name, query);
				sendHalf(response, type, body, sent => {
					// Once the half is out: a reset with pending writes degrades to a plain close, so wait a moment.
					if (route === 'reset') {
						context.later(() => sent.socket?.resetAndDestroy(), 20);
					} else if (route === 'short') {
						sent.socket?.end();
					}
					// A stall just waits: the client's timeout, or close(), ends it.
				});
				return;
			}

			case 'drip': {
				if (!faulty) {
					success();
					return;
				}

				const {type, body} = successBody(name, query);
				drip(response, type, body, Number(argument) || 100);
				return;
			}

			case 'hang': {
				// Only close() ends it.
				return;
			}

			case 'early-hints': {
				const hint = (): void => {
					if (!response.destroyed) {
						response.writeEarlyHints({link: '</style.css>; rel=preload; as=style'});
						context.later(hint, Number(argument) || 100);
					}
				};

				hint();
				return;
			}

			case 'bomb': {
				const {type, body} = successBody(name, query);
				const key = `${argument}/${name}`;
				let bomb = bombs.get(key);
				if (bomb === undefined) {
					bomb = compressedBomb(body, Number(argument));
					bombs.set(key, bomb);
				}

				void bomb.then(compressed => {
					send(response, 200, {'content-type': type, 'content-encoding': 'br'}, compressed);
				});
				return;
			}

			case 'html-as-jpeg': {
				if (!faulty) {
					success();
					return;
				}

				send(
					response,
					200,
					{'content-type': 'image/jpeg'},
					Buffer.from('<!doctype html><html><head><title>Service Unavailable</title></head><body><h1>Try again later</h1></body></html>'),
				);
				return;
			}

			case 'type': {
				if (!(sampleTypes as readonly string[]).includes(argument)) {
					send(response, 404, {'content-type': 'text/plain'}, Buffer.from(`no sample of type ${argument}`));
					return;
				}

				send(
					response,
					200,
					{'content-type': 'application/octet-stream'},
					sampleImage(argument as SampleType, query.get('seed') ?? name, Number(query.get('size') ?? 2000)),
				);
				return;
			}

			case 'redirect': {
				const left = Number(argument);
				if (left > 0) {
					redirect(response, `${faultPrefix}redirect/${left - 1}/${name}`);
				} else {
					success();
				}

				return;
			}

			case 'redirect-loop': {
				redirect(response, `${faultPrefix}redirect-loop-back/${name}`);
				return;
			}

			case 'redirect-loop-back': {
				redirect(response, `${faultPrefix}redirect-loop/${name}`);
				return;
			}

			case 'redirect-to': {
				redirect(response, `${argument}://127.0.0.1/${name}`);
				return;
			}

			case 'redirect-host': {
				const search = new URL(request.url ?? '/', 'http://fixture').search;
				redirect(response, `http://${argument}:${request.socket.localPort}${faultPrefix}ok/${name}${search}`);
				return;
			}

			case 'gzip':
			case 'deflate':
			case 'br': {
				const {type, body} = successBody(name, query);
				const encode = {gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync}[route];
				send(response, 200, {'content-type': type, 'content-encoding': route}, encode(body));
				return;
			}

			case 'chunked': {
				streamChunked(response, name, query);
				return;
			}

			case 'sized': {
				sendSized(response, name, query);
				return;
			}

			case 'disposition': {
				const {type, body} = successBody(name, query);
				send(response, 200, {'content-type': type, 'content-disposition': 'attachment; filename="../../escaped.jpg"'}, body);
				return;
			}

			default: {
				send(response, 404, {'content-type': 'text/plain'}, Buffer.from(`no fault route ${route}`));
			}
		}
	}

	return {handle};
}
