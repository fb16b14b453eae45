import type {ScrapeOptions} from '../options.js';

/** What a config file may set: every option of `scrape()` but the pages themselves and what only code can pass. */
export type ConfigOptions = Partial<Omit<ScrapeOptions, 'urls' | 'download' | 'signal' | 'onEvent'>>;

/**
The keys a config file's option objects take. Typed against the options, so a
new option of `scrape()` is a type error here until it is listed: a config
file then takes it, with the same validation as the flag.
*/
const keys = {
	pages: true,
	out: true,
	concurrency: true,
	maxConcurrency: true,
	pageConcurrency: true,
	selector: true,
	srcset: true,
	dataUris: true,
	links: true,
	meta: true,
	css: true,
	follow: true,
	depth: true,
	next: true,
	maxPages: true,
	maxPerPage: true,
	allowHost: true,
	parseWorkers: true,
	timeout: true,
	minSpeed: true,
	maxRatio: true,
	userAgent: true,
	perHost: true,
	rate: true,
	delay: true,
	randomWait: true,
	limitRate: true,
	robots: true,
	maxCrawlDelay: true,
	header: true,
	referer: true,
	cookie: true,
	cookies: true,
	proxy: true,
	insecure: true,
	http2: true,
	retries: true,
	retryDelay: true,
	maxRetryAfter: true,
	deadline: true,
	maxRedirects: true,
	maxSize: true,
	minSize: true,
	accept: true,
	name: true,
	dedupeContent: true,
	overwrite: true,
	archive: true,
	writeMetadata: true,
	metadataFile: true,
	mtime: true,
	minWidth: true,
	minHeight: true,
	maxWidth: true,
	maxHeight: true,
	include: true,
	exclude: true,
	rewrite: true,
	variants: true,
	range: true,
	limit: true,
	abort: true,
	render: true,
	browser: true,
	scrollIdle: true,
	maxScrolls: true,
	click: true,
	blockThirdParty: true,
	renderTimeout: true,
} satisfies {[K in keyof ConfigOptions]-?: true};

export type ConfigKey = keyof typeof keys;

/** Every key an option object of a config file takes, in the order of `ScrapeOptions`. */
export const configKeys = Object.keys(keys) as ConfigKey[];

export function isConfigKey(key: string): key is ConfigKey {
	return Object.hasOwn(keys, key);
}

/** Options that name a file or folder: a leading `~/` in a config file means the home folder. */
export const pathKeys: ReadonlySet<string> = new Set<ConfigKey>(['out', 'cookies', 'archive', 'metadataFile', 'browser']);
