/**
The HTTP side of the fixture gallery: routing, latency, counting, and closing
without leaving a socket or timer behind.
*/

import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createFaults, faultKind, faultPrefix} from './faults.js';
import {renderDetailPage, renderListingPage, renderNotFound} from './gallery.js';
import {imageChunks, imageContentTypes, renderImage} from './images.js';
import {pumpChunks} from './pump.js';
import {type GalleryImage, type GalleryLayout, galleryImage, imagePrefix, listingPath, parseDetailPath, parseImagePath, parseListingPath} from './layout.js';
import {type GalleryOptions, resolveGalleryOptions} from './options.js';
import {createSequence} from './random.js';
import {readFileInside, readStaticFile, staticKind, staticPrefix} from './static-files.js';
import {createStats, type LogEntry, type RequestKind, type ServerStats} from './stats.js';

/** One request as the server received it (`recordRequests`). */
export interface RecordedRequest {
	method: string;
	/** Path and query as sent. */
	url: string;
	/** Lower-cased names, as node gives them. */
	headers: Record<string, string | string[] | undefined>;
	/** `1.1`, or `2.0` over HTTP/2. */
	httpVersion: string;
	/** The client's port: requests with the same one came over the same connection. */
	remotePort: number | undefined;
	/** `performance.now()` when the request arrived. */
	arrivedMs: number;
}

/** A running fixture gallery. */
export interface FixtureServer {
	/** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
	url: string;
	port: number;
	/** The listing page URLs in order: index.html, index_2.html ... */
	pageUrls(): string[];
	/** The URL template for the CLI: `${url}index{_page}.html`. */
	template: string;
	/** Every image URL of the gallery, page by page, in document order. */
	imageUrls(): string[];
	/**
	The exact bytes the server sends for an image path (e.g. `/uploads/allimg/p2-07.jpg`) or URL.
	@throws RangeError when the gallery has no such image.
	*/
	imageBytes(path: string): Buffer;
	/** A copy of the counters. */
	stats(): ServerStats;
	/** A copy of the event log; empty unless the `log` option is on. */
	log(): LogEntry[];
	/** The requests received, in arrival order; empty unless the `recordRequests` option is on. */
	requests(): RecordedRequest[];
	/** Zeroes the counters, the log and the recorded requests; requests still in flight stay counted as in flight. */
	resetStats(): void;
	/** Stops listening, cancels pending latency timers and destroys every connection, busy or idle. */
	close(): Promise<void>;
}

// Above this an image is streamed segment by segment instead of built whole.
const streamThreshold = 1024 * 1024;
// Rendered listing pages are kept up to this many bytes in total.
const pageCacheBudget = 64 * 1024 * 1024;
// Fixed so that two servers with the same options jitter identically.
const jitterSeed = 0x1a2b3c4d;

