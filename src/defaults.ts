import {userAgent} from './version.js';

/*
Kept apart from the resolution in resolve-options.ts, which loads cheerio and the
cookie jar: `--help` and `--version` read the defaults and nothing more.
*/

/** The one place defaults live; the CLI's help reads them from here. */
export const defaults = {
	out: './img',
	concurrency: 16,
	maxConcurrency: 64,
	pageConcurrency: 4,
	selector: 'img',
	srcset: 'largest',
	dataUris: false,
	links: false,
	meta: false,
	css: false,
	depth: 1,
	maxPages: 50,
	maxPerPage: 100_000,
	parseWorkers: 0,
	download: true,
	timeout: 30_000,
	minSpeed: 1000,
	maxRatio: 100,
	userAgent,
	perHost: Number.POSITIVE_INFINITY,
	rate: Number.POSITIVE_INFINITY,
	delay: 0,
	randomWait: false,
	limitRate: 0,
	robots: 'pages',
	maxCrawlDelay: 60_000,
	insecure: false,
	http2: false,
	retries: 3,
	retryDelay: 500,
	maxRetryAfter: 60_000,
	deadline: 300_000,
	maxRedirects: 5,
	maxSize: Number.POSITIVE_INFINITY,
	minSize: 0,
	dedupeContent: false,
	minWidth: 0,
	minHeight: 0,
	maxWidth: Number.POSITIVE_INFINITY,
	maxHeight: Number.POSITIVE_INFINITY,
	variants: 'largest',
	overwrite: false,
	writeMetadata: false,
	mtime: true,
	render: false,
	scrollIdle: 1500,
	maxScrolls: 50,
	blockThirdParty: false,
	renderTimeout: 60_000,
	/** The manifest's file name: `archive` defaults to this file in `out`. */
	manifest: '.imgscrape.jsonl',
} as const;

/** The defaults of a crawl shared over Redis that are the CLI's, not options of `scrape()`. */
export const crawlDefaults = {
	/** `--lease`: ms a worker may go silent before its jobs go to others. */
	lease: 30_000,
} as const;
