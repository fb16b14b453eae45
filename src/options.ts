import path from 'node:path';
import {imageTypeNames, normaliseImageType} from './download/image-types.js';
import {checkNameTemplate} from './download/template.js';
import {UsageError} from './errors.js';
import {selectorError} from './extract/select.js';
import {parseCookieHeader} from './http/cookies.js';
import {parseHeaderLine, type HeaderLine} from './http/identity.js';
import type {RobotsMode} from './http/robots.js';
import type {RetryPolicy} from './http/retry.js';
import {expandPageUrls, parsePageRange} from './page-urls.js';
import type {ExtractOptions, ScrapeEvent} from './types.js';
import {defaults} from './defaults.js';
import {boolean, describe, milliseconds, nonEmptyString, parseSize, parseWorkers, positiveInteger, rate, wholeNumber} from './validate.js';

// Re-exported for the library's users; the CLI imports defaults.ts directly to stay light.
export {defaults} from './defaults.js';
export {parseSize} from './validate.js';

/**
Everything `scrape()` accepts. Every option but `urls` has a default. Options in
milliseconds (and the spacing 1000/`rate`) are at most 2147483647, the longest
wait Node's timers can hold.
*/
export interface ScrapeOptions {
	/** Listing page URLs; may hold `{page}` or `{_page}` placeholders expanded by `pages`. */
	urls: readonly string[];
	/** Page numbers for the placeholders: a range string (`1-4`, `1,3,7-9`) or a list. */
	pages?: string | readonly number[] | undefined;
	/** Output folder. @default './img' */
	out?: string | undefined;
	/** Downloads in flight at once. @default 16 */
	concurrency?: number | undefined;
	/** Listing pages in flight at once. @default 4 */
	pageConcurrency?: number | undefined;
	/** CSS selector of image elements. @default 'img' */
	selector?: string | undefined;
	/** Which srcset candidates to take. @default 'largest' */
	srcset?: ExtractOptions['srcset'] | undefined;
	/** Save `data:` image URIs. @default false */
	dataUris?: boolean | undefined;
	/** Take `<a href>` links to image files. @default false */
	links?: boolean | undefined;
	/** Take og:image / twitter:image. @default false */
	meta?: boolean | undefined;
	/** Take inline-style background images. @default false */
	css?: boolean | undefined;
	/** CSS selector of links to follow to detail pages; `selector` then applies on the last level. @default none */
	follow?: string | undefined;
	/** How many levels of links `follow` goes down. @default 1 */
	depth?: number | undefined;
	/** Follow next-page links: a CSS selector, or `auto` for `rel=next`. @default none */
	next?: string | undefined;
	/** With `next`, stop once the run has this many listing pages (start pages included). @default 50 */
	maxPages?: number | undefined;
	/** At most this many images are taken from one page, and as many followed and next-page links; the page reports when it was cut. @default 100000 */
	maxPerPage?: number | undefined;
	/** Host names that followed and next-page links may lead to, besides those of the start pages (any port). @default [] */
	allowHost?: readonly string[] | undefined;
	/**
	Worker threads that parse pages: 0 parses on the main thread; `auto` takes
	the available cores minus one (at least 1). Worth it when pages are large
	(hundreds of kB of HTML, thousands of images) and parsing is the bottleneck.
	At most 4 per available core: each worker has a heap of its own.
	@default 0
	*/
	parseWorkers?: number | 'auto' | undefined;
	/** Download the images; `false` only lists them. @default true */
	download?: boolean | undefined;
	/** Milliseconds allowed to connect, to receive headers (1xx interim responses do not count), and for each idle gap in a body; also the window of `minSpeed`. @default 30000 */
	timeout?: number | undefined;
	/** Least bytes per second a body must average over each `timeout` window, or it fails as `timeout` (bytes, or a size string such as `1k`); 0 for no such rule. @default 1000 */
	minSpeed?: number | string | undefined;
	/** Most times a body may decode (gzip, deflate, br) to what was received, once past 10 MiB decoded; past it the image is skipped as `too-large` (a page fails so). 0 for no limit. @default 100 */
	maxRatio?: number | undefined;
	/** User-Agent header. @default 'imgscrape/VERSION (+https://www.npmjs.com/package/imgscrape)' */
	userAgent?: string | undefined;
	/** At most this many requests in flight to one host (`host:port`), pages and images together. @default no cap beyond the pools */
	perHost?: number | undefined;
	/** At most this many requests per second to one host, evenly spaced (the starts are at least 1000/rate ms apart). @default no limit */
	rate?: number | undefined;
	/** At least this many ms between the starts of two requests to one host. @default 0 */
	delay?: number | undefined;
	/**
	Where robots.txt applies: `pages` (page fetches), `strict` (images too) or `ignore`.
	Its Crawl-delay is a floor under `delay` for that host. @default 'pages'
	*/
	robots?: RobotsMode | undefined;
	/**
	The longest robots.txt Crawl-delay honoured, in ms. A site that asks for more
	is skipped: its pages fail as `robots` rather than hold the run for hours. @default 60000
	*/
	maxCrawlDelay?: number | undefined;
	/** Extra request headers: `Name: value` lines, or an object. They win over the computed ones; an empty value removes a header. @default none */
	header?: string | readonly string[] | Readonly<Record<string, string>> | undefined;
	/** Referer for every request, or `false` for none. @default images: the page they were found on; pages: none */
	referer?: string | false | undefined;
	/** Cookies `name=value; name2=value2` sent to the start pages' hosts. @default none */
	cookie?: string | undefined;
	/** A Netscape cookies.txt file (as browser extensions, wget and gallery-dl write it). @default none */
	cookies?: string | undefined;
	/** Send every request through this http(s) proxy. @default HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment, loopback excepted */
	proxy?: string | undefined;
	/** Accept TLS certificates that do not verify (self-signed ones). @default false */
	insecure?: boolean | undefined;
	/** Offer HTTP/2 to https servers (ALPN); HTTP/1.1 stays the fallback. @default false */
	http2?: boolean | undefined;
	/** Retries after a failed attempt at a page or image, for network errors, timeouts, truncated bodies and 408/425/429/500/502/503/504. @default 3 */
	retries?: number | undefined;
	/** Base of the exponential backoff between retries, in ms; each wait is drawn from 0 up to `retryDelay * 2^n` (full jitter, at most 30 s). @default 500 */
	retryDelay?: number | undefined;
	/** The longest wait a server's `Retry-After` can ask for, in ms; longer requests are cut to this. @default 60000 */
	maxRetryAfter?: number | undefined;
	/** Total time for a page or image, in ms: every attempt, body included, and the waits between them; 0 for no limit. A timeout is retried once at most, within it. @default 300000 */
	deadline?: number | undefined;
	/** Redirects followed before a request fails as `redirect`. @default 5 */
	maxRedirects?: number | undefined;
	/** Largest image kept, in bytes (or a string such as `10MB`, `500k`, `2MiB`); a body is stopped as soon as it passes it. @default no limit */
	maxSize?: number | string | undefined;
	/** Smallest image kept, in bytes or a size string. @default 0 */
	minSize?: number | string | undefined;
	/** Image types kept, judged by content: `jpg`, `png`, `gif`, `webp`, `avif`, `bmp`, `ico`, `tiff`, `svg` ... (a list or a comma-separated string). @default every image type */
	accept?: string | readonly string[] | undefined;
	/** File name template inside `out`, with `{host}`, `{path}`, `{name}`, `{ext}`, `{page}`, `{index}`, `{hash}`; `/` makes folders. @default the URL's file name */
	name?: string | undefined;
	/** Keep identical bytes from different URLs once (by sha256); the later URLs are skipped as `duplicate`. @default false */
	dedupeContent?: boolean | undefined;
	/** Replace a file that stands under a wanted name; without it such a file is never touched and the image takes another name (or counts as `exists` when the bytes are the same). @default false */
	overwrite?: boolean | undefined;
	/** The manifest (JSON lines) that records each saved file and lets a rerun skip it; may be shared across runs and folders. @default '<out>/.imgscrape.jsonl' */
	archive?: string | undefined;
	/** Cancels the run: queued work is dropped, requests are aborted, partial files removed. */
	signal?: AbortSignal | undefined;
	/** Called for every event, in order, on the main thread. */
	onEvent?: ((event: ScrapeEvent) => void) | undefined;
}

