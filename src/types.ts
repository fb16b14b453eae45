/**
Plain, serialisable data that flows between the stages. Nothing here holds a
socket, a stream or a class instance, so all of it survives `postMessage`.
*/

/** Where on the page an image URL was found: `direct` when a start URL answered with an image itself; `response`, with `render`, an image the page loaded that no harvest of its DOM saw. */
export type ImageSource = 'img' | 'srcset' | 'picture' | 'lazy' | 'noscript' | 'link' | 'meta' | 'css' | 'data' | 'direct' | 'response';

/** One image found on a page by the extractor. */
export interface FoundImage {
	/** Absolute URL (or a `data:` URI when data URIs are enabled). */
	url: string;
	source: ImageSource;
	/** The element's alt text, entity-decoded and trimmed, when it has one. */
	alt?: string;
	/** The declared width (`width` attribute or srcset `w` descriptor) when known. */
	width?: number;
	/** The srcset descriptor the URL was picked with, such as `2x` or `800w`. */
	descriptor?: string;
	/** The element's title attribute, trimmed, when `titles` asks for it and it has one. */
	title?: string;
	/** The URL as the page gave it, when a `rewrite` rule changed it into `url`. */
	original?: string;
	/** Left out by `include` / `exclude`: reported, never fetched. */
	excluded?: true;
}

/** HTTP response headers, lower-cased names, as undici gives them. */
export type Headers = Record<string, string | string[] | undefined>;

/** What the extractor returns for one page. */
export interface ExtractResult {
	/** Images in document order, deduplicated by URL. */
	images: FoundImage[];
	/** Absolute URLs of links matched by the `follow` selector, in document order, deduplicated. */
	links: string[];
	/** Absolute URLs of next-page links (`next` selector or `rel=next`), deduplicated. */
	next: string[];
	/** The character encoding the page was decoded with (WHATWG name, e.g. `UTF-8`, `GBK`). */
	encoding: string;
	/** The page's `<title>`, whitespace collapsed, when `titles` asks for it and it has one. */
	title?: string;
	/** Which of `images`, `links` and `next` were cut at `maxPerPage`; absent when none was. */
	capped?: Array<'images' | 'links' | 'next'>;
	/** What could not be read from the page, such as a selector stopped by its bound; absent when all was read. */
	warnings?: ExtractWarning[];
	/** How many elements the selectors matched and how many `<img>` and `<a>` the page has: what a hint needs when a selector matches nothing. */
	counts?: MatchCounts;
}

/**
Elements a page's selectors matched, beside the elements of the kind they
usually aim at: `selected` of `selector` against the page's `img` elements,
`followed` links of `follow` against its `a` elements. A count is absent
when the page was not asked for it (a level that takes no images, no `follow`).
*/
export interface MatchCounts {
	selected?: number;
	img?: number;
	followed?: number;
	a?: number;
}

/** Something the extractor could not read from a page, and which of its results it concerns. */
export interface ExtractWarning {
	about: 'images' | 'links' | 'next';
	message: string;
}

/** The resolved options the extractor needs: plain data, so a worker can receive them. */
export interface ExtractOptions {
	/** CSS selector for image elements; applies on the last level of a `follow` crawl. */
	selector: string;
	/** Which srcset candidates to report: the largest, all of them, or none (plain `src` only). */
	srcset: 'largest' | 'all' | 'src';
	/** Report `data:` image URIs instead of skipping them. */
	dataUris: boolean;
	/** Report `<a href>` links that point at an image file. */
	links: boolean;
	/** Report `og:image` / `twitter:image` meta tags. */
	meta: boolean;
	/** Report `background-image` URLs in inline `style` attributes. */
	css: boolean;
	/** CSS selector of links to follow (detail pages); none when undefined. */
	follow?: string | undefined;
	/** CSS selector of next-page links, or `auto` for `rel=next`; none when undefined. */
	next?: string | undefined;
	/** At most this many images, and as many links of each kind, are taken from one page; the default when undefined. */
	maxPerPage?: number | undefined;
	/** Also report the page's `<title>` and each image element's title attribute (for metadata). @default false */
	titles?: boolean | undefined;
}

/** A failure as plain data: what the report lists and events carry. */
export interface Failure {
	url: string;
	/** The page the item was found on; absent for pages themselves. */
	page?: string | undefined;
	/** Stable category, e.g. `http-404`, `timeout`, `not-an-image`. */
	code: string;
	message: string;
	/** Why, in plain words for the report (`connection refused at 127.0.0.1:8081`, `HTTP 404 Not Found`); the message when it already says so. */
	reason?: string | undefined;
}

/** Something the run did not fail on but changed course for, worth telling the user as it happens. */
export interface Warning {
	/**
	Stable kind: `crawl-delay` (a site's robots.txt Crawl-delay spaces its requests
	further apart than asked), `crawl-delay-capped` (past `maxCrawlDelay`: the site is
	skipped), or `page` (something could not be read from a page that was otherwise
	fine, such as a selector stopped by its bound).
	*/
	code: 'crawl-delay' | 'crawl-delay-capped' | 'page';
	/** The URL it concerns (for a Crawl-delay, the robots.txt). */
	url: string;
	message: string;
}

