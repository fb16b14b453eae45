export {scrape} from './scraper/scrape.js';
export {defaults} from './defaults.js';
export {resolveOptions} from './resolve-options.js';
export type {ScrapeOptions, ResolvedOptions} from './options.js';
export {ScrapeError, UsageError, isRetryable, toScrapeError, type ErrorCode} from './errors.js';
export {extract} from './extract/extract.js';
export {expandPageUrls, parsePageRange} from './page-urls.js';
export type {ScrapeReport} from './report/report.js';
export type {StageReport} from './report/stage-clock.js';
export type * from './types.js';
export type {
	Frontier,
	ImageStore,
	Manifest,
	ManifestRecord,
	NameContext,
	PageJob,
	PageRequest,
	ScrapeServices,
	Settled,
	StoreEntry,
	StoredBody,
} from './ports.js';
export {createHttpClient, type HttpClient, type HttpClientOptions} from './http/client.js';
export {createHostGate, type HostGate} from './http/host-gate.js';
export {loadConfig, findConfig, parseConfig, type ConfigLookup, type FoundConfig} from './config/load-config.js';
export {resolveConfig, matchSite, type ResolvedConfig, type ConfigSource, type ResolveConfigOptions} from './config/resolve-config.js';
export type {Config} from './config/check-config.js';
export type {ConfigOptions} from './config/config-options.js';
export type {ImageMetadata} from './download/metadata.js';