/**
Starts the fixture gallery on a free port (or `options.port`) of 127.0.0.1.
@throws RangeError when an option is invalid.
*/
export async function startFixtureServer(options?: GalleryOptions): Promise<FixtureServer> {
	const resolved = resolveGalleryOptions(options);
	const layout: GalleryLayout = {pages: resolved.pages, perPage: resolved.perPage, format: resolved.format};
	const stats = createStats(resolved.log);
	const nextJitter = createSequence(jitterSeed, resolved.jitter);
	const timers = new Set<NodeJS.Timeout>();
	// The end callbacks of responses not yet counted as ended, so close() can settle the counts at once.
	const unfinished = new Set<() => void>();
	const pageCache = new Map<number, Buffer>();
	let pageCacheBytes = 0;
	const imageCache = new Map<string, Buffer>();
	let imageCacheBytes = 0;
	const faults = createFaults({
		addBytes: count => stats.addBytes(count),
		later(callback, ms) {
			const timer = setTimeout(() => {
				timers.delete(timer);
				callback();
			}, ms);
			timers.add(timer);
		},
	});

	function classify(path: string): RequestKind {
		if (path.startsWith(faultPrefix)) {
			return faultKind(path);
		}
		if (resolved.site !== '') {
			return staticKind(path);
		}
		if (parseListingPath(path) !== undefined || /^\/tupian\/[^/]*\.html$/.test(path)) {
			return 'page';
		}
		if (path.startsWith(imagePrefix)) {
			return 'image';
		}
		return path.startsWith(staticPrefix) ? staticKind(path) : 'other';
	}

	function delayFor(path: string): number {
		let delay = resolved.latency;
		if (resolved.jitter > 0) {
			delay += nextJitter();
		}
		const page = parseListingPath(path);
		if (page !== undefined) {
			delay += resolved.pageLatency[page] ?? 0;
		}
		return delay;
	}

	function send(request: IncomingMessage, response: ServerResponse, status: number, contentType: string, body: Buffer): void {
		response.writeHead(status, {'content-type': contentType, 'content-length': body.length});
		if (request.method === 'HEAD') {
			response.end();
			return;
		}
		stats.addBytes(body.length);
		response.end(body);
	}

	/** `/set-cookie?c=<Set-Cookie value>&c=...&to=<path>`: a login-like redirect that sets cookies. */
	function sendSetCookie(request: IncomingMessage, response: ServerResponse): void {
		const query = new URL(request.url ?? '/', 'http://fixture').searchParams;
		const to = query.get('to') ?? '/';
		response.writeHead(302, {location: to.startsWith('/') ? to : `/${to}`, 'set-cookie': query.getAll('c'), 'content-length': 0});
		response.end();
	}

	function sendRobots(request: IncomingMessage, response: ServerResponse, robots: string | {status: number}): void {
		if (typeof robots === 'string') {
			send(request, response, 200, 'text/plain; charset=utf-8', Buffer.from(robots));
			return;
		}
		send(request, response, robots.status, 'text/plain; charset=utf-8', Buffer.alloc(0));
	}

	function sendNotFound(request: IncomingMessage, response: ServerResponse): void {
		send(request, response, 404, 'text/html; charset=utf-8', Buffer.from(renderNotFound()));
	}

	function listingBody(page: number): Buffer {
		const cached = pageCache.get(page);
		if (cached !== undefined) {
			return cached;
		}
		const body = Buffer.from(renderListingPage(layout, page, resolved.pageBytes));
		if (pageCacheBytes + body.length <= pageCacheBudget) {
			pageCache.set(page, body);
			pageCacheBytes += body.length;
		}
		return body;
	}

	function sendImage(request: IncomingMessage, response: ServerResponse, image: GalleryImage): void {
		const size = resolved.size;
		const contentType = imageContentTypes[image.format];
		if (size <= streamThreshold) {
			let body = imageCache.get(image.name);
			if (body === undefined) {
				body = renderImage(image.format, image.name, size);
				if (imageCacheBytes + size <= resolved.imageCache) {
					imageCache.set(image.name, body);
					imageCacheBytes += size;
				}
			}
			send(request, response, 200, contentType, body);
			return;
		}
		response.writeHead(200, {'content-type': contentType, 'content-length': size});
		if (request.method === 'HEAD') {
			response.end();
			return;
		}
		pumpChunks(response, imageChunks(image.format, image.name, size), bytes => {
			stats.addBytes(bytes);
		});
	}

	async function route(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.writeHead(405, {allow: 'GET, HEAD', 'content-length': 0});
			response.end();
			return;
		}
		if (path.startsWith(faultPrefix)) {
			faults.handle(request, response, path);
			return;
		}
		if (path === '/robots.txt' && resolved.robots !== undefined) {
			sendRobots(request, response, resolved.robots);
			return;
		}
		if (path === '/set-cookie') {
			sendSetCookie(request, response);
			return;
		}
		if (resolved.site !== '') {
			// A hand-written site replaces the synthetic gallery, index.html included.
			const file = await readFileInside(resolved.site, path.slice(1));
			if (file !== undefined && !response.destroyed) {
				send(request, response, 200, file.contentType, file.body);
				return;
			}
			sendNotFound(request, response);
			return;
		}
		const page = parseListingPath(path);
		if (page !== undefined) {
			if (page > resolved.pages) {
				sendNotFound(request, response);
				return;
			}
			send(request, response, 200, 'text/html; charset=utf-8', listingBody(page));
			return;
		}
		const detail = parseDetailPath(layout, path);
		if (detail !== undefined) {
			send(request, response, 200, 'text/html; charset=utf-8', Buffer.from(renderDetailPage(layout, detail)));
			return;
		}
		const image = parseImagePath(layout, path);
		if (image !== undefined) {
			sendImage(request, response, image);
			return;
		}
		if (path.startsWith(staticPrefix)) {
			const file = await readStaticFile(resolved.staticDir, path);
			if (response.destroyed) {
				return;
			}
			if (file !== undefined) {
				send(request, response, 200, file.contentType, file.body);
				return;
			}
		}
		sendNotFound(request, response);
	}

	function respond(request: IncomingMessage, response: ServerResponse, path: string): void {
		if (response.destroyed) {
			return;
		}
		route(request, response, path).catch(() => {
			if (!response.headersSent && !response.destroyed) {
				response.writeHead(500, {'content-length': 0});
				response.end();
			} else {
				response.destroy();
			}
		});
	}

	const recorded: RecordedRequest[] = [];
	const server = createServer((request, response) => {
		const path = (request.url ?? '/').replace(/[?#].*$/s, '');
		if (resolved.recordRequests) {
			recorded.push({
				method: request.method ?? 'GET',
				url: request.url ?? '/',
				headers: {...request.headers},
				httpVersion: request.httpVersion,
				remotePort: request.socket.remotePort,
				arrivedMs: performance.now(),
			});
		}
		const kind = classify(path);
		const counted = stats.begin(kind, path);
		const end = (): void => {
			unfinished.delete(end);
			counted();
		};
		unfinished.add(end);
		// 'finish' when the last byte is handed to the socket, 'close' when the socket goes first.
		response.once('finish', end);
		response.once('close', end);
		response.once('close', () => {
			if (response.headersSent && !response.writableFinished) {
				stats.closedEarly();
			}
		});
		const capacity = kind === 'image' ? resolved.imageCapacity : kind === 'page' ? resolved.pageCapacity : 0;
		const over = capacity > 0 ? stats.inFlight(kind) - capacity : 0;
		if (over > 0 && resolved.overload === 'refuse') {
			stats.refuse();
			response.writeHead(503, {'content-length': 0});
			response.end();
			return;
		}
		const delay = delayFor(path) + (over > 0 ? over * resolved.overloadLatency : 0);
		if (delay <= 0) {
			respond(request, response, path);
			return;
		}
		const timer = setTimeout(() => {
			timers.delete(timer);
			respond(request, response, path);
		}, delay);
		timers.add(timer);
		response.once('close', () => {
			clearTimeout(timer);
			timers.delete(timer);
		});
	});
	// Longer than undici's default 4 s, so the client always gives up an idle socket first.
	server.keepAliveTimeout = 10_000;
	server.maxRequestsPerSocket = 0;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		// Node's default backlog of 511 drops a burst of a thousand connects into one-second SYN retries.
		server.listen({port: resolved.port, host: resolved.host, backlog: 4096}, () => {
			server.off('error', reject);
			resolve();
		});
	});

	const port = (server.address() as AddressInfo).port;
	const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
	const url = `http://${hostInUrl}:${port}/`;
	const absolute = (path: string): string => new URL(path, url).href;
	let closing: Promise<void> | undefined;

	return {
		url,
		port,
		template: `${url}index{_page}.html`,
		pageUrls() {
			return Array.from({length: resolved.pages}, (_, index) => absolute(listingPath(index + 1)));
		},
		imageUrls() {
			const urls: string[] = [];
			for (let page = 1; page <= resolved.pages; page++) {
				for (let index = 1; index <= resolved.perPage; index++) {
					urls.push(absolute(galleryImage(layout, page, index).path));
				}
			}
			return urls;
		},
		imageBytes(path) {
			const pathname = /^https?:/i.test(path) ? new URL(path).pathname : path;
			const image = parseImagePath(layout, pathname);
			if (image === undefined) {
				throw new RangeError(`The fixture gallery has no image at \`${path}\``);
			}
			return renderImage(image.format, image.name, resolved.size);
		},
		stats: () => stats.snapshot(),
		log: () => stats.log(),
		requests: () => recorded.map(entry => ({...entry, headers: {...entry.headers}})),
		resetStats: () => {
			stats.reset();
			recorded.length = 0;
		},
		close() {
			closing ??= new Promise<void>(resolve => {
				for (const timer of timers) {
					clearTimeout(timer);
				}
				timers.clear();
				// The callback also gets an error when the server was already stopped: closed is closed.
				server.close(() => resolve());
				server.closeAllConnections();
				// Destroyed responses report 'close' only on a later tick; the counts should be final now.
				for (const end of unfinished) {
					end();
				}
			});
			return closing;
		},
	};
}
