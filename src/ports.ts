/**
The run's pluggable parts, as small contracts: where images are stored, and
the manifest that remembers what was saved. Today's implementations are the
output folder (`src/download/folder-store.ts`) and the JSON-lines manifest
(`src/download/manifest.ts`); others (a crawl shared over Redis, an object
store) implement the same few methods and are passed to
`scrape(options, services)` beside the plain options.
*/

import type {ImageType} from './download/image-types.js';
import type {HttpClient} from './http/client.js';
import type {HostGate} from './http/host-gate.js';

/**
Where an image was found, for the fields of a `name` template: the listing
page's number in the run and the image's position in that page's images
(through its detail pages, in order, with `follow`), both from 1, and what the
page said of it.
*/
export interface NameContext {
	page: number;
	index: number;
	alt?: string | undefined;
	title?: string | undefined;
	pageTitle?: string | undefined;
	/** `{date}` until the body's Last-Modified replaces it: the run's date, `YYYY-MM-DD`. */
	date?: string | undefined;
}

/** A complete, checked body, as the store is told of it when it is settled. */
export interface StoredBody {
	type: ImageType;
	bytes: number;
	sha256: string;
	/** The location the manifest records for this image: the run's own, which may be replaced when it changed. */
	owned?: string | undefined;
	/** When the server says the body was last modified (`mtime`): a store that keeps times gives it to what it stores. */
	modified?: Date | undefined;
	/** The server's Last-Modified, kept or not: `{date}` in names. */
	lastModified?: Date | undefined;
	/**
	A sidecar (`writeMetadata`) to keep beside the body, under the same rules: its
	location is never one that holds something the run does not own, it becomes
	visible no later than the body, and an abort leaves nothing of it.
	The folder store writes it to `LOCATION.json`.
	*/
	sidecar?: Uint8Array | undefined;
}

/** Where a settled body will stand, before it is committed. */
export interface Settled {
	/** The location the store reports for it: an absolute path for the folder store. */
	location: string;
	/** The same bytes already stand there: nothing needs committing (the image counts as `exists`). */
	existing: boolean;
	/** The location the image wanted was taken by something the run does not own, so this is another one. */
	renamed: boolean;
}

/**
One image on its way into a store. Chunks arrive only once the body is known
to be an image; `settle` then chooses its location, `commit` makes it visible
there atomically, and `abort` leaves nothing behind. After `commit` or `abort`
the entry is spent.
*/
export interface StoreEntry {
	write(chunk: Buffer): void;
	/**
	Choose the location for the complete body, never one that holds something
	the run does not own. Called again after a `commit` that returned false.
	*/
	settle(body: StoredBody): Promise<Settled>;
	/** Make the settled body visible at its location. False when the location was taken meanwhile: settle again. */
	commit(): boolean;
	/** Drop the body; nothing of it stays in the store. */
	abort(): void;
}

/** Where images go. One per run; its methods are called on the main thread only. */
export interface ImageStore {
	/**
	Claim a location for an image when it is found, from what its URL
	suggests, so locations are handed out in the order images are found; the
	real type may change it when the body is settled.
	*/
	claim(url: string, context: NameContext): void;
	/** Start an entry for a claimed image, when its body turns out to be an image. */
	create(url: string): StoreEntry;
	/** Whether `location` still holds a complete body of `bytes` bytes (resume). */
	holds(location: string, bytes: number): Promise<boolean>;
	/** Release what the store holds for the run (the folder's lock). */
	close(): Promise<void>;
}

/** One saved image, as the manifest keeps it. */
export interface ManifestRecord {
	url: string;
	/** The location the store reported. */
	location: string;
	bytes: number;
	sha256: string;
	/** The page the image was found on. */
	page?: string | undefined;
	/** The pixel size its header declares; absent when unknown. */
	width?: number | undefined;
	height?: number | undefined;
}

/**
What was saved, across runs: a rerun skips what it holds and the store still
has. A record is added before its image becomes visible in the store, so every
visible image has its record whatever stops the process.
*/
export interface Manifest {
	/** The latest record for `url`, if any. A shared manifest (Redis) answers asynchronously. */
	lookup(url: string): ManifestRecord | undefined | Promise<ManifestRecord | undefined>;
	/** The location of a saved image with these bytes, if any (for `dedupeContent`). */
	ownerOf(sha256: string): string | undefined | Promise<string | undefined>;
	/**
	Add a record. A failure is thrown as a `ScrapeError` with `stopsRun`:
	a run that cannot record what it saves must not go on saving.
	*/
	add(record: ManifestRecord): void | Promise<void>;
	close(): Promise<void>;
}

