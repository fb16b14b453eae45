import {accessSync, constants, lstatSync, realpathSync, type Stats, statSync} from 'node:fs';
import path from 'node:path';
import {UsageError} from './errors.js';

/**
The nearest of `target` and the folders above it that exists, with what it
is: a path that does not exist yet, or runs under a file, is walked up.
Throws any other error (a permission denied on the way, say).
*/
export function nearestExisting(target: string): {path: string; stats: Stats} {
	for (let current = target; ; current = path.dirname(current)) {
		try {
			return {path: current, stats: statSync(current)};
		} catch (error) {
			const {code} = error as NodeJS.ErrnoException;
			if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(current) === current) {
				throw error;
			}
		}
	}
}

/** How strict `checkWritableFile` is. */
export interface WritableFileRules {
	/** Refuse a symbolic link (the run's own files: a planted link would make it write wherever it points). @default true */
	refuseLinks?: boolean;
	/** The file's folder may be missing, to be made on first write. @default true */
	makeFolders?: boolean;
}

/**
Check, before any request, that `file` can be created or written: it is not a
folder or a link, and its folder exists (or can be made in a folder that can be
written). `what` names it in the message (`the manifest`, `the report file`).
Returns whether the file exists already.
*/
export function checkWritableFile(file: string, what: string, rules: WritableFileRules = {}): boolean {
	const {refuseLinks = true, makeFolders = true} = rules;
	const fail = (reason: string) => new UsageError(`Cannot use \`${file}\` as ${what}: ${reason}`);
	let info: Stats | undefined;
	try {
		info = lstatSync(file);
	} catch (error) {
		const {code} = error as NodeJS.ErrnoException;
		if (code === 'ENOTDIR') {
			throw fail('a file stands where a folder on its path should be');
		}

		if (code !== 'ENOENT') {
			throw fail((error as Error).message);
		}
	}

	if (info?.isSymbolicLink() && !refuseLinks) {
		info = statSync(file, {throwIfNoEntry: false});
	}

	if (info?.isSymbolicLink()) {
		let target = 'a missing file';
		try {
			target = `\`${realpathSync(file)}\``;
		} catch {}

		throw fail(`it is a symbolic link (to ${target}); give the real path`);
	}

	if (info?.isDirectory()) {
		throw fail('it is a folder');
	}

	if (info !== undefined && !info.isFile()) {
		throw fail('it is not a regular file');
	}

	// The nearest folder that exists must be a folder we may write in.
	const folder = path.dirname(file);
	let nearest: {path: string; stats: Stats};
	try {
		nearest = nearestExisting(folder);
	} catch (error) {
		throw fail((error as Error).message);
	}

	if (nearest.path !== folder && !makeFolders) {
		throw fail(`the folder \`${folder}\` does not exist`);
	}

	if (!nearest.stats.isDirectory()) {
		throw fail(`\`${nearest.path}\` is a file, not a folder`);
	}

	try {
		accessSync(info === undefined ? nearest.path : file, constants.W_OK);
	} catch {
		throw fail(`\`${info === undefined ? nearest.path : file}\` is not writable`);
	}

	return info !== undefined;
}