/** `ScrapeOptions` after defaults and validation: what the rest of the code reads. */
export interface ResolvedOptions {
	pageUrls: string[];
	out: string;
	concurrency: number;
	pageConcurrency: number;
	/** What the extractor is asked for on the last level; the scraper narrows it per page. */
	extract: ExtractOptions;
	depth: number;
	maxPages: number;
	allowHost: string[];
	/** Worker threads for parsing, `auto` resolved; 0 parses inline. */
	parseWorkers: number;
	download: boolean;
	timeout: number;
	minSpeed: number;
	maxRatio: number;
	userAgent: string;
	/** `Infinity` when there is no cap. */
	perHost: number;
	/** Requests per second per host; `Infinity` when unlimited. */
	rate: number;
	delay: number;
	robots: RobotsMode;
	maxCrawlDelay: number;
	headers: HeaderLine[];
	referer: string | false | undefined;
	cookie: string | undefined;
	cookies: string | undefined;
	proxy: string | undefined;
	insecure: boolean;
	http2: boolean;
	retry: RetryPolicy;
	maxRedirects: number;
	files: FileRules;
	overwrite: boolean;
	signal: AbortSignal | undefined;
	onEvent: (event: ScrapeEvent) => void;
}

/** What decides whether and where an image is saved. */
export interface FileRules {
	/** Largest body kept, in bytes. */
	maxSize: number;
	minSize: number;
	/** Image types kept (canonical extensions), or undefined for all. */
	accept: ReadonlySet<string> | undefined;
	/** `name` template, or undefined for the URL's file name. */
	name: string | undefined;
	dedupeContent: boolean;
	/** Absolute path of the manifest. */
	manifest: string;
}


