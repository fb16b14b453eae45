import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {lstat, rm} from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {toScrapeError} from '../errors.js';
import type {HttpClient} from '../http/client.js';
import {attempt, type RetryInfo, type RetryPolicy} from '../http/retry.js';
import type {FileRules} from '../options.js';
import type {SkipReason} from '../types.js';
import {fetchToTemporary, type Fetched} from './download.js';
import {Manifest} from './manifest.js';
import {createNameAllocator, fileNameFromUrl} from './names.js';
import {OutputFolder} from './output-folder.js';
import {fileNameFor, guessExtension, type NameContext} from './template.js';

/** How one image ended, short of a failure (which is thrown as a `ScrapeError`). */
export type DownloadOutcome =
	/** `renamed`: the name it wanted was taken on disk by a file the run does not own, so it was saved under its stable alternative. */
	| {kind: 'done'; file: string; bytes: number; renamed: boolean}
	| {kind: 'skipped'; file: string | undefined; reason: SkipReason};

/** The body checks' verdicts that mean "the user's filters said no", not "something went wrong". */
const filterCodes: ReadonlySet<string> = new Set<SkipReason>(['too-large', 'too-small', 'filtered']);

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
	/** Replace files that stand under a wanted name instead of choosing another name. */
	overwrite: boolean;
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
	readonly #folder: OutputFolder;
	readonly #names = createNameAllocator();
	/** sha256 -> the file that holds those bytes (with `dedupeContent`). */
	readonly #owners = new Map<string, string>();

	private constructor(options: DownloaderOptions, manifest: Manifest, folder: OutputFolder) {
		this.#options = options;
		this.#manifest = manifest;
		this.#folder = folder;
	}

	/**
	Check and open the manifest, then take the output folder (created, locked,
	cleared of what a killed run left). Throws a `UsageError` before any request
	when either cannot be used. Names of files the manifest already holds in
	this folder are taken, so a new URL never lands on one of them.
	*/
	static async open(options: DownloaderOptions): Promise<Downloader> {
		OutputFolder.check(options.out);
		const manifest = await Manifest.open(options.files.manifest);
		const folder = OutputFolder.open(options.out);
		try {
			manifest.start();
		} catch (error) {
			folder.close();
			throw error;
		}

		const downloader = new Downloader(options, manifest, folder);
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
			return await this.#save(reservation, fetched);
		} catch (error) {
			await rm(fetched.temporary, {force: true});
			throw toScrapeError(error, url);
		}
	}

	/**
	Put a checked body under its name. A file that stands there already is never
	replaced (unless `overwrite`): when it holds the same bytes the image counts
	as `exists`, otherwise the image takes its stable alternative name. The
	manifest line is written before the file appears, so no file under a final
	name is ever without its line.
	*/
	async #save(reservation: Reservation, fetched: Fetched): Promise<DownloadOutcome> {
		const {files, overwrite} = this.#options;
		const {url, context} = reservation;
		// Nearly always the URL named the type right, and the name it preferred stands.
		const preferred = fetched.type.ext === reservation.ext ? reservation.preferred : fileNameFor(url, fetched.type.ext, files.name, context);
		let name = this.#names.reassign(url, preferred);
		const owner = files.dedupeContent ? this.#owners.get(fetched.sha256) : undefined;
		if (owner !== undefined) {
			await rm(fetched.temporary, {force: true});
			this.#manifest.add({url, path: owner, bytes: fetched.bytes, sha256: fetched.sha256});
			return {kind: 'skipped', file: owner, reason: 'duplicate'};
		}

		let renamed = false;
		// The file an earlier run recorded for this URL is the run's own, cut short or changed: it is replaced.
		const own = this.#manifest.recorded(url);
		for (;;) {
			const file = this.#folder.prepare(name, url);
			const replace = overwrite || file === own;
			const standing = replace ? 'free' : await compare(file, fetched);
			if (standing === 'same') {
				await rm(fetched.temporary, {force: true});
				this.#manifest.add({url, path: file, bytes: fetched.bytes, sha256: fetched.sha256});
				this.#claimContent(fetched.sha256, file);
				return {kind: 'skipped', file, reason: 'exists'};
			}

			// No await from here to the placement: the line and the file are one step of the event loop.
			if (standing === 'free') {
				this.#manifest.add({url, path: file, bytes: fetched.bytes, sha256: fetched.sha256});
				if (this.#folder.place(fetched.temporary, file, replace) === 'placed') {
					this.#claimContent(fetched.sha256, file);
					return {kind: 'done', file, bytes: fetched.bytes, renamed};
				}
				// Something else created the name since the check; the line for the next name supersedes this one.
			}

			name = this.#names.displace(url);
			renamed = true;
		}
	}

	#claimContent(sha256: string, file: string): void {
		if (this.#options.files.dedupeContent && !this.#owners.has(sha256)) {
			this.#owners.set(sha256, file);
		}
	}

	/** Close the manifest and release the output folder. */
	async close(): Promise<void> {
		await this.#manifest.close();
		this.#folder.close();
	}
}

/** What stands under a wanted name: nothing, the same bytes, or something else (any other file, folder or link). */
async function compare(file: string, fetched: Fetched): Promise<'free' | 'same' | 'taken'> {
	let info;
	try {
		info = await lstat(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return 'free';
		}

		throw error;
	}

	if (!info.isFile() || info.size !== fetched.bytes) {
		return 'taken';
	}

	const hash = createHash('sha256');
	await pipeline(createReadStream(file), hash);
	return hash.digest('hex') === fetched.sha256 ? 'same' : 'taken';
}
