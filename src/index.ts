export {scrape} from './scraper/scrape.js';
export {defaults, resolveOptions, type ScrapeOptions, type ResolvedOptions} from './options.js';
export {ScrapeError, UsageError, isRetryable, toScrapeError, type ErrorCode} from './errors.js';
export {extract} from './extract/index.js';
export {expandPageUrls, parsePageRange} from './page-urls.js';
export type {ScrapeReport} from './report/report.js';
export type {StageReport} from './report/stage-clock.js';
export type * from './types.js';
export type {ImageStore, Manifest, ManifestRecord, NameContext, ScrapeServices, Settled, StoreEntry, StoredBody} from './ports.js';
