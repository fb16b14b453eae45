/**
The fixture server's options: documented once here, defaults applied once,
validated once, with errors that name the option and the value received.
*/

import {existsSync, statSync} from 'node:fs';
import {resolve} from 'node:path';
import {packagePath} from '../package-root.js';
import {type ImageFormat, minImageSize} from './images.js';
import {galleryImage} from './layout.js';
import {expected, integer as checkInteger, maxTimerMs, milliseconds as checkMilliseconds} from '../validate.js';

/** How the fixture gallery looks and behaves. */
export interface GalleryOptions {
	/** Listing pages P. @default 4 */
	pages?: number;
	/** Images per page K. @default 20 */
	perPage?: number;
	/** Bytes per image S: the exact body size, at least the format's minimum (a few hundred bytes). @default 20_000 */
	size?: number;
	/** Per-response latency in ms before the response starts. @default 0 */
	latency?: number;
	/** Random extra latency 0..jitter ms, from a seeded, deterministic sequence. @default 0 */
	jitter?: number;
	/** Image format; 'mixed' alternates jpg and png through the gallery. @default 'jpg' */
	format?: 'jpg' | 'png' | 'mixed';
	/** Extra latency in ms for particular listing pages, by 1-based page number, e.g. `{4: 300}`. @default {} */
	pageLatency?: Record<number, number>;
	/** Pad each listing page's HTML to about this many bytes with image-free markup (for parse-bound benchmarks). @default 0 */
	pageBytes?: number;
	/** Keep rendered images (up to 1 MB each) in memory up to this many bytes in total, so serving costs no rendering (benchmarks). @default 0 */
	imageCache?: number;
	/** Folder served under /static/ (hand-written fixture sites). @default the package's fixtures/ folder */
	staticDir?: string;
	/**
	Serve this folder at the root instead of the synthetic gallery: a hand-written
	site such as `gbk-site`, whose absolute links (`/tupian/1.html`) need the root.
	A relative name is looked up in `staticDir`. @default '' (the synthetic gallery)
	*/
	site?: string;
	/** Port; 0 picks a free one. @default 0 */
	port?: number;
	/** Host to bind. @default '127.0.0.1' */
	host?: string;
	/** Record an ordered log of request and response events (for ordering assertions). @default false */
	log?: boolean;
	/**
	What `/robots.txt` answers: this text with a 200, or this status with an
	empty body. @default undefined (a 404, like a site without one)
	*/
	robots?: string | {status: number} | undefined;
	/** Keep each request's method, URL, headers, HTTP version, client port and arrival time, for `requests()`. @default false */
	recordRequests?: boolean;
	/**
	Image requests the server handles at full speed at once; past it, each new
	one is refused or slowed (`overload`). 0 for no limit. A stand-in for a
	server with a limit, for testing `-c auto`. @default 0
	*/
	imageCapacity?: number;
	/** Listing-page requests handled at full speed at once, the same way (`overload`): to test `--page-concurrency auto`. 0 for no limit. @default 0 */
	pageCapacity?: number;
	/**
	What an image request past `imageCapacity` (or a page past `pageCapacity`) gets: `refuse`, a 503 at once
	(counted in `refused`), or `slow`, `overloadLatency` ms more for each image in
	flight over the capacity. @default 'refuse'
	*/
	overload?: 'refuse' | 'slow';
	/** Milliseconds added per image over `imageCapacity` when `overload` is `slow`. @default 100 */
	overloadLatency?: number;
}

/** {@link GalleryOptions} with every default applied. */
export type ResolvedGalleryOptions = Required<Omit<GalleryOptions, 'robots'>> & {robots: string | {status: number} | undefined};

const defaultStaticDir = packagePath('fixtures');

/** The shared checks, throwing `RangeError` as this module always has. */
function integer(name: string, value: unknown, min: number, max?: number): number {
	return checkInteger(name, value, {min, max, error: RangeError});
}

