/**
The fixture gallery: a local imitation of a paginated wallpaper site, with
deterministic, decodable images, for tests, `imgscrape serve`, `imgscrape demo`
and the benchmarks.
*/

export {type FixtureServer, type RecordedRequest, startFixtureServer} from './server.js';
export type {GalleryOptions, ResolvedGalleryOptions} from './options.js';
export type {KindStats, LogEntry, RequestKind, ServerStats} from './stats.js';
export type {ImageFormat} from './images.js';
