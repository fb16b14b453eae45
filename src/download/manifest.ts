/**
The manifest: one JSON line per saved file, appended as each completes, so a
rerun knows what is already done. One writer owns the appends; the file
may be shared by several runs and folders (`--archive`), which is why each
entry names its file relative to the manifest rather than to a run's folder.
*/

import {closeSync, openSync} from 'node:fs';
import {mkdir, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {writeAll} from './write-all.js';

/** The manifest's name in the output folder. It does not start with the temporary files' prefix, so cleanup never takes it. */
export const manifestName = '.imgscrape.jsonl';

/** One line of the manifest. */
export interface ManifestEntry {
	url: string;
	/** The file, relative to the manifest's folder (`/` separators). */
	file: string;
	bytes: number;
	sha256: string;
	/** When the file was completed, ISO 8601. */
	time: string;
}

function isEntry(value: unknown): value is ManifestEntry {
	const entry = value as Partial<ManifestEntry> | null;
	return typeof entry?.url === 'string' && typeof entry.file === 'string' && typeof entry.bytes === 'number' && typeof entry.sha256 === 'string';
}

export class Manifest {
	readonly #path: string;
	readonly #folder: string;
	/** The latest entry per URL: a later line wins. */
	readonly #entries: Map<string, ManifestEntry>;
	#fd: number | undefined;

	private constructor(file: string, entries: Map<string, ManifestEntry>) {
		this.#path = file;
		this.#folder = path.dirname(file);
		this.#entries = entries;
	}

	/**
	Read a manifest, or start an empty one. A killed run may have left a torn
	last line, and a hand-edited file anything: lines that do not parse are skipped.
	*/
	static async open(file: string): Promise<Manifest> {
		const entries = new Map<string, ManifestEntry>();
		let text = '';
		try {
			text = await readFile(file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw error;
			}
		}

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

		const manifest = new Manifest(file, entries);
		// A torn last line must not swallow the next entry.
		manifest.#needsNewline = text !== '' && !text.endsWith('\n');
		return manifest;
	}

	#needsNewline = false;

	/** Every entry the file held when opened, latest per URL. Entries added since are only written: each URL is fetched once per run. */
	entries(): IterableIterator<ManifestEntry> {
		return this.#entries.values();
	}

	/** The absolute path an entry's file has. */
	resolve(entry: ManifestEntry): string {
		return path.resolve(this.#folder, entry.file);
	}

	/**
	The entry for `url` when the disk agrees it is complete: the file exists
	with the recorded size. Hashing every file again would make a rerun of a
	large gallery read it all; a file is only ever renamed into place whole, so
	its size is a sound check.
	*/
	async completed(url: string): Promise<(ManifestEntry & {path: string}) | undefined> {
		const entry = this.#entries.get(url);
		if (entry === undefined) {
			return undefined;
		}

		const file = this.resolve(entry);
		try {
			const info = await stat(file);
			return info.isFile() && info.size === entry.bytes ? {...entry, path: file} : undefined;
		} catch {
			return undefined;
		}
	}

	/**
	Record a completed file (given by absolute path). The lines of one turn of
	the event loop go out in one synchronous append: with thousands of small
	images, a stream write per line handed work to the thread pool per image,
	and waking it cost the main thread more than the write.
	*/
	async add(entry: Omit<ManifestEntry, 'file' | 'time'> & {path: string}): Promise<void> {
		const line: ManifestEntry = {
			url: entry.url,
			file: this.#relative(entry.path),
			bytes: entry.bytes,
			sha256: entry.sha256,
			time: new Date().toISOString(),
		};
		if (this.#fd === undefined) {
			await mkdir(this.#folder, {recursive: true});
			this.#fd ??= openSync(this.#path, 'a');
		}

		if (this.#needsNewline) {
			this.#pending.push('');
			this.#needsNewline = false;
		}

		this.#pending.push(JSON.stringify(line));
		if (!this.#flushing) {
			this.#flushing = true;
			setImmediate(this.#flush);
		}
	}

	/** Write every line added and close the file. */
	async close(): Promise<void> {
		this.#flush();
		const fd = this.#fd;
		this.#fd = undefined;
		if (fd !== undefined) {
			closeSync(fd);
		}
	}

	/** Lines added since the last write. */
	#pending: string[] = [];
	#flushing = false;

	readonly #flush = (): void => {
		this.#flushing = false;
		if (this.#pending.length > 0 && this.#fd !== undefined) {
			writeAll(this.#fd, Buffer.from(`${this.#pending.join('\n')}\n`));
			this.#pending = [];
		}
	};

	/** A path relative to the manifest's folder, with `/` between folders. */
	#relative(file: string): string {
		const inside = file.startsWith(this.#folder + path.sep) ? file.slice(this.#folder.length + 1) : path.relative(this.#folder, file);
		return path.sep === '/' ? inside : inside.split(path.sep).join('/');
	}
}
