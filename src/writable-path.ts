import {accessSync, constants, lstatSync, realpathSync, type Stats, statSync} from 'node:fs';
import path from 'node:path';
import {UsageError} from './errors.js';

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
	let folder = path.dirname(file);
	for (;;) {
		try {
			if (!statSync(folder).isDirectory()) {
				throw fail(`\`${folder}\` is a file, not a folder`);
			}

			break;
		} catch (error) {
			if (error instanceof UsageError) {
				throw error;
			}

			const parent = path.dirname(folder);
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === folder) {
				throw fail((error as Error).message);
			}

			if (!makeFolders) {
				throw fail(`the folder \`${folder}\` does not exist`);
			}

			folder = parent;
		}
	}

	try {
		accessSync(info === undefined ? folder : file, constants.W_OK);
	} catch {
		throw fail(`\`${info === undefined ? folder : file}\` is not writable`);
	}

	return info !== undefined;
}
