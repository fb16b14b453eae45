import type {Options} from 'yargs';
import {crawlDefaults, defaults} from '../defaults.js';
import type {GalleryOptions} from '../fixture-server/options.js';
import type {ScrapeOptions} from '../options.js';

/*
The one table of the CLI's flags. Each section is typed against what its flags
fill, so that no field can lack a flag or an explicit `null` (no flag). Each
flag names the commands that take it. Defaults are shown from `defaults` but
applied only by `resolveOptions`, so they live in one place; the flags of
serve and bench, which are not options of `scrape()`, carry their own.
*/

export type CommandName = 'scrape' | 'list' | 'serve' | 'demo' | 'bench' | 'config' | 'join' | 'status' | 'forget';

/** How yargs reads a flag (camelCase here; given kebab-case on the command line), and the commands that take it. */
export interface Flag extends Pick<Options, 'alias' | 'type' | 'array' | 'choices' | 'coerce' | 'default' | 'defaultDescription' | 'group'> {
	describe: string;
	commands: readonly CommandName[];
}

/** Every key of `T` with a flag or `null` for none. */
type Section<T> = {[K in keyof T]-?: Flag | null};

/** The keys of a section that have a flag. */
export type Flagged<S> = {[K in keyof S]: S[K] extends null ? never : K}[keyof S];

const pages: readonly CommandName[] = ['scrape', 'list'];
const scrapeOnly: readonly CommandName[] = ['scrape'];
/** The flags a worker joining a crawl may set for itself: the rest are the crawl's. */
const pagesAndJoin: readonly CommandName[] = ['scrape', 'list', 'join'];
const scrapeAndJoin: readonly CommandName[] = ['scrape', 'join'];

function shown(value: unknown): {defaultDescription: string} {
	return {defaultDescription: String(value)};
}