const robotsModes: readonly RobotsMode[] = ['pages', 'strict', 'ignore'];

const srcsetModes: ReadonlyArray<ExtractOptions['srcset']> = ['largest', 'all', 'src'];

function acceptedTypes(value: ScrapeOptions['accept']): ReadonlySet<string> | undefined {
	if (value === undefined) {
		return undefined;
	}

	const list = typeof value === 'string' ? value.split(',') : value;
	if (!Array.isArray(list) || list.length === 0) {
		throw new UsageError(`Expected \`accept\` to be a list of image types, got ${describe(value)}`);
	}

	const types = new Set<string>();
	for (const entry of list) {
		const type = typeof entry === 'string' ? normaliseImageType(entry.trim()) : undefined;
		if (type === undefined) {
			throw new UsageError(`Expected \`accept\` to hold image types (${imageTypeNames.join(', ')}), got ${describe(entry)}`);
		}

		types.add(type);
	}

	return types;
}

function selector(name: string, value: unknown, fallback: string): string;
function selector(name: string, value: unknown, fallback: undefined): string | undefined;
function selector(name: string, value: unknown, fallback: string | undefined): string | undefined {
	if (value === undefined && fallback === undefined) {
		return undefined;
	}

	const checked = nonEmptyString(name, value, fallback ?? '');
	const error = name === 'next' && checked === 'auto' ? undefined : selectorError(checked);
	if (error !== undefined) {
		throw new UsageError(`Expected \`${name}\` to be a CSS selector, got \`${checked}\`: ${error}`);
	}

	return checked;
}

function hosts(value: unknown): string[] {
	const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
	return list.map(host => {
		if (typeof host !== 'string' || !/^[\w.-]+$/.test(host)) {
			throw new UsageError(`Expected \`allowHost\` to hold host names such as cdn.example.com, got ${describe(host)}`);
		}

		return host.toLowerCase();
	});
}

function headerLines(value: ScrapeOptions['header']): HeaderLine[] {
	if (value === undefined) {
		return [];
	}

	if (typeof value === 'string' || Array.isArray(value)) {
		const lines: unknown[] = typeof value === 'string' ? [value] : value;
		return lines.map(line => {
			if (typeof line !== 'string') {
				throw new UsageError(`Expected \`header\` to hold 'Name: value' strings, got ${describe(line)}`);
			}

			return parseHeaderLine(line);
		});
	}

	if (typeof value !== 'object' || value === null) {
		throw new UsageError(`Expected \`header\` to be 'Name: value' strings or an object, got ${describe(value)}`);
	}

	return Object.entries(value).map(([name, headerValue]) => parseHeaderLine(`${name}: ${String(headerValue)}`));
}

function httpUrl(name: string, value: unknown): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	let url: URL | undefined;
	try {
		url = typeof value === 'string' ? new URL(value) : undefined;
	} catch {}

	if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new UsageError(`Expected \`${name}\` to be an http or https URL, got ${describe(value)}`);
	}

	return value as string;
}

function referer(value: unknown): string | false | undefined {
	return value === false ? false : httpUrl('referer', value);
}

function cookieHeader(value: unknown): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (typeof value !== 'string') {
		throw new UsageError(`Expected \`cookie\` to be a string such as 'a=b; c=d', got ${describe(value)}`);
	}

	// Validated now, so a bad pair is a usage error before any request.
	parseCookieHeader(value);
	return value;
}

function pageNumbers(value: ScrapeOptions['pages']): number[] | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (typeof value === 'string') {
		return parsePageRange(value);
	}

	if (!Array.isArray(value) || value.length === 0 || !value.every(page => Number.isSafeInteger(page) && page >= 1)) {
		throw new UsageError(`Expected \`pages\` to be a range string or a list of page numbers from 1 up, got ${describe(value)}`);
	}

	return [...value];
}

