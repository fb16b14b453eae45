import type {FileRules} from './download/file-rules.js';
import type {MetadataRules} from './download/metadata.js';
import type {HeaderLine} from './http/identity.js';
import type {RetryPolicy} from './http/retry.js';
import type {RobotsMode} from './http/robots.js';
import type {ImageRules} from './scraper/image-rules.js';
import type {OpenPages} from './scraper/page-sequence.js';
import type {ExtractOptions, ScrapeEvent} from './types.js';
import type {PositionRange} from './validate.js';

/*
The options' one documented type, and what they become once resolved. Types
alone: the defaults are in defaults.ts, their resolution in resolve-options.ts.
*/

/**
Everything `scrape()` accepts. Every option but `urls` has a default. Options in
milliseconds (and the spacing 1000/`rate`) are at most 2147483647, the longest
wait Node's timers can hold.
*/
export interface ScrapeOptions {
	/** Listing page URLs; may hold `{page}` or `{_page}` placeholders expanded by `pages`. */
	urls: readonly string[];
	/**
	Page numbers for the placeholders: a range string (`1-4`, `1,3,7-9`) or a list;
	`N-` goes on from page N until a page answers 404/410 or holds nothing.
	*/
	pages?: string | readonly number[] | undefined;
	/** Output folder. @default './img' */
	out?: string | undefined;
	/**
	Downloads in flight at once, or `auto`: found while the run goes, from 2 up
	to `maxConcurrency`, backing off when the server pushes back. @default 16
	*/
	concurrency?: number | 'auto' | undefined;
	/** The most downloads `concurrency: 'auto'` goes up to, and the most pages `pageConcurrency: 'auto'` does. @default 64 */
	maxConcurrency?: number | undefined;
	/**
	Listing pages in flight at once, or `auto`: found while the run goes like
	`concurrency: 'auto'`, from 2 up to `maxConcurrency` (and a finite `perHost`),
	backing off when page fetches meet a 429, 503, timeout or a latency jump. @default 4
	*/
	pageConcurrency?: number | 'auto' | undefined;
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
	/** Vary each wait of `delay` (or `rate`) at random between 0.5 and 1.5 times itself, as wget's --random-wait. @default false */
	randomWait?: boolean | undefined;
	/** Bytes per second the whole run may receive, pages and images together (a number, or a size string such as `500k`); 0 for no limit. @default 0 */
	limitRate?: number | string | undefined;
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
	/** File name template inside `out`, with `{host}`, `{path}`, `{name}`, `{ext}`, `{page}`, `{index}`, `{hash}`, `{alt}`, `{title}`, `{pageTitle}`, `{date}`; `/` makes folders. @default the URL's file name */
	name?: string | undefined;
	/** Keep identical bytes from different URLs once (by sha256); the later URLs are skipped as `duplicate`. @default false */
	dedupeContent?: boolean | undefined;
	/** Replace a file that stands under a wanted name; without it such a file is never touched and the image takes another name (or counts as `exists` when the bytes are the same). @default false */
	overwrite?: boolean | undefined;
	/** The manifest (JSON lines) that records each saved file and lets a rerun skip it; may be shared across runs and folders. @default '<out>/.imgscrape.jsonl' */
	archive?: string | undefined;
	/** Write a sidecar `NAME.EXT.json` beside each saved image (url, page, alt, title, bytes, sha256, Last-Modified ...), placed with the image under the same no-clobber rules. @default false */
	writeMetadata?: boolean | undefined;
	/** Append the same metadata as one JSON line per saved image to this file (with `writeMetadata` or instead of it). @default none */
	metadataFile?: string | undefined;
	/** Give each saved file the modification time of the response's Last-Modified, when it has one; `false` keeps the time of download. @default true */
	mtime?: boolean | undefined;
	/**
	Smallest width in pixels kept, read from the image's header as the body
	streams; an image outside `minWidth` ... `maxHeight` is skipped as
	`dimensions` and its download stopped as soon as its size is known. An image
	whose size is not in its first 1 MB is kept. @default 0
	*/
	minWidth?: number | undefined;
	/** Smallest height in pixels kept. @default 0 */
	minHeight?: number | undefined;
	/** Largest width in pixels kept. @default no limit */
	maxWidth?: number | undefined;
	/** Largest height in pixels kept. @default no limit */
	maxHeight?: number | undefined;
	/** Take only images whose URL (after `rewrite`) matches one of these regular expressions; the others are `excluded`, never fetched. @default all */
	include?: string | RegExp | ReadonlyArray<string | RegExp> | undefined;
	/** Leave out images whose URL (after `rewrite`) matches any of these; they are `excluded`, never fetched. @default none */
	exclude?: string | RegExp | ReadonlyArray<string | RegExp> | undefined;
	/**
	Sed-style rewrites `s/REGEX/REPLACEMENT/FLAGS` (any delimiter, `$1` references)
	applied in order to each image URL, to turn thumbnails into originals. A
	rewritten URL that answers 404 or 410 falls back to the URL as found. @default none
	*/
	rewrite?: string | readonly string[] | undefined;
	/** Several URLs of one image at different sizes (`-300x200`, `@2x` suffixes): take the `largest`, or `all`. @default 'largest' */
	variants?: ImageRules['variants'] | undefined;
	/** Take only the images at these positions in page order (the order `list` prints): `A-B`, `A-` or `A`; no page is fetched past the one that completes it. @default all */
	range?: string | undefined;
	/** Take only the first N images in page order: `range` 1-N. @default all */
	limit?: number | undefined;
	/** Stop the run once this many images in a row, in page order, were already saved (the manifest says so): "stop when caught up". @default never */
	abort?: number | undefined;
	/** Load pages in a headless Chromium (playwright-core), scroll and click until idle, and take the images of the live DOM and of the image responses. @default false */
	render?: boolean | undefined;
	/** With `render`: the Chromium or Chrome to drive. @default IMGSCRAPE_BROWSER, then /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome, Chrome's own place */
	browser?: string | undefined;
	/** With `render`: a step ends once the DOM and the image, XHR and fetch requests have been quiet this many ms. @default 1500 */
	scrollIdle?: number | undefined;
	/** With `render`: scroll (or click) steps after the load, at most. @default 50 */
	maxScrolls?: number | undefined;
	/** With `render`: CSS selector of a "load more" button, clicked while it exists and is enabled. @default none */
	click?: string | undefined;
	/** With `render`: the browser's requests to hosts other than the page's own (and `allowHost`) are blocked, image requests excepted. @default false */
	blockThirdParty?: boolean | undefined;
	/** With `render`: ms one page's whole visit in the browser may take; what was harvested by then is kept. @default 60000 */
	renderTimeout?: number | undefined;
	/** Cancels the run: queued work is dropped, requests are aborted, partial files removed. */
	signal?: AbortSignal | undefined;
	/** Called for every event, in order, on the main thread. */
	onEvent?: ((event: ScrapeEvent) => void) | undefined;
}

