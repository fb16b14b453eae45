/**
The output folder, and every path a run writes under it. It owns the folder's
lock, the cleanup of a killed run's temporary files, the folders a name
template makes, and the last step of every image: putting a complete
temporary file under its final name without replacing anything the run does
not own and without following a link out of the folder.
*/

import {linkSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, type Stats, statSync, unlinkSync} from 'node:fs';
import path from 'node:path';
import {ScrapeError, UsageError} from '../errors.js';
import {nearestExisting} from '../writable-path.js';
import {removeEmptyFolders} from './empty-folders.js';
import {lockFolder, type FolderLock} from './folder-lock.js';

/** Temporary files share this prefix and end in `.part`, so a later run can recognise leftovers of a killed one. */
export const temporaryPrefix = '.imgscrape-';
export const temporarySuffix = '.part';

/** What stands under a final name when the run wanted to put its file there. */
export type Placement = 'placed' | 'taken';

/** Codes that say the file system does not do hard links: the no-clobber rename falls back to a check. */
const noLinkCodes = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

export class OutputFolder {
	/** The folder as the user named it, absolute. */
	readonly path: string;
	readonly #real: string;
	readonly #lock: FolderLock;
	/** The outermost folder this run created, to remove again if the run left nothing in it. */
	readonly #created: string | undefined;
	/** Folders under the output folder already checked (or made) this run. */
	readonly #checked = new Set<string>();
	#links = true;

	private constructor(folder: string, real: string, lock: FolderLock, created: string | undefined) {
		this.path = folder;
		this.#real = real;
		this.#lock = lock;
		this.#created = created;
	}

	/** Refuse, without creating anything, a folder that a file stands in the way of (itself or a folder above it). */
	static check(folder: string): void {
		let nearest: {path: string; stats: Stats};
		try {
			nearest = nearestExisting(folder);
		} catch (error) {
			throw new UsageError(`Cannot use \`${folder}\` as the output folder: ${(error as Error).message}`);
		}

		if (!nearest.stats.isDirectory()) {
			const reason = nearest.path === folder ? 'a file stands in the way' : `\`${nearest.path}\` is a file, not a folder`;
			throw new UsageError(`Cannot use \`${folder}\` as the output folder: ${reason}`);
		}
	}

	/**
	Create the folder if needed, lock it, and remove what a killed run left.
	Throws a `UsageError` when it is not a folder, cannot be written, or another
	run holds it: all before any request is made.
	*/
	static open(folder: string): OutputFolder {
		let created: string | undefined;
		try {
			created = mkdirSync(folder, {recursive: true});
			if (!statSync(folder).isDirectory()) {
				throw new Error('not a folder');
			}
		} catch (error) {
			const {code, message} = error as NodeJS.ErrnoException;
			const reason = code === 'EEXIST' || code === 'ENOTDIR' || message === 'not a folder' ? 'a file stands in the way' : message;
			throw new UsageError(`Cannot use \`${folder}\` as the output folder: ${reason}`);
		}

		const lock = lockFolder(folder);
		const output = new OutputFolder(folder, realpathSync(folder), lock, created);
		output.#removeStaleTemporaries();
		return output;
	}

	/** Release the lock; a folder this run created and left empty is removed again. */
	close(): void {
		this.#lock.release();
		removeEmptyFolders(this.path, this.#created);
	}

	/**
	Make the folders a name holds (`a/b/c.jpg`), one at a time so that none is
	ever created through a link. A folder that is a link is followed only while
	it leads to somewhere inside the output folder; otherwise the image fails as
	`fs`, naming the link. Returns the file's absolute path.
	*/
	prepare(name: string, url: string): string {
		const file = path.join(this.path, name);
		if (!file.startsWith(this.path + path.sep)) {
			// Names are built from sanitized segments, so this is a last line of defence, not a path taken.
			throw new ScrapeError('fs', `refusing to write outside the output folder: ${name}`, {url});
		}

		const parts = name.split('/');
		let folder = this.path;
		for (const part of parts.slice(0, -1)) {
			folder = path.join(folder, part);
			if (this.#checked.has(folder)) {
				continue;
			}

			this.#checkFolder(folder, url);
			this.#checked.add(folder);
		}

		return file;
	}

	/**
	Give the complete temporary file its final name. Without `overwrite`
	nothing that stands there is ever replaced: the name is taken with a hard
	link, which fails if the name exists, and the temporary is unlinked after.
	Where links are not supported, a check comes before the rename. `overwrite`
	renames over a file (never through a link: a rename replaces the link itself).
	*/
	place(temporary: string, file: string, overwrite: boolean): Placement {
		if (overwrite) {
			renameSync(temporary, file);
			return 'placed';
		}

		if (this.#links) {
			try {
				linkSync(temporary, file);
				removeFile(temporary);
				return 'placed';
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code ?? '';
				if (code === 'EEXIST') {
					return 'taken';
				}

				if (!noLinkCodes.has(code)) {
					throw error;
				}

				this.#links = false;
			}
		}

		if (exists(file)) {
			return 'taken';
		}

		renameSync(temporary, file);
		return 'placed';
	}

	#checkFolder(folder: string, url: string): void {
		let info: Stats;
		try {
			info = lstatSync(folder);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw error;
			}

			try {
				mkdirSync(folder);
				return;
			} catch (mkdirError) {
				if ((mkdirError as NodeJS.ErrnoException).code !== 'EEXIST') {
					throw mkdirError;
				}

				info = lstatSync(folder);
			}
		}

		if (info.isSymbolicLink()) {
			const target = realpathSync(folder);
			if (target !== this.#real && !target.startsWith(this.#real + path.sep)) {
				throw new ScrapeError('fs', `refusing to write through \`${folder}\`: a link to \`${target}\`, outside the output folder`, {url});
			}

			if (!statSync(target).isDirectory()) {
				throw new ScrapeError('fs', `\`${folder}\` links to \`${target}\`, which is not a folder`, {url});
			}
		} else if (!info.isDirectory()) {
			throw new ScrapeError('fs', `\`${folder}\` is a file, not a folder`, {url});
		}
	}

	/** With the lock held, every temporary file in the folder belongs to a run that is gone. Folders of that name are not ours. */
	#removeStaleTemporaries(): void {
		for (const entry of readdirSync(this.path, {withFileTypes: true})) {
			if (entry.isFile() && entry.name.startsWith(temporaryPrefix) && entry.name.endsWith(temporarySuffix)) {
				rmSync(path.join(this.path, entry.name), {force: true});
			}
		}
	}
}

/**
Remove a file if it is there. One unlink: `rmSync` with `force` first stats
the path (and on Node 20 runs its rimraf in JavaScript), a second system call
on every image's temporary.
*/
export function removeFile(file: string): void {
	try {
		unlinkSync(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	}
}

function exists(file: string): boolean {
	try {
		lstatSync(file);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return false;
		}

		throw error;
	}
}
