import type {Options} from 'yargs';
import {UsageError} from '../errors.js';
import {defaults} from '../defaults.js';
import type {ScrapeOptions} from '../options.js';

/**
The flags that map one-to-one onto `ScrapeOptions`. Typed against it, so a
flag cannot drift from the option it sets; defaults are shown from `defaults`
but applied only by `resolveOptions`, so they live in one place.
*/
type OptionFlags = Partial<Record<keyof ScrapeOptions, Options>>;

/** What yargs hands back: every flag camelCased, the positional URLs in `urls`. */
export type ParsedArgs = Record<string, unknown> & {_: Array<string | number>; urls?: string[]};

function shown(value: unknown): {defaultDescription: string} {
	return {defaultDescription: String(value)};
}

/** Flags shared by `scrape` and `list`: which pages, and what counts as an image. */
export const pageFlags = {
	pages: {type: 'string', describe: 'Pages for a {page} or {_page} placeholder: 1-4, 1,3,7-9', group: 'Pages:'},
	pageConcurrency: {type: 'number', describe: 'Listing pages fetched at once', ...shown(defaults.pageConcurrency), group: 'Pages:'},
	selector: {type: 'string', describe: 'CSS selector of image elements', ...shown(defaults.selector), group: 'Pages:'},
	srcset: {choices: ['largest', 'all', 'src'], describe: 'Which srcset candidates to take', ...shown(defaults.srcset), group: 'Pages:'},
	dataUris: {type: 'boolean', describe: 'Save data: image URIs', ...shown(defaults.dataUris), group: 'Pages:'},
	links: {type: 'boolean', describe: 'Also take <a href> links to image files', ...shown(defaults.links), group: 'Pages:'},
	meta: {type: 'boolean', describe: 'Also take og:image / twitter:image', ...shown(defaults.meta), group: 'Pages:'},
	css: {type: 'boolean', describe: 'Also take inline-style background images', ...shown(defaults.css), group: 'Pages:'},
	follow: {type: 'string', describe: 'CSS selector of links to follow to detail pages (then --selector applies there)', group: 'Pages:'},
	depth: {type: 'number', describe: 'Levels of --follow links to go down', ...shown(defaults.depth), group: 'Pages:'},
	next: {type: 'string', describe: 'Follow next-page links: a CSS selector, or auto for rel=next', group: 'Pages:'},
	maxPages: {type: 'number', describe: 'With --next, stop at this many listing pages', ...shown(defaults.maxPages), group: 'Pages:'},
	allowHost: {type: 'string', array: true, describe: 'Hosts that followed links may lead to, besides the start pages\' (repeatable)', group: 'Pages:'},
	parseWorkers: {
		type: 'string',
		// A count stays a number for resolveOptions to check; anything else (auto, or a typo) goes on as the string it is.
		coerce: (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
		describe: 'Worker threads that parse pages: 0 (on the main thread), N, or auto (cores minus one)',
		...shown(defaults.parseWorkers),
		group: 'Pages:',
	},
	timeout: {type: 'number', describe: 'Milliseconds allowed to connect, for headers, and per idle gap in a body', ...shown(defaults.timeout), group: 'HTTP:'},
	minSpeed: {type: 'string', describe: 'Least bytes/s a body must average over each --timeout window (0: no minimum)', ...shown(defaults.minSpeed), group: 'HTTP:'},
	maxRatio: {type: 'number', describe: 'Most times a body may decode to what was received, past 10 MiB (0: no limit)', ...shown(defaults.maxRatio), group: 'HTTP:'},
	userAgent: {type: 'string', describe: 'User-Agent header', ...shown('imgscrape/VERSION (+npm page)'), group: 'HTTP:'},
	retries: {type: 'number', describe: 'Retries for network errors, timeouts, truncated bodies and 408/425/429/5xx', ...shown(defaults.retries), group: 'HTTP:'},
	retryDelay: {type: 'number', describe: 'Base of the exponential backoff between retries, in ms (full jitter)', ...shown(defaults.retryDelay), group: 'HTTP:'},
	maxRetryAfter: {type: 'number', describe: 'Longest wait a Retry-After header can ask for, in ms', ...shown(defaults.maxRetryAfter), group: 'HTTP:'},
	deadline: {type: 'number', describe: 'Total ms for a page or image, all attempts and waits included (0: none)', ...shown(defaults.deadline), group: 'HTTP:'},
	maxRedirects: {type: 'number', describe: 'Redirects followed before giving up', ...shown(defaults.maxRedirects), group: 'HTTP:'},
} satisfies OptionFlags;

/**
Flags of `scrape` and `list`: how requests are paced and who they say they
come from. Repeatable flags are not `array`, which would swallow the URLs after
them; yargs gathers a flag given twice into a list anyway.
*/
export const httpFlags = {
	perHost: {type: 'number', describe: 'Requests in flight to one host at once, pages and images together', defaultDescription: 'no cap', group: 'Politeness:'},
	rate: {type: 'number', describe: 'Requests per second to one host, evenly spaced', defaultDescription: 'no limit', group: 'Politeness:'},
	delay: {type: 'number', describe: 'Milliseconds between the starts of two requests to one host', ...shown(defaults.delay), group: 'Politeness:'},
	robots: {choices: ['pages', 'strict', 'ignore'], describe: 'Where robots.txt applies: pages, strict (images too) or ignore', ...shown(defaults.robots), group: 'Politeness:'},
	maxCrawlDelay: {type: 'number', describe: 'Longest robots.txt Crawl-delay honoured, in ms; a site asking more is skipped (its pages fail as robots)', ...shown(defaults.maxCrawlDelay), group: 'Politeness:'},
	header: {alias: 'H', type: 'string', describe: 'Extra request header \'Name: value\' (repeatable)', group: 'Identity:'},
	referer: {type: 'string', describe: 'Referer for every request; --no-referer sends none', defaultDescription: 'images: their page', group: 'Identity:'},
	cookie: {type: 'string', describe: 'Cookies \'a=b; c=d\' for the start pages\' hosts', group: 'Identity:'},
	cookies: {type: 'string', describe: 'A Netscape cookies.txt file', group: 'Identity:'},
	proxy: {type: 'string', describe: 'http(s) proxy for every request', defaultDescription: 'HTTP_PROXY, HTTPS_PROXY, NO_PROXY', group: 'HTTP:'},
	insecure: {type: 'boolean', describe: 'Accept TLS certificates that do not verify (self-signed)', ...shown(defaults.insecure), group: 'HTTP:'},
	http2: {type: 'boolean', describe: 'Offer HTTP/2 to https servers', ...shown(defaults.http2), group: 'HTTP:'},
} satisfies OptionFlags;

/** CLI spellings that set an option another way. */
export const httpShorthandFlags = {
	ignoreRobots: {type: 'boolean', describe: 'Same as --robots ignore', group: 'Politeness:'},
} satisfies Record<string, Options>;

/** The options `httpFlags` and `httpShorthandFlags` set. */
export function toHttpOptions(argv: Record<string, unknown>): Partial<ScrapeOptions> {
	const options = toScrapeOptions(argv, httpFlags);
	if (argv.ignoreRobots === true) {
		if (options.robots !== undefined && options.robots !== 'ignore') {
			throw new UsageError(`--ignore-robots contradicts --robots ${options.robots}`);
		}

		options.robots = 'ignore';
	}

	return options;
}

/** Flags of `scrape` alone: where and how fast to download. */
export const downloadFlags = {
	out: {alias: 'o', type: 'string', describe: 'Output folder', ...shown(defaults.out), group: 'Download:'},
	concurrency: {alias: 'c', type: 'number', describe: 'Downloads in flight at once', ...shown(defaults.concurrency), group: 'Download:'},
	maxSize: {type: 'string', describe: 'Skip images larger than this (bytes, or 500k, 10MB, 2MiB)', defaultDescription: 'no limit', group: 'Download:'},
	minSize: {type: 'string', describe: 'Skip images smaller than this', ...shown(defaults.minSize), group: 'Download:'},
	accept: {type: 'string', describe: 'Keep only these types, judged by content: jpg,png,gif,webp,avif,bmp,ico,tiff,svg', defaultDescription: 'all', group: 'Download:'},
	name: {type: 'string', describe: 'File name template: {host} {path} {name} {ext} {page} {index} {hash}; / makes folders', defaultDescription: 'the URL\'s file name', group: 'Download:'},
	dedupeContent: {type: 'boolean', describe: 'Keep identical bytes from different URLs once (sha256)', ...shown(defaults.dedupeContent), group: 'Download:'},
	overwrite: {type: 'boolean', describe: 'Replace files already standing under a wanted name (default: keep them, save under another name)', ...shown(defaults.overwrite), group: 'Download:'},
	archive: {type: 'string', describe: 'Manifest of saved files, shared across runs and folders', defaultDescription: `<out>/${defaults.manifest}`, group: 'Download:'},
} satisfies OptionFlags;

/** Flags of the CLI itself, not options of `scrape()`. */
export const outputFlags = {
	inputFile: {alias: 'i', type: 'string', describe: 'Read page URLs from a file, one per line (- for stdin)', group: 'Pages:'},
	json: {type: 'boolean', describe: 'Print the report as one JSON object on stdout', group: 'Output:'},
	report: {type: 'string', describe: 'Also write the report as JSON to FILE (with or without --json)', group: 'Output:'},
	quiet: {alias: 'q', type: 'boolean', describe: 'No progress on stderr', group: 'Output:'},
} satisfies Record<string, Options>;

/** Flags of `imgscrape bench`. Plain data: the bench itself loads only when the command runs. */
export const benchFlags = {
	preset: {type: 'string', describe: 'Scenarios, comma-separated: seed, wide, raw, bigpage, huge (default seed)', group: 'Scenario:'},
	url: {type: 'string', describe: 'Base URL of a running fixture gallery (imgscrape serve) to use instead of starting one; the scenario flags must describe it', group: 'Scenario:'},
	pages: {type: 'number', describe: 'Listing pages (overrides the preset)', group: 'Scenario:'},
	perPage: {type: 'number', describe: 'Images per page', group: 'Scenario:'},
	size: {type: 'number', describe: 'Bytes per image', group: 'Scenario:'},
	latency: {type: 'number', describe: 'Milliseconds before each response', group: 'Scenario:'},
	jitter: {type: 'number', describe: 'Up to this many extra milliseconds per response', group: 'Scenario:'},
	pageBytes: {type: 'number', describe: 'Pad each listing page to about this many bytes of HTML', group: 'Scenario:'},
	concurrency: {alias: 'c', type: 'string', describe: 'Download concurrencies to sweep', defaultDescription: '1,2,4,8,16,32,64', group: 'Sweep:'},
	pageConcurrency: {type: 'string', describe: 'Page concurrencies to sweep', ...shown(defaults.pageConcurrency), group: 'Sweep:'},
	parseWorkers: {type: 'string', describe: 'Parse-worker counts to sweep (0: parse on the main thread)', defaultDescription: 'the scraper\'s default', group: 'Sweep:'},
	repeat: {type: 'number', describe: 'Runs of each point (the median is reported)', default: 3, group: 'Sweep:'},
	workDir: {type: 'string', describe: 'Where each run\'s fresh output folder is made and deleted', defaultDescription: '/dev/shm on Linux, else the temp folder', group: 'Sweep:'},
	chart: {type: 'string', describe: 'Write the chart to FILE: .svg, or .html with the SVG inline', group: 'Output:'},
	json: {type: 'boolean', describe: 'Print every point as one JSON object on stdout', group: 'Output:'},
	csv: {type: 'boolean', describe: 'Print every sample as CSV on stdout', group: 'Output:'},
	quiet: {alias: 'q', type: 'boolean', describe: 'No progress on stderr', group: 'Output:'},
} satisfies Record<string, Options>;

/** The table as yargs wants it: kebab-case flags (`--page-concurrency`); yargs hands them back camelCased. */
export function kebabFlags(flags: Record<string, Options>): Record<string, Options> {
	return Object.fromEntries(Object.entries(flags).map(([key, options]) => [key.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`), options]));
}

/** Pick the `ScrapeOptions` a parsed argv sets, leaving the rest to the defaults. */
export function toScrapeOptions(argv: Record<string, unknown>, flags: OptionFlags): Partial<ScrapeOptions> {
	const options: Record<string, unknown> = {};
	for (const key of Object.keys(flags)) {
		if (argv[key] !== undefined) {
			options[key] = argv[key];
		}
	}

	return options as Partial<ScrapeOptions>;
}