/** Apply defaults and validate, once. Throws `UsageError` naming the option and the value received. */
export function resolveOptions(options: ScrapeOptions): ResolvedOptions {
	if (!Array.isArray(options.urls) || options.urls.length === 0) {
		throw new UsageError('Expected at least one page URL');
	}

	const srcset = options.srcset ?? defaults.srcset;
	if (!srcsetModes.includes(srcset)) {
		throw new UsageError(`Expected \`srcset\` to be one of ${srcsetModes.join(', ')}, got ${describe(srcset)}`);
	}

	if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
		throw new UsageError(`Expected \`signal\` to be an AbortSignal, got ${describe(options.signal)}`);
	}

	const onEvent = options.onEvent ?? (() => {});
	if (typeof onEvent !== 'function') {
		throw new UsageError(`Expected \`onEvent\` to be a function, got ${describe(onEvent)}`);
	}

	const robots = options.robots ?? defaults.robots;
	if (!robotsModes.includes(robots)) {
		throw new UsageError(`Expected \`robots\` to be one of ${robotsModes.join(', ')}, got ${describe(robots)}`);
	}

	const follow = selector('follow', options.follow, undefined);
	const next = selector('next', options.next, undefined);
	if (options.depth !== undefined && follow === undefined) {
		throw new UsageError('`depth` needs `follow`: the selector of the links to go down');
	}

	if (options.maxPages !== undefined && next === undefined) {
		throw new UsageError('`maxPages` needs `next`: the selector of next-page links, or auto');
	}

	const out = path.resolve(nonEmptyString('out', options.out, defaults.out));
	const maxSize = parseSize('maxSize', options.maxSize, defaults.maxSize);
	const minSize = parseSize('minSize', options.minSize, defaults.minSize);
	if (minSize > maxSize) {
		throw new UsageError(`Expected \`minSize\` (${minSize}) to be at most \`maxSize\` (${maxSize})`);
	}

	const name = options.name === undefined ? undefined : checkNameTemplate(nonEmptyString('name', options.name, ''));
	return {
		pageUrls: expandPageUrls(options.urls, pageNumbers(options.pages)),
		out,
		concurrency: positiveInteger('concurrency', options.concurrency, defaults.concurrency),
		pageConcurrency: positiveInteger('pageConcurrency', options.pageConcurrency, defaults.pageConcurrency),
		extract: {
			selector: selector('selector', options.selector, defaults.selector),
			srcset,
			dataUris: boolean('dataUris', options.dataUris, defaults.dataUris),
			links: boolean('links', options.links, defaults.links),
			meta: boolean('meta', options.meta, defaults.meta),
			css: boolean('css', options.css, defaults.css),
			follow,
			next,
			maxPerPage: positiveInteger('maxPerPage', options.maxPerPage, defaults.maxPerPage),
		},
		depth: positiveInteger('depth', options.depth, defaults.depth),
		maxPages: positiveInteger('maxPages', options.maxPages, defaults.maxPages),
		allowHost: hosts(options.allowHost),
		parseWorkers: parseWorkers(options.parseWorkers, defaults.parseWorkers),
		download: boolean('download', options.download, defaults.download),
		timeout: milliseconds('timeout', options.timeout, defaults.timeout, {min: 1, whole: true}),
		minSpeed: parseSize('minSpeed', options.minSpeed, defaults.minSpeed),
		maxRatio: wholeNumber('maxRatio', options.maxRatio, defaults.maxRatio),
		userAgent: nonEmptyString('userAgent', options.userAgent, defaults.userAgent),
		perHost: positiveInteger('perHost', options.perHost, defaults.perHost),
		rate: rate('rate', options.rate, defaults.rate),
		delay: milliseconds('delay', options.delay, defaults.delay),
		robots,
		maxCrawlDelay: milliseconds('maxCrawlDelay', options.maxCrawlDelay, defaults.maxCrawlDelay),
		headers: headerLines(options.header),
		referer: referer(options.referer),
		cookie: cookieHeader(options.cookie),
		cookies: options.cookies === undefined ? undefined : nonEmptyString('cookies', options.cookies, ''),
		proxy: httpUrl('proxy', options.proxy),
		insecure: boolean('insecure', options.insecure, defaults.insecure),
		http2: boolean('http2', options.http2, defaults.http2),
		retry: {
			retries: wholeNumber('retries', options.retries, defaults.retries),
			retryDelay: milliseconds('retryDelay', options.retryDelay, defaults.retryDelay, {whole: true}),
			maxRetryAfter: milliseconds('maxRetryAfter', options.maxRetryAfter, defaults.maxRetryAfter, {whole: true}),
			deadline: milliseconds('deadline', options.deadline, defaults.deadline, {whole: true}),
		},
		maxRedirects: wholeNumber('maxRedirects', options.maxRedirects, defaults.maxRedirects),
		files: {
			maxSize,
			minSize,
			accept: acceptedTypes(options.accept),
			name,
			dedupeContent: boolean('dedupeContent', options.dedupeContent, defaults.dedupeContent),
			manifest: options.archive === undefined ? path.join(out, defaults.manifest) : path.resolve(nonEmptyString('archive', options.archive, '')),
		},
		overwrite: boolean('overwrite', options.overwrite, defaults.overwrite),
		signal: options.signal,
		onEvent,
	};
}