function milliseconds(name: string, value: unknown): number {
	return checkMilliseconds(name, value, {error: RangeError});
}

function siteFolder(options: GalleryOptions): string {
	if (options.site === undefined || options.site === '') {
		return '';
	}
	const folder = resolve(options.staticDir ?? defaultStaticDir, options.site);
	if (!existsSync(folder) || !statSync(folder).isDirectory()) {
		throw new RangeError(expected('site', 'the name of a folder of fixtures', options.site));
	}
	return folder;
}

function robotsAnswer(value: GalleryOptions['robots']): ResolvedGalleryOptions['robots'] {
	if (value === undefined || typeof value === 'string') {
		return value;
	}
	if (typeof value !== 'object' || value === null) {
		throw new RangeError(expected('robots', 'the text of a robots.txt or {status}', value));
	}
	return {status: integer('robots.status', value.status, 100, 599)};
}

function overloadMode(value: GalleryOptions['overload']): 'refuse' | 'slow' {
	if (value === undefined || value === 'refuse' || value === 'slow') {
		return value ?? 'refuse';
	}
	throw new RangeError(expected('overload', "'refuse' or 'slow'", value));
}

/**
Applies the defaults and checks every option.
@throws RangeError naming the first bad option and the value it got.
*/
export function resolveGalleryOptions(options: GalleryOptions = {}): ResolvedGalleryOptions {
	const pages = integer('pages', options.pages ?? 4, 1);
	const perPage = integer('perPage', options.perPage ?? 20, 1);
	const format = options.format ?? 'jpg';
	if (format !== 'jpg' && format !== 'png' && format !== 'mixed') {
		throw new RangeError(expected('format', "'jpg', 'png' or 'mixed'", format));
	}
	// The last image has the longest name, and the name is part of every image's bytes.
	const formats: ImageFormat[] = format === 'mixed' ? ['jpg', 'png'] : [format];
	const minimum = Math.max(...formats.map(each => minImageSize(each, galleryImage({pages, perPage, format: each}, pages, perPage).name)));
	const size = integer('size', options.size ?? 20_000, minimum);
	const pageLatency: Record<number, number> = {};
	for (const [page, value] of Object.entries(options.pageLatency ?? {})) {
		pageLatency[integer('pageLatency key', Number(page), 1)] = milliseconds(`pageLatency[${page}]`, value);
	}
	const latency = milliseconds('latency', options.latency ?? 0);
	const jitter = milliseconds('jitter', options.jitter ?? 0);
	// A response waits for all three at once: their sum must fit a timer too.
	const longest = latency + jitter + Math.max(0, ...Object.values(pageLatency));
	if (longest > maxTimerMs) {
		throw new RangeError(`Expected \`latency\` + \`jitter\` + \`pageLatency\` to be at most ${maxTimerMs} ms together, got ${longest}`);
	}
	const host = options.host ?? '127.0.0.1';
	if (typeof host !== 'string' || host === '') {
		throw new RangeError(expected('host', 'a host name or address', host));
	}
	return {
		pages,
		perPage,
		size,
		latency,
		jitter,
		format,
		pageLatency,
		pageBytes: integer('pageBytes', options.pageBytes ?? 0, 0),
		imageCache: integer('imageCache', options.imageCache ?? 0, 0),
		staticDir: options.staticDir ?? defaultStaticDir,
		site: siteFolder(options),
		port: integer('port', options.port ?? 0, 0, 65_535),
		host,
		log: options.log ?? false,
		robots: robotsAnswer(options.robots),
		recordRequests: options.recordRequests ?? false,
		imageCapacity: integer('imageCapacity', options.imageCapacity ?? 0, 0),
		pageCapacity: integer('pageCapacity', options.pageCapacity ?? 0, 0),
		overload: overloadMode(options.overload),
		overloadLatency: milliseconds('overloadLatency', options.overloadLatency ?? 100),
	};
}
