/**
`metadataFile`: one JSON line of metadata per saved image, appended once the
image is in place. Unlike the manifest it is not what a rerun goes by, so a
line lost to a kill costs nothing but the line.
*/

import {closeSync, constants, mkdirSync, openSync, writeSync} from 'node:fs';
import path from 'node:path';
import {ScrapeError, UsageError} from '../errors.js';
import {checkWritableFile} from '../writable-path.js';
import type {ImageMetadata} from './metadata.js';

export class MetadataLog {
	readonly #path: string;
	readonly #folder: string;
	#fd: number | undefined;

	private constructor(file: string, fd: number) {
		this.#path = file;
		this.#folder = path.dirname(file);
		this.#fd = fd;
	}

	/** Open for appending now, before any request, so an unusable path is a usage error (exit 2) rather than a lost line. */
	static open(file: string): MetadataLog {
		checkWritableFile(file, 'the metadata file');
		try {
			mkdirSync(path.dirname(file), {recursive: true});
			// O_NOFOLLOW: a link planted after the check is refused too.
			return new MetadataLog(file, openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644));
		} catch (error) {
			throw new UsageError(`Cannot use \`${file}\` as the metadata file: ${(error as Error).message}`);
		}
	}

	/** Append the line of a saved image (`location` absolute), named relative to this file's folder as the manifest does. */
	add(location: string, metadata: ImageMetadata): void {
		const relative = path.relative(this.#folder, location).split(path.sep).join('/');
		const bytes = Buffer.from(`${JSON.stringify({...metadata, file: relative})}\n`);
		try {
			let written = 0;
			while (written < bytes.length) {
				written += writeSync(this.#fd!, bytes, written);
			}
		} catch (error) {
			throw new ScrapeError('fs', `cannot write the metadata file \`${this.#path}\`: ${(error as Error).message}`, {
				url: metadata.url,
				cause: error,
				stopsRun: true,
			});
		}
	}

	close(): void {
		const fd = this.#fd;
		this.#fd = undefined;
		if (fd !== undefined) {
			closeSync(fd);
		}
	}
}