/** The outcome of one listing page, reported in page order. */
export interface PageResult {
	/** The page's number in the run, in the order pages were found (start pages first). */
	index: number;
	url: string;
	/** 0 for listing pages, 1 for pages followed from them, and so on. */
	depth: number;
	/** The page this one was found on; absent for start pages. */
	parent?: string | undefined;
	ok: boolean;
	/** The images the page holds, in document order (the last level only, with `follow`). */
	images: FoundImage[];
	/**
	How many of `images` this page brought to the run first. Pages are parsed as
	they arrive, so an image on two pages counts for whichever was parsed first.
	*/
	newImages: number;
	/** Which of the page's images, links and next-page links were cut at `maxPerPage`; absent when none was. */
	capped?: ExtractResult['capped'];
	/** What could not be read from the page (the page itself is fine); absent when there is nothing to say. */
	warnings?: string[];
	/** What the selectors that apply on this page matched; absent when it was not parsed (a direct image, a rendered page). */
	matched?: MatchCounts;
	/** The page's `<title>`, when metadata asked for it. */
	title?: string;
	error?: Failure | undefined;
}

/**
Why an image was not downloaded although nothing failed: already saved
(`exists`), the same bytes as a file saved under another name (`duplicate`),
left out by `maxSize`, `minSize` or `accept` (`too-large`, `too-small`,
`filtered`), by its pixel size (`dimensions`: `minWidth` ... `maxHeight`), or
by the URL rules before any request (`excluded`: `include`, `exclude`, `range`).
A skip is a result, never a failure.
*/
export type SkipReason = 'exists' | 'duplicate' | 'too-large' | 'too-small' | 'filtered' | 'dimensions' | 'excluded';

/** Why `-c auto` moved, or why it stands where it does. */
export type ConcurrencyReason = 'start' | 'rising' | 'overload' | 'latency' | 'plateau' | 'probe' | 'max';

export interface ConcurrencyChange {
	from: number;
	to: number;
	reason: ConcurrencyReason;
	/** What was seen, in words: `http-503 at 11 in flight`, `median 212 ms against 51 ms at 4` ... */
	detail: string;
	/** The run's last word on it: `from` is where the pool stood at the end, `to` the level found (the same, or, when an overload had just halved it, the level it was climbing back to). */
	settled?: true | undefined;
	/** `pages` for `--page-concurrency auto`'s changes to the page pool; absent for `-c auto`'s, to the download pool. */
	pool?: 'pages' | undefined;
}

/**
What the scraper tells its listener while it runs. The CLI renders these as
progress; the report is reduced from the same facts.
*/
export type ScrapeEvent =
	| {type: 'page-queued'; url: string; depth: number; parent?: string | undefined}
	| {type: 'page'; result: PageResult}
	| {type: 'image-queued'; url: string; page: string}
	| {type: 'image-start'; url: string; page: string}
	/**
	`location` is where the store put the image (a file's absolute path in the output folder);
	`renamed`: the location it wanted was taken by something the run does not own, so it was saved under its stable alternative.
	`width` and `height`: the pixel size its header declares, absent when its first megabyte did not hold it.
	*/
	| {type: 'image-done'; url: string; page: string; location: string; bytes: number; ms: number; renamed?: true; width?: number; height?: number}
	| {type: 'image-failed'; failure: Failure}
	| {type: 'image-skipped'; url: string; page: string; location: string | undefined; reason: SkipReason}
	/** A rewritten image URL answered 404 or 410 (`code`): `original`, the URL as the page gave it, is fetched instead. */
	| {type: 'image-fallback'; url: string; original: string; page: string; code: string}
	| {type: 'retry'; url: string; page?: string; attempt: number; code: string; delayMs: number}
	/** `-c auto` changed the download concurrency (or, with `pool: 'pages'`, `--page-concurrency auto` the page pool's); `settled` once, at the end, with where it ended and why. */
	| ({type: 'concurrency'} & ConcurrencyChange)
	/** `abort`: `images` in a row, the last of them on `page`, were already saved; no more is taken. */
	| {type: 'caught-up'; page: string; images: number}
	| {type: 'warning'; warning: Warning}
	/** One HTTP request and its answer (each redirect hop, robots.txt fetches and retries included), for `--verbose`. */
	| ({type: 'request'} & RequestRecord)
	| ({type: 'page-rendered'} & RenderedPage);

/** One request the HTTP client sent: a line of `--verbose`. */
export interface RequestRecord {
	method: 'GET';
	url: string;
	/** What it was for: a listing page, an image, or a robots.txt. */
	purpose: 'page' | 'image' | 'robots';
	/** The final status; absent when no answer came. */
	status?: number | undefined;
	/** Body bytes handed on (decoded), 0 for a redirect or an error page. */
	bytes: number;
	/** From sending the request to the end of its answer (waiting for a place at the host not included). */
	ms: number;
	/** When no answer came or the body failed: the failure's code and its reason in plain words. */
	error?: {code: string; reason: string} | undefined;
}

/** One page's visit in the browser (`render`), as the report's render stage counts it. */
export interface RenderedPage {
	url: string;
	/** The whole visit, from opening its context to closing it. */
	ms: number;
	/** Harvests of the DOM: one after the load, then one per scroll or click. */
	steps: number;
	/** New images each harvest brought, in order; a last entry counts the image responses no harvest saw (plain selector only). */
	imagesPerStep: number[];
	/** Why the steps stopped: nothing more came (`idle`), `maxScrolls`, or `renderTimeout`. */
	end: 'idle' | 'max-scrolls' | 'timeout';
}
