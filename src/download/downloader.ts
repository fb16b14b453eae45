import {ScrapeError, toScrapeError} from '../errors.js';
import type {HttpClient} from '../http/client.js';
import {attempt, type RetryInfo, type RetryPolicy} from '../http/retry.js';
import type {ImageStore, Manifest, NameContext} from '../ports.js';
import type {FileRules} from './file-rules.js';
import {FolderStore} from './folder-store.js';
import type {Dimensions} from './dimensions.js';
import {fetchImage, type FetchedImage, type SkippedImage} from './image-body.js';
import {JsonlManifest} from './manifest.js';
import {MetadataLog} from './metadata-log.js';
import {buildMetadata, type ImageDetails, lastModified, type MetadataRules, sidecarBytes, wantsMetadata} from './metadata.js';
import type {SkipReason} from '../types.js';

/** How one image ended, short of a failure (which is thrown as a `ScrapeError`). */
export type DownloadOutcome =
	/**
	`renamed`: the location it wanted was taken by something the run does not own, so it was saved under its stable alternative.
	`dimensions`: its pixel size, when its first bytes held it.
	*/
	| {kind: 'done'; location: string; bytes: number; renamed: boolean; dimensions: Dimensions | undefined}
	| {kind: 'skipped'; location: string | undefined; reason: SkipReason};

/** Statuses of a rewritten URL after which the URL as found on the page is fetched instead. */
const goneCodes: ReadonlySet<string> = new Set(['http-404', 'http-410']);

export interface DownloaderOptions {
	/** Output folder, absolute. */
	out: string;
	/** Replace files that stand under a wanted name instead of choosing another name. */
	overwrite: boolean;
	files: FileRules;
	retry: RetryPolicy;
	/** Sidecars and the metadata file. */
	metadata: MetadataRules;
	/** Give saved files the time of Last-Modified. */
	mtime: boolean;
}

/** One image's request: the run's signal, its headers, and what to tell the run on the way. */
export interface DownloadRequest {
	signal: AbortSignal;
	headers?: Record<string, string> | undefined;
	onRetry?: ((info: RetryInfo) => void) | undefined;
	/** The URL as the page gave it, when `url` is its rewrite: fetched when the rewrite answers 404 or 410. */
	original?: string | undefined;
	/** The body, when it was fetched already (a start URL that answered with an image): checked and saved without a request. */
	body?: Buffer | undefined;
	/** The rewrite answered 404 or 410 (`code`): the original is fetched next. */
	onFallback?: ((code: string) => void) | undefined;
	/** What the page told about the image, for its metadata and its manifest line. */
	details?: ImageDetails | undefined;
}

/** A store and a manifest to use instead of the output folder and its JSON-lines file. */
export interface StorageServices {
	store?: ImageStore | undefined;
	manifest?: Manifest | undefined;
}

/**
Everything between an image URL and an image in its store: resume from the
manifest, retries, the checks on the body, content dedupe, and the order of
the last steps (the manifest's record before the image becomes visible). One
per run, touched only on the main thread; the store owns the names, the
manifest the records.
*/
export class Downloader {
	readonly #options: DownloaderOptions;
	readonly #manifest: Manifest;
	readonly #store: ImageStore;
	readonly #log: MetadataLog | undefined;

	private constructor(options: DownloaderOptions, manifest: Manifest, store: ImageStore, log: MetadataLog | undefined) {
		this.#options = options;
		this.#manifest = manifest;
		this.#store = store;
		this.#log = log;
	}

	/**
	Open the manifest and the store: by default, check the manifest's path, then
	take the output folder (created, locked, cleared of what a killed run left),
	then open the manifest for appending. Throws a `UsageError` before any
	request when either cannot be used.
	*/
	static async open(options: DownloaderOptions, services: StorageServices = {}): Promise<Downloader> {
		if (services.store === undefined) {
			FolderStore.check(options.out);
		}

		let manifest = services.manifest;
		const jsonl = manifest === undefined ? await JsonlManifest.open(options.files.manifest) : undefined;
		manifest ??= jsonl!;
		const store = services.store ?? FolderStore.open({out: options.out, name: options.files.name, overwrite: options.overwrite});
		let log: MetadataLog | undefined;
		try {
			jsonl?.start();
			log = options.metadata.file === undefined ? undefined : MetadataLog.open(options.metadata.file);
		} catch (error) {
			await jsonl?.close();
			await store.close();
			throw error;
		}

		return new Downloader(options, manifest, store, log);
	}

	/** Claim a location for an image when it is scheduled, so locations are handed out in the order images are found. */
	reserve(url: string, context: NameContext): void {
		this.#store.claim(url, context);
	}