/** `ScrapeOptions` after defaults and validation: what the rest of the code reads. */
export interface ResolvedOptions {
	pageUrls: string[];
	/** `pages` open-ended: the templates whose pages go on past `pageUrls` (which hold their first). */
	openPages: OpenPages | undefined;
	out: string;
	/** Downloads in flight at once; with `autoConcurrency`, the most it may reach. */
	concurrency: number;
	autoConcurrency: boolean;
	/** Listing pages in flight at once; with `autoPageConcurrency`, the most it may reach. */
	pageConcurrency: number;
	autoPageConcurrency: boolean;
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
	randomWait: boolean;
	/** Bytes per second for the run; 0 for no limit. */
	limitRate: number;
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
	/** Rewrites, variants, include and exclude, applied to each page's images. */
	imageRules: ImageRules;
	/** `range` or `limit`; undefined takes every image. */
	range: PositionRange | undefined;
	/** `abort`: images in a row already saved after which the run stops; undefined never stops. */
	abort: number | undefined;
	overwrite: boolean;
	/** What is written about each saved image besides the manifest. */
	metadata: MetadataRules;
	/** Set a saved file's modification time from Last-Modified. */
	mtime: boolean;
	/** How pages are loaded in the browser; undefined when `render` is off. */
	render: RenderOptions | undefined;
	signal: AbortSignal | undefined;
	onEvent: (event: ScrapeEvent) => void;
}

/** `render` resolved: what the browser visit of a page reads. */
export interface RenderOptions {
	/** The browser's executable, found once when the options are resolved. */
	browser: string;
	scrollIdle: number;
	maxScrolls: number;
	click: string | undefined;
	blockThirdParty: boolean;
	/** Bound on one page's whole visit, in ms. */
	timeout: number;
}
