import {renameSync} from 'node:fs';
import {mkdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {ScrapeError, toScrapeError} from '../errors.js';
import type {HttpClient} from '../http/client.js';
import {attempt, type RetryInfo, type RetryPolicy} from '../http/retry.js';
import type {FileRules} from '../options.js';
import {fetchToTemporary, removeStaleTemporaries} from './download.js';
import {Manifest} from './manifest.js';
import {createNameAllocator, fileNameFromUrl} from './names.js';
import {fileNameFor, guessExtension, type NameContext} from './template.js';

/** Why an image was not downloaded although nothing failed. */
export type SkipReason = 'exists' | 'duplicate' | 'too-large' | 'too-small' | 'filtered';

/** How one image ended, short of a failure (which is thrown as a `ScrapeError`). */
export type DownloadOutcome =
	| {kind: 'done'; file: string; bytes: number}
	| {kind: 'skipped'; file: string | undefined; reason: SkipReason};

/** Errors that mean "the user's filters said no", not "something went wrong". */
const filterCodes = new Set<string>(['too-large', 'too-small', 'filtered']);

/** An image's claim on a name, from when it was found until it is downloaded. */
export interface Reservation {
	url: string;
	context: NameContext;
	/** The extension the URL suggested. */
	ext: string;
	/** The name wanted for that extension. */
	preferred: string;
}

export interface DownloaderOptions {
	/** Output folder, absolute. */
	out: string;
	files: FileRules;
	retry: RetryPolicy;
}

/**
Everything between an image URL and a file under its final name: resume from
the manifest, retries, the checks on the body, the name, content dedupe and
the rename. One per run; it owns the name allocator, the set of content
hashes and the manifest, all touched only on the main thread.
*/
export class Downloader {
	readonly #options: DownloaderOptions;
	readonly #manifest: Manifest;
	readonly #names = createNameAllocator();
	/** sha256 -> the file that holds those bytes (with `dedupeContent`). */
	readonly #owners = new Map<string, string>();

	private constructor(options: DownloaderOptions, manifest: Manifest) {
		this.#options = options;
		this.#manifest = manifest;
	}

	/**
	Open the manifest, and remove the temporary files a killed run left in the
	output folder. Names of files the manifest already holds in this folder are
	taken, so a new URL never lands on one of them.
	*/
	static async open(options: DownloaderOptions): Promise<Downloader> {
		await removeStaleTemporaries(options.out);
		const manifest = await Manifest.open(options.files.manifest);
		const downloader = new Downloader(options, manifest);
		for (const entry of manifest.entries()) {
			const file = manifest.resolve(entry);
			const relative = path.relative(options.out, file);
			if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
				downloader.#names.allocate(entry.url, relative.split(path.sep).join('/'));
			}

			if (options.files.dedupeContent && !downloader.#owners.has(entry.sha256)) {
				downloader.#owners.set(entry.sha256, file);
			}
		}

		return downloader;
	}

	/**
	Claim a name for an image when it is scheduled, from what its URL suggests,
	so names are handed out in the order images are found; the real type may
	change the extension later.
	*/
	reserve(url: string, context: NameContext): Reservation {
		const urlFileName = fileNameFromUrl(url);
		const ext = guessExtension(urlFileName);
		const preferred = fileNameFor(url, ext, this.#options.files.name, context, urlFileName);
		this.#names.allocate(url, preferred);
		return {url, context, ext, preferred};
	}

	/** The file, when the manifest and the disk agree this URL is already saved. */
	async saved(url: string): Promise<string | undefined> {
		return (await this.#manifest.completed(url))?.path;
	}

	/**
	Download one image, retrying what may succeed next time. Resolves with
	`done`, or `skipped` when a filter or dedupe says no; rejects with a
	`ScrapeError` for a failure (`aborted` when the run was cancelled).
	*/
	async download(http: HttpClient, reservation: Reservation, request: {signal: AbortSignal; headers?: Record<string, string>; onRetry?: (info: RetryInfo) => void}): Promise<DownloadOutcome> {
		const {out, files} = this.#options;
		const {url, context} = reservation;
		let fetched;
		try {
			fetched = await attempt(url, async signal => fetchToTemporary(http, {url, dir: out, rules: files, signal, headers: request.headers}), {...this.#options.retry, signal: request.signal, onRetry: request.onRetry});
		} catch (error) {
			const scrapeError = toScrapeError(error, url);
			if (filterCodes.has(scrapeError.code)) {
				return {kind: 'skipped', file: undefined, reason: scrapeError.code as SkipReason};
			}

			throw scrapeError;
		}

		try {
			// Nearly always the URL named the type right, and the name it preferred stands.
			const preferred = fetched.type.ext === reservation.ext ? reservation.preferred : fileNameFor(url, fetched.type.ext, files.name, context);
			const name = this.#names.reassign(url, preferred);
			const file = path.resolve(out, name);
			if (!file.startsWith(out + path.sep)) {
				// Names are built from sanitized segments, so this is a last line of defence, not a path taken.
				throw new ScrapeError('fs', `refusing to write outside the output folder: ${name}`, {url});
			}

			const owner = files.dedupeContent ? this.#owners.get(fetched.sha256) : undefined;
			if (owner !== undefined) {
				await rm(fetched.temporary, {force: true});
				await this.#manifest.add({url, path: owner, bytes: fetched.bytes, sha256: fetched.sha256});
				return {kind: 'skipped', file: owner, reason: 'duplicate'};
			}

			if (files.dedupeContent) {
				this.#owners.set(fetched.sha256, file);
			}

			if (name.includes('/')) {
				await mkdir(path.dirname(file), {recursive: true});
			}

			// Synchronous, like the temporary file's writes: a rename in the same folder costs less than a trip through the thread pool.
			renameSync(fetched.temporary, file);
			await this.#manifest.add({url, path: file, bytes: fetched.bytes, sha256: fetched.sha256});
			return {kind: 'done', file, bytes: fetched.bytes};
		} catch (error) {
			await rm(fetched.temporary, {force: true});
			throw toScrapeError(error, url);
		}
	}

	/** Flush the manifest. */
	async close(): Promise<void> {
		await this.#manifest.close();
	}
}
