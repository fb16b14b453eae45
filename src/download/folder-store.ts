import {createHash} from 'node:crypto';
import {closeSync, createReadStream, lstatSync, openSync, utimesSync, writeFileSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import type {ImageStore, NameContext, Settled, StoreEntry, StoredBody} from '../ports.js';
import {sidecarOf} from './metadata.js';
import {createNameAllocator, fileNameFromUrl, type NameAllocator} from './names.js';
import {OutputFolder, removeFile, temporaryPrefix, temporarySuffix} from './output-folder.js';
import {dateField, fileNameFor, guessExtension, usesField} from './template.js';
import {writeAll} from './write-all.js';

/*
Unique without asking for random bytes on every image: the process id and a
start time tell runs apart, a counter the files of one run, and the 'wx' flag
refuses any clash that is left.
*/
const temporaryStem = `${process.pid.toString(36)}-${Date.now().toString(36)}-`;
let temporaryCount = 0;

export interface FolderStoreOptions {
	/** The output folder, absolute. */
	out: string;
	/** `name` template, or undefined for the URL's file name. */
	name: string | undefined;
	/** Replace files that stand under a wanted name instead of choosing another name. */
	overwrite: boolean;
}

/** An image's claim on a name, from when it is found until its body is settled. */
interface Claim {
	context: NameContext;
	/** The extension the URL suggested, and the name wanted for it. */
	ext: string;
	preferred: string;
}

/**
The output folder as an `ImageStore`: locations are absolute paths, names come
from the URL or the `name` template (one allocator per run, so two URLs never
share a name), bodies stream to a temporary file in the folder and are put in
place by `OutputFolder.place`, which never replaces what the run does not own.
*/
export class FolderStore implements ImageStore {
	readonly #options: FolderStoreOptions;
	readonly #folder: OutputFolder;
	readonly #names: NameAllocator = createNameAllocator();
	readonly #claims = new Map<string, Claim>();

	private constructor(options: FolderStoreOptions, folder: OutputFolder) {
		this.#options = options;
		this.#folder = folder;
	}

	/** Refuse, creating nothing, a folder a file stands in the way of. */
	static check(out: string): void {
		OutputFolder.check(out);
	}

	/** Create and lock the folder, and clear what a killed run left (see `OutputFolder.open`). */
	static open(options: FolderStoreOptions): FolderStore {
		return new FolderStore(options, OutputFolder.open(options.out));
	}

	claim(url: string, context: NameContext): void {
		const urlFileName = fileNameFromUrl(url);
		const ext = guessExtension(urlFileName);
		const preferred = fileNameFor(url, ext, this.#options.name, context, urlFileName);
		this.#names.allocate(url, preferred);
		this.#claims.set(url, {context, ext, preferred});
	}

	create(url: string): StoreEntry {
		const temporary = path.join(this.#folder.path, `${temporaryPrefix}${temporaryStem}${temporaryCount++}${temporarySuffix}`);
		return new FolderEntry(this, url, temporary, openSync(temporary, 'wx'));
	}

	async holds(location: string, bytes: number): Promise<boolean> {
		try {
			const info = await stat(location);
			return info.isFile() && info.size === bytes;
		} catch {
			return false;
		}
	}

	async close(): Promise<void> {
		this.#folder.close();
	}

	/** The name for a body of this type: what it claimed when found, unless the real type changes it. */
	nameFor(url: string, body: StoredBody): string {
		const claim = this.#claims.get(url) ?? {context: {page: 0, index: 0}, ext: '', preferred: ''};
		const template = this.#options.name;
		// `{date}` was the run's date until the server said when the body was last modified.
		const dated = body.lastModified !== undefined && usesField(template, 'date');
		const context = dated ? {...claim.context, date: dateField(body.lastModified!)} : claim.context;
		// Nearly always the URL named the type right, and the name it preferred stands.
		const preferred = body.type.ext === claim.ext && !dated ? claim.preferred : fileNameFor(url, body.type.ext, template, context);
		return this.#names.reassign(url, preferred);
	}

	displace(url: string): string {
		return this.#names.displace(url);
	}

	spent(url: string): void {
		this.#claims.delete(url);
	}

	get folder(): OutputFolder {
		return this.#folder;
	}

	get overwrite(): boolean {
		return this.#options.overwrite;
	}
}

/**
One body in a temporary file of the output folder. Written with synchronous
calls: an image is a few chunks of page-cache writes, each far cheaper than
the round trip through libuv's thread pool that an fs.WriteStream makes for
open, every write and close; with thousands of small images those round
trips, not the bytes, were the cost.
*/
class FolderEntry implements StoreEntry {
	readonly #store: FolderStore;
	readonly #url: string;
	readonly #temporary: string;
	#fd: number | undefined;
	#name: string | undefined;
	#file: string | undefined;
	#replace = false;
	#renamed = false;
	#modified: Date | undefined;
	#sidecar: Uint8Array | undefined;
	/** The sidecar's temporary file, while one exists. */
	#sidecarTemporary: string | undefined;

	constructor(store: FolderStore, url: string, temporary: string, fd: number) {
		this.#store = store;
		this.#url = url;
		this.#temporary = temporary;
		this.#fd = fd;
	}

	write(chunk: Buffer): void {
		writeAll(this.#fd!, chunk);
	}

	async settle(body: StoredBody): Promise<Settled> {
		this.#closeFile();
		const store = this.#store;
		if (this.#name === undefined) {
			this.#name = store.nameFor(this.#url, body);
		} else {
			this.#name = store.displace(this.#url);
			this.#renamed = true;
		}

		this.#modified = body.modified;
		this.#sidecar = body.sidecar;
		for (;;) {
			const file = store.folder.prepare(this.#name, this.#url);
			this.#replace = store.overwrite || file === body.owned;
			let standing = this.#replace ? 'free' : await compare(file, body);
			// The sidecar's name follows the image's, under the same rule: what stands there and is not the run's takes the pair elsewhere.
			if (standing === 'free' && body.sidecar !== undefined && !this.#replace && lstatSync(sidecarOf(file), {throwIfNoEntry: false}) !== undefined) {
				standing = 'taken';
			}

			if (standing !== 'taken') {
				this.#file = file;
				return {location: file, existing: standing === 'same', renamed: this.#renamed};
			}

			this.#name = store.displace(this.#url);
			this.#renamed = true;
		}
	}

	/**
	The sidecar goes in place first and the image after it, each atomically, so
	no image is ever visible without its sidecar; a sidecar placed for an image
	that then finds its name taken is taken back.
	*/
	commit(): boolean {
		const {folder} = this.#store;
		const file = this.#file!;
		if (this.#modified !== undefined) {
			// On the temporary, before it is visible: a hard link shares the time, a rename keeps it.
			utimesSync(this.#temporary, new Date(), this.#modified);
		}

		const sidecar = this.#placeSidecar(file);
		if (sidecar === 'taken') {
			return false;
		}

		let placed: 'placed' | 'taken';
		try {
			placed = folder.place(this.#temporary, file, this.#replace);
		} catch (error) {
			this.#takeBack(sidecar);
			throw error;
		}

		if (placed === 'taken') {
			this.#takeBack(sidecar);
			return false;
		}

		this.#store.spent(this.#url);
		return true;
	}

	abort(): void {
		try {
			this.#closeFile();
		} catch {}

		removeFile(this.#temporary);
		if (this.#sidecarTemporary !== undefined) {
			removeFile(this.#sidecarTemporary);
		}

		this.#store.spent(this.#url);
	}

	/** Write the sidecar to a temporary file of its own and put it under `FILE.json`; its path once placed. */
	#placeSidecar(file: string): string | 'taken' | undefined {
		if (this.#sidecar === undefined) {
			return undefined;
		}

		const temporary = `${this.#temporary.slice(0, -temporarySuffix.length)}-meta${temporarySuffix}`;
		this.#sidecarTemporary = temporary;
		writeFileSync(temporary, this.#sidecar, {flag: 'wx'});
		const target = sidecarOf(file);
		const placed = this.#store.folder.place(temporary, target, this.#replace);
		if (placed === 'taken') {
			removeFile(temporary);
		}

		this.#sidecarTemporary = undefined;
		return placed === 'taken' ? 'taken' : target;
	}

	/** Remove a sidecar this entry placed (and so owns) for an image that did not follow it. */
	#takeBack(sidecar: string | undefined): void {
		if (sidecar !== undefined) {
			removeFile(sidecar);
		}
	}

	#closeFile(): void {
		const fd = this.#fd;
		this.#fd = undefined;
		if (fd !== undefined) {
			closeSync(fd);
		}
	}
}

/** What stands under a wanted name: nothing, the same bytes, or something else (any other file, folder or link). */
async function compare(file: string, body: StoredBody): Promise<'free' | 'same' | 'taken'> {
	// Synchronous and without an exception for the common case, a free name: an async lstat that
	// fails with ENOENT cost a trip through the thread pool and an Error with its stack per image.
	const info = lstatSync(file, {throwIfNoEntry: false});
	if (info === undefined) {
		return 'free';
	}

	if (!info.isFile() || info.size !== body.bytes) {
		return 'taken';
	}

	const hash = createHash('sha256');
	await pipeline(createReadStream(file), hash);
	return hash.digest('hex') === body.sha256 ? 'same' : 'taken';
}