	/** Whether the manifest records this URL as saved (by this run or an earlier one); a shared manifest, which answers asynchronously, says no. */
	recorded(url: string): boolean {
		const record = this.#manifest.lookup(url);
		return record !== undefined && !(record instanceof Promise);
	}

	/** The location, when the manifest and the store agree this URL is already saved. */
	async saved(url: string): Promise<string | undefined> {
		const record = await this.#manifest.lookup(url);
		return record !== undefined && (await this.#store.holds(record.location, record.bytes)) ? record.location : undefined;
	}

	/**
	Download one image, retrying what may succeed next time. Resolves with
	`done`, or `skipped` when a filter or dedupe says no; rejects with a
	`ScrapeError` for a failure (`aborted` when the run was cancelled). When the
	URL was rewritten and answers 404 or 410, `original` (the URL as found) is
	fetched instead, after `onFallback`.
	*/
	async download(http: HttpClient, url: string, request: DownloadRequest): Promise<DownloadOutcome> {
		try {
			return await this.#download(http, url, request);
		} catch (error) {
			const {original} = request;
			if (original === undefined || original === url || !(error instanceof ScrapeError) || !goneCodes.has(error.code)) {
				throw error;
			}

			request.onFallback?.(error.code);
			const saved = await this.saved(original);
			// Saved under the name the image claimed when found; recorded under the URL it came from.
			return saved === undefined ? this.#download(http, original, request, url) : {kind: 'skipped', location: saved, reason: 'exists'};
		}
	}

	async #download(http: HttpClient, url: string, request: DownloadRequest, storeAs = url): Promise<DownloadOutcome> {
		const {files} = this.#options;
		let fetched: FetchedImage | SkippedImage;
		try {
			fetched = await attempt(
				url,
				async signal => fetchImage(http, {url, store: this.#store, storeAs, rules: files, signal, headers: request.headers, body: request.body}),
				{
					...this.#options.retry,
					signal: request.signal,
					onRetry: request.onRetry,
				},
			);
		} catch (error) {
			const scrapeError = toScrapeError(error, url);
			// A body that decodes past maxRatio is stopped by the HTTP client, for pages and images alike: for an image, a size filter.
			if (scrapeError.code === 'too-large') {
				return {kind: 'skipped', location: undefined, reason: 'too-large'};
			}

			throw scrapeError;
		}

		if (fetched.kind === 'skipped') {
			return {kind: 'skipped', location: undefined, reason: fetched.reason};
		}

		try {
			return await this.#save(url, fetched, request.details);
		} catch (error) {
			fetched.entry.abort();
			throw toScrapeError(error, url);
		}
	}

	/**
	Put a checked body in the store. Whatever stands at its location already is
	never replaced (unless `overwrite`, or it is the run's own record for this
	URL): the same bytes count as `exists`, anything else makes the store choose
	another location. The manifest's record is added before the image becomes
	visible, so no visible image is ever without its record.
	*/
	async #save(url: string, fetched: FetchedImage, details: ImageDetails | undefined): Promise<DownloadOutcome> {
		const {entry, bytes, sha256, dimensions} = fetched;
		const page = details?.page;
		const size = dimensions ?? {};
		const owner = this.#options.files.dedupeContent ? await this.#manifest.ownerOf(sha256) : undefined;
		if (owner !== undefined) {
			entry.abort();
			await this.#manifest.add({url, location: owner, bytes, sha256, page, ...size});
			return {kind: 'skipped', location: owner, reason: 'duplicate'};
		}

		const {metadata: rules, mtime} = this.#options;
		const metadata = wantsMetadata(rules) ? buildMetadata(url, details, fetched, new Date()) : undefined;
		const modified = lastModified(fetched.head);
		const body = {
			type: fetched.type,
			bytes,
			sha256,
			owned: (await this.#manifest.lookup(url))?.location,
			modified: mtime ? modified : undefined,
			lastModified: modified,
			sidecar: rules.sidecars && metadata !== undefined ? sidecarBytes(metadata) : undefined,
		};
		for (;;) {
			const settled = await entry.settle(body);
			if (settled.existing) {
				entry.abort();
				await this.#manifest.add({url, location: settled.location, bytes, sha256, page, ...size});
				return {kind: 'skipped', location: settled.location, reason: 'exists'};
			}

			await this.#manifest.add({url, location: settled.location, bytes, sha256, page, ...size});
			if (entry.commit()) {
				if (metadata !== undefined) {
					this.#log?.add(settled.location, metadata);
				}

				return {kind: 'done', location: settled.location, bytes, renamed: settled.renamed, dimensions};
			}
			// Something else took the location since it was settled; the record for the next one supersedes this one.
		}
	}

	/** Close the manifest, then the store (which releases the output folder). */
	async close(): Promise<void> {
		this.#log?.close();
		await this.#manifest.close();
		await this.#store.close();
	}
}
