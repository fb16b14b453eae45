/**
The manifest: one JSON line per saved file, appended as each completes, so a
rerun knows what is already done. One writer owns the appends; the file
may be shared by several runs and folders (`--archive`), which is why each
entry names its file relative to the manifest rather than to a run's folder.
*/

import {closeSync, constants, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, rmSync, statSync, writeSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {defaults} from '../defaults.js';
import {ScrapeError, UsageError} from '../errors.js';
import type {Manifest, ManifestRecord} from '../ports.js';
import {checkWritableFile} from '../writable-path.js';
import {removeEmptyFolders} from './empty-folders.js';

/** The manifest's name in the output folder. It does not start with the temporary files' prefix, so cleanup never takes it. */
export const manifestName = defaults.manifest;

/** One line of the manifest. */
export interface ManifestEntry {
	url: string;
	/** The file, relative to the manifest's folder (`/` separators). */
	file: string;
	bytes: number;
	sha256: string;
	/** The page it was found on (absent in lines of older runs). */
	page?: string;
	/** The pixel size its header declares; absent when its first megabyte did not hold it. */
	width?: number;
	height?: number;
	/** When the file was completed, ISO 8601. */
	time: string;
}

function isEntry(value: unknown): value is ManifestEntry {
	const entry = value as Partial<ManifestEntry> | null;
	return typeof entry?.url === 'string' && typeof entry.file === 'string' && typeof entry.bytes === 'number' && typeof entry.sha256 === 'string';
}

/** The manifest as a JSON-lines file: the first implementation of the `Manifest` port. */
export class JsonlManifest implements Manifest {
	readonly #path: string;
	readonly #folder: string;
	/** The latest entry per URL, as the file held it when opened: a later line wins. */
	readonly #entries: Map<string, ManifestEntry>;
	/** sha256 -> location, the first saved with those bytes: the file's and this run's. */
	readonly #owners = new Map<string, string>();
	#fd: number | undefined;

	private constructor(file: string, entries: Map<string, ManifestEntry>) {
		this.#path = file;
		this.#folder = path.dirname(file);
		this.#entries = entries;
		for (const entry of entries.values()) {
			if (!this.#owners.has(entry.sha256)) {
				this.#owners.set(entry.sha256, this.#resolve(entry));
			}
		}
	}

	/**
	Read a manifest, or start an empty one. A killed run may have left a torn
	last line, and a hand-edited file anything: lines that do not parse are skipped.
	*/
	static async open(file: string): Promise<JsonlManifest> {
		const entries = new Map<string, ManifestEntry>();
		// A folder, a link or an unwritable path is refused now, before any request, not after the first image.
		const text = checkWritableFile(file, 'the manifest') ? await readFile(file, 'utf8') : '';

		for (const line of text.split('\n')) {
			try {
				const entry: unknown = JSON.parse(line);
				if (isEntry(entry)) {
					entries.set(entry.url, entry);
				}
			} catch {
				// A torn or foreign line: the file it names will simply be fetched again.
			}
		}

		const manifest = new JsonlManifest(file, entries);
		// A torn last line must not swallow the next entry.
		manifest.#needsNewline = text !== '' && !text.endsWith('\n');
		return manifest;
	}

	#needsNewline = false;

	lookup(url: string): ManifestRecord | undefined {
		const entry = this.#entries.get(url);
		return entry && {url, location: this.#resolve(entry), bytes: entry.bytes, sha256: entry.sha256, width: entry.width, height: entry.height};
	}

	ownerOf(sha256: string): string | undefined {
		return this.#owners.get(sha256);
	}

	/** The absolute path an entry's file has. */
	#resolve(entry: ManifestEntry): string {
		return path.resolve(this.#folder, entry.file);
	}

	/**
	Record a completed file (given by absolute path), synchronously, before the
	file is put under its name: whatever stops the process after that, a file
	under a final name has its line. One write per line costs a few
	microseconds; a batch held in memory is what a second Ctrl-C loses.

	A write that fails (a full disk) is cut back off, so the manifest stays
	whole lines, and is thrown as an `fs` error that stops the run.
	*/
	add(entry: ManifestRecord): void {
		const line: ManifestEntry = {
			url: entry.url,
			file: this.#relative(entry.location),
			bytes: entry.bytes,
			sha256: entry.sha256,
			...(entry.page === undefined ? {} : {page: entry.page}),
			...(entry.width === undefined || entry.height === undefined ? {} : {width: entry.width, height: entry.height}),
			time: new Date().toISOString(),
		};
		let written = 0;
		try {
			const fd = this.#open();
			const bytes = Buffer.from(`${this.#needsNewline ? '\n' : ''}${JSON.stringify(line)}\n`);
			while (written < bytes.length) {
				written += writeSync(fd, bytes, written);
			}

			this.#needsNewline = false;
			this.#wrote = true;
			if (!this.#owners.has(entry.sha256)) {
				this.#owners.set(entry.sha256, entry.location);
			}
		} catch (error) {
			this.#cutTornLine(written);
			throw new ScrapeError('fs', `cannot write the manifest \`${this.#path}\`: ${(error as Error).message}`, {url: entry.url, cause: error, stopsRun: true});
		}
	}

	/** Close the file; one this run created and left empty is removed, with the folders made for it. */
	async close(): Promise<void> {
		const fd = this.#fd;
		this.#fd = undefined;
		if (fd === undefined) {
			return;
		}

		closeSync(fd);
		if (this.#createdFile && !this.#wrote && statSync(this.#path, {throwIfNoEntry: false})?.size === 0) {
			rmSync(this.#path, {force: true});
			removeEmptyFolders(this.#folder, this.#createdFolder);
		}
	}

	/**
	Open the file for appending now, before any request, while descriptors are
	plentiful and a failure can still be a usage error rather than a lost line.
	A file this creates and never writes to is removed again on close.
	*/
	start(): void {
		try {
			this.#open();
		} catch (error) {
			throw new UsageError(`Cannot use \`${this.#path}\` as the manifest: ${(error as Error).message}`);
		}
	}

	#open(): number {
		if (this.#fd === undefined) {
			const created = mkdirSync(this.#folder, {recursive: true});
			this.#createdFolder = created;
			this.#createdFile = !existsSync(this.#path);
			// O_NOFOLLOW: a link planted after the check at start is refused too.
			this.#fd = openSync(this.#path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
		}

		return this.#fd;
	}

	/** What opening made, to take back when nothing was written. */
	#createdFolder: string | undefined;
	#createdFile = false;
	#wrote = false;

	/**
	Remove the part of a line a failed write left, from the end of the file.
	Should another run sharing the archive have appended in between, the cut
	tears its last line instead: a torn line is skipped on reading, and that
	image is recognised by its bytes on the next run, never lost.
	*/
	#cutTornLine(written: number): void {
		if (written === 0 || this.#fd === undefined) {
			return;
		}

		try {
			ftruncateSync(this.#fd, fstatSync(this.#fd).size - written);
		} catch {
			this.#needsNewline = true;
		}
	}

	/** A path relative to the manifest's folder, with `/` between folders. */
	#relative(file: string): string {
		const inside = file.startsWith(this.#folder + path.sep) ? file.slice(this.#folder.length + 1) : path.relative(this.#folder, file);
		return path.sep === '/' ? inside : inside.split(path.sep).join('/');
	}
}