/** A page to fetch, as plain data: it can cross a process or a queue server unchanged. */
export interface PageJob {
	/** Unique within the crawl; the run keys its report-order slot by it. */
	id: string;
	url: string;
	/** 0 for listing pages (start pages and next pages), +1 per followed link. */
	depth: number;
	/** The page it was found on; undefined for start pages. */
	parent?: string | undefined;
	/** Crawl-wide number in discovery order, for progress lines and `{page}` in names. */
	index: number;
}

/** A page a run wants fetched: a start page, or one a fetched page leads to. */
export interface PageRequest {
	url: string;
	depth: number;
	parent?: string | undefined;
	/** How it was found: given by the user, a followed link, or a next-page link (which counts against `maxPages`). */
	via: 'start' | 'link' | 'next';
}

/**
The crawl's frontier, shaped as a lease so that many processes can share one:
a job taken is in progress until it is marked done. "Nothing to take now"
(`take()` gives undefined while others' jobs are in progress) is not "the crawl
is over" (`isFinished()`: nothing queued and nothing in progress anywhere).
*/
export interface Frontier {
	/**
	Add pages: each URL is claimed once per crawl whatever the path to it, and
	scope (hosts), depth and the listing-page budget are applied. Resolves with
	the jobs created, in the order of `requests`.
	*/
	add(requests: readonly PageRequest[]): Promise<PageJob[]>;
	/** Lease the next job (deeper pages first), or undefined when there is none to take now. */
	take(): Promise<PageJob | undefined>;
	/** Mark a taken job handled, whether it succeeded or failed. */
	done(job: PageJob): Promise<void>;
	/** Whether nothing is queued and nothing is in progress: the crawl is over. */
	isFinished(): Promise<boolean>;
}

/** An image waiting in a shared queue: plain data, so it can wait in Redis and be taken by any process of the crawl. */
export interface ImageJob {
	url: string;
	/** The URL as the page gave it, when a rewrite made `url`. */
	original?: string | undefined;
	/** 1-based, among the images of its page (`{index}` in names). */
	position: number;
	alt?: string | undefined;
	title?: string | undefined;
	/** The page it was found on, its title, and its crawl-wide number from 1 (`{page}` in names). */
	page: string;
	pageTitle?: string | undefined;
	pageNumber: number;
}

/** How one image job ended in a worker: settled (saved, skipped or failed), or handed back to the queue (the run was cancelled first). */
export type ImageJobEnd = 'settled' | 'returned';

/**
The download queue of a crawl shared by many processes: each image URL is
queued once per crawl whatever page leads to it, and a job taken is leased
until its handler settles it, so a process that dies has its images handed to
another. The run queues what its pages find and handles what it is given.
*/
export interface ImageQueue {
	/** Queue images; one whose URL the crawl already holds (queued, in progress or done) is left as it is. */
	add(images: readonly ImageJob[]): Promise<void>;
	/** Start handing jobs to `handle`, up to `concurrency` at once; a job is acknowledged once `handle` resolves `settled`. */
	consume(handle: (job: ImageJob) => Promise<ImageJobEnd>, concurrency: number): void;
	/** Take no more jobs; the handlers running go on to their end. */
	stop(): void;
	/** Resolves once nothing is queued, delayed or in progress anywhere in the crawl (call once the pages are finished), or `signal` aborts. */
	drained(signal: AbortSignal): Promise<void>;
}

/** robots.txt shared by the processes of a crawl: fetched once per host for the whole crawl, read by all. */
export interface RobotsCache {
	/** The body of robots.txt at `url`: `fetch` it unless another process has; an HTTP status it answered is thrown again as the same code. */
	get(url: string, fetch: () => Promise<Uint8Array>): Promise<Uint8Array>;
}

/**
Instances a run uses instead of building its own: the second argument of
`scrape(options, services)`. Options stay plain, serialisable data; anything
with behaviour comes in here. Each part left out is the default: the output
folder as the store, its `.imgscrape.jsonl` (or `archive`) as the manifest.
*/
export interface ScrapeServices {
	/** Which pages to fetch; a shared one spreads a crawl over processes. */
	frontier?: Frontier | undefined;
	/** The HTTP client for every page, image and robots.txt (`createHttpClient`); the run closes only one it made itself. */
	http?: HttpClient | undefined;
	/** The per-host gate behind politeness (`createHostGate`): share one between runs to be polite across them. */
	hostGate?: HostGate | undefined;
	/** Where images go; `out`, `name` and `overwrite` are then the store's business. */
	store?: ImageStore | undefined;
	/** What was saved across runs; `archive` is then unused. */
	manifest?: Manifest | undefined;
	/** A download queue shared between processes, instead of the run's own pool (`concurrency` is then the handlers at once). */
	images?: ImageQueue | undefined;
	/** robots.txt shared between processes; unused when `http` is given (that client has its own policy). */
	robots?: RobotsCache | undefined;
}