/**
Every option of `scrape()`. No flag for `urls` (the positional arguments),
`download` (what `list` turns off), `signal` and `onEvent` (the CLI's own).
Repeatable flags are not `array`, which would swallow the URLs after them;
yargs gathers a flag given twice into a list anyway.
*/
export const optionFlags = {
	urls: null,
	pages: {
		type: 'string',
		describe: 'Pages for a {page} or {_page} placeholder: 1-4, 1,3,7-9, or 1- until a page answers 404',
		group: 'Pages:',
		commands: pages,
	},
	pageConcurrency: {
		type: 'number',
		describe: 'Listing pages fetched at once',
		...shown(defaults.pageConcurrency),
		group: 'Pages:',
		commands: pagesAndJoin,
	},
	selector: {type: 'string', describe: 'CSS selector of image elements', ...shown(defaults.selector), group: 'Pages:', commands: pages},
	srcset: {choices: ['largest', 'all', 'src'], describe: 'Which srcset candidates to take', ...shown(defaults.srcset), group: 'Pages:', commands: pages},
	dataUris: {type: 'boolean', describe: 'Save data: image URIs', ...shown(defaults.dataUris), group: 'Pages:', commands: pages},
	links: {type: 'boolean', describe: 'Also take <a href> links to image files', ...shown(defaults.links), group: 'Pages:', commands: pages},
	meta: {type: 'boolean', describe: 'Also take og:image / twitter:image', ...shown(defaults.meta), group: 'Pages:', commands: pages},
	css: {type: 'boolean', describe: 'Also take inline-style background images', ...shown(defaults.css), group: 'Pages:', commands: pages},
	follow: {type: 'string', describe: 'CSS selector of links to follow to detail pages (then --selector applies there)', group: 'Pages:', commands: pages},
	depth: {type: 'number', describe: 'Levels of --follow links to go down', ...shown(defaults.depth), group: 'Pages:', commands: pages},
	next: {type: 'string', describe: 'Follow next-page links: a CSS selector, or auto for rel=next', group: 'Pages:', commands: pages},
	maxPages: {type: 'number', describe: 'With --next, stop at this many listing pages', ...shown(defaults.maxPages), group: 'Pages:', commands: pages},
	maxPerPage: {
		type: 'number',
		describe: 'Images, and links of each kind, taken from one page at most',
		...shown(defaults.maxPerPage),
		group: 'Pages:',
		commands: pages,
	},
	allowHost: {
		type: 'string',
		array: true,
		describe: "Hosts that followed links may lead to, besides the start pages' (repeatable)",
		group: 'Pages:',
		commands: pages,
	},
	parseWorkers: {
		type: 'string',
		// A count stays a number for resolveOptions to check; anything else (auto, or a typo) goes on as the string it is.
		coerce: (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
		describe: 'Worker threads that parse pages: 0 (on the main thread), N, or auto (cores minus one)',
		...shown(defaults.parseWorkers),
		group: 'Pages:',
		commands: pagesAndJoin,
	},
	timeout: {
		type: 'number',
		describe: 'Milliseconds allowed to connect, for headers, and per idle gap in a body',
		...shown(defaults.timeout),
		group: 'HTTP:',
		commands: pages,
	},
	minSpeed: {
		type: 'string',
		describe: 'Least bytes/s a body must average over each --timeout window (0: no minimum)',
		...shown(defaults.minSpeed),
		group: 'HTTP:',
		commands: pages,
	},
	maxRatio: {
		type: 'number',
		describe: 'Most times a body may decode to what was received, past 10 MiB (0: no limit)',
		...shown(defaults.maxRatio),
		group: 'HTTP:',
		commands: pages,
	},
	userAgent: {type: 'string', describe: 'User-Agent header', ...shown('imgscrape/VERSION (+npm page)'), group: 'HTTP:', commands: pages},
	retries: {
		type: 'number',
		describe: 'Retries for network errors, timeouts, truncated bodies and 408/425/429/5xx',
		...shown(defaults.retries),
		group: 'HTTP:',
		commands: pages,
	},
	retryDelay: {
		type: 'number',
		describe: 'Base of the exponential backoff between retries, in ms (full jitter)',
		...shown(defaults.retryDelay),
		group: 'HTTP:',
		commands: pages,
	},
	maxRetryAfter: {
		type: 'number',
		describe: 'Longest wait a Retry-After header can ask for, in ms',
		...shown(defaults.maxRetryAfter),
		group: 'HTTP:',
		commands: pages,
	},
	deadline: {
		type: 'number',
		describe: 'Total ms for a page or image, all attempts and waits included (0: none)',
		...shown(defaults.deadline),
		group: 'HTTP:',
		commands: pages,
	},
	maxRedirects: {type: 'number', describe: 'Redirects followed before giving up', ...shown(defaults.maxRedirects), group: 'HTTP:', commands: pages},
	perHost: {
		type: 'number',
		describe: 'Requests in flight to one host at once, pages and images together',
		defaultDescription: 'no cap',
		group: 'Politeness:',
		commands: pages,
	},
	rate: {type: 'number', describe: 'Requests per second to one host, evenly spaced', defaultDescription: 'no limit', group: 'Politeness:', commands: pages},
	delay: {
		type: 'number',
		describe: 'Milliseconds between the starts of two requests to one host',
		...shown(defaults.delay),
		group: 'Politeness:',
		commands: pages,
	},
	robots: {
		choices: ['pages', 'strict', 'ignore'],
		describe: 'Where robots.txt applies: pages, strict (images too) or ignore',
		...shown(defaults.robots),
		group: 'Politeness:',
		commands: pages,
	},
	maxCrawlDelay: {
		type: 'number',
		describe: 'Longest robots.txt Crawl-delay honoured, in ms; a site asking more is skipped (its pages fail as robots)',
		...shown(defaults.maxCrawlDelay),
		group: 'Politeness:',
		commands: pages,
	},
	header: {alias: 'H', type: 'string', describe: "Extra request header 'Name: value' (repeatable)", group: 'Identity:', commands: pages},
	referer: {
		type: 'string',
		describe: 'Referer for every request; --no-referer sends none',
		defaultDescription: 'images: their page',
		group: 'Identity:',
		commands: pages,
	},
	cookie: {type: 'string', describe: "Cookies 'a=b; c=d' for the start pages' hosts", group: 'Identity:', commands: pages},
	cookies: {type: 'string', describe: 'A Netscape cookies.txt file', group: 'Identity:', commands: pages},
	proxy: {
		type: 'string',
		describe: 'http(s) proxy for every request',
		defaultDescription: 'HTTP_PROXY, HTTPS_PROXY, NO_PROXY',
		group: 'HTTP:',
		commands: pages,
	},
	insecure: {
		type: 'boolean',
		describe: 'Accept TLS certificates that do not verify (self-signed)',
		...shown(defaults.insecure),
		group: 'HTTP:',
		commands: pages,
	},
	http2: {type: 'boolean', describe: 'Offer HTTP/2 to https servers', ...shown(defaults.http2), group: 'HTTP:', commands: pages},
	out: {alias: 'o', type: 'string', describe: 'Output folder', ...shown(defaults.out), group: 'Download:', commands: scrapeAndJoin},
	concurrency: {
		alias: 'c',
		type: 'string',
		// A number stays a number for resolveOptions to check; auto (or a typo) goes on as the string it is.
		coerce: (value: unknown) => (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value),
		describe: 'Downloads in flight at once, or auto: found while the run goes, backing off when the server pushes back',
		...shown(defaults.concurrency),
		group: 'Download:',
		commands: scrapeAndJoin,
	},
	maxConcurrency: {
		type: 'number',
		describe: 'The most downloads -c auto goes up to',
		...shown(defaults.maxConcurrency),
		group: 'Download:',
		commands: scrapeOnly,
	},
	maxSize: {
		type: 'string',
		describe: 'Skip images larger than this (bytes, or 500k, 10MB, 2MiB)',
		defaultDescription: 'no limit',
		group: 'Download:',
		commands: scrapeOnly,
	},
	minSize: {type: 'string', describe: 'Skip images smaller than this', ...shown(defaults.minSize), group: 'Download:', commands: scrapeOnly},
	accept: {
		type: 'string',
		describe: 'Keep only these types, judged by content: jpg,png,gif,webp,avif,bmp,ico,tiff,svg',
		defaultDescription: 'all',
		group: 'Download:',
		commands: scrapeOnly,
	},
	name: {
		type: 'string',
		describe: 'File name template: {host} {path} {name} {ext} {page} {index} {hash}; / makes folders',
		defaultDescription: "the URL's file name",
		group: 'Download:',
		commands: scrapeOnly,
	},
	dedupeContent: {
		type: 'boolean',
		describe: 'Keep identical bytes from different URLs once (sha256)',
		...shown(defaults.dedupeContent),
		group: 'Download:',
		commands: scrapeOnly,
	},
	overwrite: {
		type: 'boolean',
		describe: 'Replace files already standing under a wanted name (default: keep them, save under another name)',
		...shown(defaults.overwrite),
		group: 'Download:',
		commands: scrapeOnly,
	},
	archive: {
		type: 'string',
		describe: 'Manifest of saved files, shared across runs and folders',
		defaultDescription: `<out>/${defaults.manifest}`,
		group: 'Download:',
		commands: scrapeOnly,
	},
	writeMetadata: {
		type: 'boolean',
		describe: 'Write NAME.EXT.json beside each saved image: url, page, alt, title, bytes, sha256, Last-Modified ...',
		...shown(defaults.writeMetadata),
		group: 'Download:',
		commands: scrapeOnly,
	},
	metadataFile: {type: 'string', describe: 'Append the same metadata as one JSON line per saved image to FILE', group: 'Download:', commands: scrapeOnly},
	mtime: {
		type: 'boolean',
		describe: "Give saved files the response's Last-Modified time (--no-mtime: the time of download)",
		...shown(defaults.mtime),
		group: 'Download:',
		commands: scrapeOnly,
	},
	minWidth: {
		type: 'number',
		describe: 'Skip images narrower than this many pixels (read from the header as it streams)',
		...shown(defaults.minWidth),
		group: 'Images:',
		commands: scrapeOnly,
	},
	minHeight: {type: 'number', describe: 'Skip images less tall than this many pixels', ...shown(defaults.minHeight), group: 'Images:', commands: scrapeOnly},
	maxWidth: {type: 'number', describe: 'Skip images wider than this many pixels', defaultDescription: 'no limit', group: 'Images:', commands: scrapeOnly},
	maxHeight: {type: 'number', describe: 'Skip images taller than this many pixels', defaultDescription: 'no limit', group: 'Images:', commands: scrapeOnly},
	include: {type: 'string', describe: 'Take only image URLs matching this JavaScript regex, after --rewrite (repeatable)', group: 'Images:', commands: pages},
	exclude: {type: 'string', describe: 'Leave out image URLs matching this regex, after --rewrite (repeatable)', group: 'Images:', commands: pages},
	rewrite: {
		type: 'string',
		describe: "Rewrite image URLs: 's/REGEX/REPLACEMENT/FLAGS', any delimiter, $1 references (repeatable; 404/410 falls back)",
		group: 'Images:',
		commands: pages,
	},
	variants: {
		choices: ['largest', 'all'],
		describe: 'One image at several sizes (-300x200, @2x): take the largest, or all',
		...shown(defaults.variants),
		group: 'Images:',
		commands: pages,
	},
	range: {type: 'string', describe: 'Take only images at these positions in page order: A-B, A- or A', group: 'Images:', commands: pages},
	limit: {type: 'number', describe: 'Take only the first N images in page order (--range 1-N)', group: 'Images:', commands: pages},
	abort: {
		type: 'number',
		describe: 'Stop once N images in a row (in page order) were already saved: stop when caught up',
		group: 'Images:',
		commands: scrapeOnly,
	},
	render: {
		type: 'boolean',
		describe: 'Load pages in headless Chromium: scroll, click, take the images the page builds',
		...shown(defaults.render),
		group: 'Render:',
		commands: pages,
	},
	browser: {
		type: 'string',
		describe: 'Chromium or Chrome to drive',
		defaultDescription: 'IMGSCRAPE_BROWSER, then /usr/bin/chromium ...',
		group: 'Render:',
		commands: pages,
	},
	scrollIdle: {
		type: 'number',
		describe: 'A step ends after this many ms without DOM changes or image/XHR/fetch requests',
		...shown(defaults.scrollIdle),
		group: 'Render:',
		commands: pages,
	},
	maxScrolls: {type: 'number', describe: 'Scroll or click steps after the load, at most', ...shown(defaults.maxScrolls), group: 'Render:', commands: pages},
	click: {type: 'string', describe: 'CSS selector of a "load more" button, clicked while it exists and is enabled', group: 'Render:', commands: pages},
	blockThirdParty: {
		type: 'boolean',
		describe: "Block the browser's requests to other hosts than the page's (images and --allow-host excepted)",
		...shown(defaults.blockThirdParty),
		group: 'Render:',
		commands: pages,
	},
	renderTimeout: {
		type: 'number',
		describe: "Ms for one page's whole visit in the browser",
		...shown(defaults.renderTimeout),
		group: 'Render:',
		commands: pages,
	},
	download: null,
	signal: null,
	onEvent: null,
} satisfies Section<ScrapeOptions>;

/** What the command line sets of `scrape()`'s options; `urls` holds the positional arguments. */
export type CommandLineOptions = Pick<ScrapeOptions, Flagged<typeof optionFlags> | 'urls' | 'download'>;

/** CLI spellings that set an option another way: each sets the options in `sets`, and contradicts a flag that sets them otherwise. */
export const shorthandFlags = {
	ignoreRobots: {type: 'boolean', describe: 'Same as --robots ignore', group: 'Politeness:', commands: pages, sets: {robots: 'ignore'}},
} satisfies Record<string, Flag & {sets: Partial<CommandLineOptions>}>;

/** The flags of `scrape` and `list` that are the CLI's own, not options of `scrape()`. */
export interface CliFlags {
	inputFile?: string | undefined;
	json?: boolean | undefined;
	report?: string | undefined;
	quiet?: boolean | undefined;
	/** `--config FILE`; `false` for `--no-config`. */
	config?: string | false | undefined;
	profile?: string | undefined;
	/** `--redis URL`: the Redis a shared crawl lives in (else `IMGSCRAPE_REDIS`). */
	redis?: string | undefined;
	/** `--crawl NAME`: this scrape creates or resumes the shared crawl NAME and works on it. */
	crawl?: string | undefined;
	/** `--lease MS`: how long a worker may go silent before its jobs go to others. */
	lease?: number | undefined;
	/** `status --manifest`: print the crawl's manifest as JSON lines. */
	manifest?: boolean | undefined;
}

const crawling: readonly CommandName[] = ['scrape', 'join', 'status', 'forget'];
const working: readonly CommandName[] = ['scrape', 'join'];

const configured: readonly CommandName[] = ['scrape', 'list', 'config'];

export const cliFlags = {
	inputFile: {alias: 'i', type: 'string', describe: 'Read page URLs from a file, one per line (- for stdin)', group: 'Pages:', commands: pages},
	json: {type: 'boolean', describe: 'Print the report as one JSON object on stdout', group: 'Output:', commands: ['scrape', 'join', 'status']},
	report: {type: 'string', describe: 'Also write the report as JSON to FILE (with or without --json)', group: 'Output:', commands: pagesAndJoin},
	quiet: {alias: 'q', type: 'boolean', describe: 'No progress on stderr', group: 'Output:', commands: scrapeAndJoin},
	config: {
		type: 'string',
		describe: 'Read this config file (--no-config: none)',
		defaultDescription: './imgscrape.config.json, else ~/.config/imgscrape/config.json',
		group: 'Config:',
		commands: configured,
	},
	profile: {type: 'string', describe: "Apply the config file's profile NAME over its defaults and site entry", group: 'Config:', commands: configured},
	redis: {
		type: 'string',
		describe: 'Redis holding a crawl shared by many processes: redis://HOST:PORT',
		defaultDescription: 'IMGSCRAPE_REDIS',
		group: 'Many machines:',
		commands: crawling,
	},
	crawl: {type: 'string', describe: 'Create (or resume) the shared crawl NAME in --redis and work on it', group: 'Many machines:', commands: scrapeOnly},
	lease: {
		type: 'number',
		describe: 'Ms a worker may go silent before its jobs go to others (checked at least every lease)',
		...shown(crawlDefaults.lease),
		group: 'Many machines:',
		commands: working,
	},
	manifest: {type: 'boolean', describe: "Print the crawl's manifest as JSON lines", group: 'Output:', commands: ['status']},
} satisfies Section<CliFlags>;

/** `imgscrape config`: its own flag; it also takes every flag of scrape, to show what they change. */
export interface ConfigFlags {
	init?: boolean | undefined;
}

export const configFlags = {
	init: {type: 'boolean', describe: 'Write a commented starter config file (to --config FILE, else ./imgscrape.config.json)', commands: ['config']},
} satisfies Section<ConfigFlags>;

const serve: readonly CommandName[] = ['serve'];

/** `imgscrape serve`: the fixture gallery's options it takes, with the defaults of a gallery worth browsing. */
export const serveFlags = {
	port: {type: 'number', describe: 'Port (0: any free one)', default: 0, commands: serve},
	pages: {type: 'number', describe: 'Listing pages', default: 4, commands: serve},
	perPage: {type: 'number', describe: 'Images per page', default: 20, commands: serve},
	size: {type: 'number', describe: 'Bytes per image', default: 100_000, commands: serve},
	latency: {type: 'number', describe: 'Milliseconds before each response', default: 0, commands: serve},
	jitter: {type: 'number', describe: 'Up to this many extra milliseconds', default: 0, commands: serve},
	site: {type: 'string', describe: 'Serve a hand-written site of fixtures/ at the root instead, e.g. gbk-site', commands: serve},
	imageCapacity: {type: 'number', describe: 'Image requests served at full speed at once, to try -c auto against (0: no limit)', default: 0, commands: serve},
	overload: {
		type: 'string',
		choices: ['refuse', 'slow'],
		describe: 'Past --image-capacity: answer 503, or slow down by --overload-latency per image over it',
		default: 'refuse',
		commands: serve,
	},
	overloadLatency: {type: 'number', describe: 'Milliseconds added per image over --image-capacity with --overload slow', default: 100, commands: serve},
	format: null,
	pageLatency: null,
	pageBytes: null,
	imageCache: null,
	staticDir: null,
	host: null,
	log: null,
	robots: null,
	recordRequests: null,
} satisfies Section<GalleryOptions>;

export type ServeOptions = Pick<GalleryOptions, Flagged<typeof serveFlags>>;

/** `imgscrape demo`: the two options of its runs it lets one choose. */
/** The demo compares fixed concurrencies: `auto` is not one. */
export type DemoOptions = Pick<ScrapeOptions, 'out'> & {concurrency?: number | undefined};

const demo: readonly CommandName[] = ['demo'];

export const demoFlags = {
	out: {alias: 'o', type: 'string', describe: 'Keep the images here (default: a temporary folder, removed after)', commands: demo},
	concurrency: {alias: 'c', type: 'number', describe: 'Downloads in flight at once', defaultDescription: 'as scrape', commands: demo},
} satisfies Section<DemoOptions>;

/** `imgscrape bench`: the flags as given; the bench command checks them. */
export interface BenchFlags {
	preset?: string | undefined;
	url?: string | undefined;
	pages?: number | undefined;
	perPage?: number | undefined;
	size?: number | undefined;
	latency?: number | undefined;
	jitter?: number | undefined;
	pageBytes?: number | undefined;
	/** Comma-separated lists of counts, such as `1,4,16`. */
	concurrency?: string | undefined;
	pageConcurrency?: string | undefined;
	parseWorkers?: string | undefined;
	repeat?: number | undefined;
	workDir?: string | undefined;
	chart?: string | undefined;
	json?: boolean | undefined;
	csv?: boolean | undefined;
	quiet?: boolean | undefined;
}

const bench: readonly CommandName[] = ['bench'];

/** Plain data: the bench itself loads only when the command runs. */
export const benchFlags = {
	preset: {type: 'string', describe: 'Scenarios, comma-separated: seed, wide, raw, bigpage, huge (default seed)', group: 'Scenario:', commands: bench},
	url: {
		type: 'string',
		describe: 'Base URL of a running fixture gallery (imgscrape serve) to use instead of starting one; the scenario flags must describe it',
		group: 'Scenario:',
		commands: bench,
	},
	pages: {type: 'number', describe: 'Listing pages (overrides the preset)', group: 'Scenario:', commands: bench},
	perPage: {type: 'number', describe: 'Images per page', group: 'Scenario:', commands: bench},
	size: {type: 'number', describe: 'Bytes per image', group: 'Scenario:', commands: bench},
	latency: {type: 'number', describe: 'Milliseconds before each response', group: 'Scenario:', commands: bench},
	jitter: {type: 'number', describe: 'Up to this many extra milliseconds per response', group: 'Scenario:', commands: bench},
	pageBytes: {type: 'number', describe: 'Pad each listing page to about this many bytes of HTML', group: 'Scenario:', commands: bench},
	concurrency: {
		alias: 'c',
		type: 'string',
		describe: 'Download concurrencies to sweep',
		defaultDescription: '1,2,4,8,16,32,64',
		group: 'Sweep:',
		commands: bench,
	},
	pageConcurrency: {type: 'string', describe: 'Page concurrencies to sweep', ...shown(defaults.pageConcurrency), group: 'Sweep:', commands: bench},
	parseWorkers: {
		type: 'string',
		describe: 'Parse-worker counts to sweep (0: parse on the main thread)',
		defaultDescription: "the scraper's default",
		group: 'Sweep:',
		commands: bench,
	},
	repeat: {type: 'number', describe: 'Runs of each point (the median is reported)', default: 3, group: 'Sweep:', commands: bench},
	workDir: {
		type: 'string',
		describe: "Where each run's fresh output folder is made and deleted",
		defaultDescription: '/dev/shm on Linux, else the temp folder',
		group: 'Sweep:',
		commands: bench,
	},
	chart: {type: 'string', describe: 'Write the chart to FILE: .svg, or .html with the SVG inline', group: 'Output:', commands: bench},
	json: {type: 'boolean', describe: 'Print every point as one JSON object on stdout', group: 'Output:', commands: bench},
	csv: {type: 'boolean', describe: 'Print every sample as CSV on stdout', group: 'Output:', commands: bench},
	quiet: {alias: 'q', type: 'boolean', describe: 'No progress on stderr', group: 'Output:', commands: bench},
} satisfies Section<BenchFlags>;

/** The whole table, in the order the help lists the flags. */
export const flagTable = {
	options: optionFlags,
	shorthands: shorthandFlags,
	cli: cliFlags,
	serve: serveFlags,
	demo: demoFlags,
	bench: benchFlags,
	config: configFlags,
} as const;

export type SectionName = keyof typeof flagTable;

/** The flags one command takes, section by section. */
export function flagsOf(command: CommandName): Array<{section: SectionName; key: string; flag: Flag}> {
	return Object.entries(flagTable).flatMap(([section, flags]) =>
		Object.entries(flags as Record<string, Flag | null>)
			.filter((entry): entry is [string, Flag] => entry[1]?.commands.includes(command) === true)
			.map(([key, flag]) => ({section: section as SectionName, key, flag})),
	);
}

/** A flag as given on the command line: `pageConcurrency` is `--page-concurrency`. */
export function kebab(key: string): string {
	return key.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}
