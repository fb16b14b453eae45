import {createHash} from 'node:crypto';
import {closeSync, openSync, rmSync} from 'node:fs';
import path from 'node:path';
import {ScrapeError, toScrapeError} from '../errors.js';
import type {BodySink, HttpClient, ResponseHead} from '../http/client.js';
import {commonImageType, sniffBytes, sniffImageType, type ImageType} from './image-types.js';
import {writeAll} from './write-all.js';

/** Temporary files share this prefix and end in `.part`, so a later run can recognise leftovers of a killed one. */
export const temporaryPrefix = '.imgscrape-';
export const temporarySuffix = '.part';

/*
Unique without asking for random bytes on every image: the process id and a
start time tell runs apart, a counter the files of one run, and the 'wx' flag
refuses any clash that is left.
*/
const temporaryStem = `${process.pid.toString(36)}-${Date.now().toString(36)}-`;
let temporaryCount = 0;

/** What a body must be to be kept. */
export interface BodyRules {
	maxSize: number;
	minSize: number;
	/** Canonical image types kept, or undefined for all. */
	accept: ReadonlySet<string> | undefined;
}

export interface FetchToTemporary {
	url: string;
	/** Folder for the temporary file: the output folder, so the final rename stays on one file system. */
	dir: string;
	rules: BodyRules;
	signal: AbortSignal;
	/** Extra request headers (the page as Referer). */
	headers?: Record<string, string> | undefined;
}

/** A complete, checked body in a temporary file, waiting to be renamed into place (or removed). */
export interface Fetched {
	temporary: string;
	bytes: number;
	sha256: string;
	type: ImageType;
}

/**
Stream one image into a temporary file, checking it on the way: the type is
sniffed from the first bytes before anything is written, a body is stopped as
soon as it passes `maxSize`, and the sha256 is computed as it flows. On any
failure or abort the temporary file is removed and the error says why
(`not-an-image`, `too-large`, `too-small`, `filtered`, `truncated` ...).
*/
export async function fetchToTemporary(http: HttpClient, request: FetchToTemporary): Promise<Fetched> {
	const {url, rules, signal} = request;
	const temporary = path.join(request.dir, `${temporaryPrefix}${temporaryStem}${temporaryCount++}${temporarySuffix}`);
	const file = new ImageFile(temporary, url, rules);
	try {
		if (url.startsWith('data:')) {
			await writeDataUri(url, file);
		} else {
			await http.fetch(url, file, {signal, headers: request.headers});
		}
	} catch (error) {
		file.discard();
		throw toScrapeError(error, url);
	}

	return {temporary, bytes: file.bytes, sha256: file.hash.digest('hex'), type: file.type!};
}

/** A `data:` URI goes through the same checks as a response body. */
async function writeDataUri(url: string, file: ImageFile): Promise<void> {
	const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
	file.open({url, status: 200, headers: {}, contentLength: bytes.length});
	await file.write(bytes);
	await file.end();
}

/**
An image body on its way to a temporary file. Nothing is written until the
first bytes show an image (of an accepted type); a body is stopped the moment
it passes `maxSize`; the sha256 is computed on the way.

The file is written with synchronous calls: an image is a few chunks of
page-cache writes, each far cheaper than the round trip through libuv's
thread pool that an fs.WriteStream makes for open, every write and close;
with thousands of small images those round trips, not the bytes, were the
cost. The body still streams: nothing is held beyond the chunk in hand.
*/
class ImageFile implements BodySink {
	readonly hash = createHash('sha256');
	bytes = 0;
	type: ImageType | undefined;
	readonly #path: string;
	readonly #url: string;
	readonly #rules: BodyRules;
	#fd: number | undefined;
	/** Chunks held until there are enough bytes to sniff; undefined once sniffed. */
	#head: Buffer[] | undefined = [];
	#headBytes = 0;

	constructor(path: string, url: string, rules: BodyRules) {
		this.#path = path;
		this.#url = url;
		this.#rules = rules;
	}

	open(head: ResponseHead): void {
		if (head.contentLength !== undefined && head.contentLength > this.#rules.maxSize) {
			throw new ScrapeError('too-large', `${head.contentLength} bytes is over the ${this.#rules.maxSize}-byte limit`, {url: this.#url});
		}
	}

	write(chunk: Buffer): void | Promise<void> {
		this.bytes += chunk.length;
		if (this.bytes > this.#rules.maxSize) {
			throw new ScrapeError('too-large', `over the ${this.#rules.maxSize}-byte limit`, {url: this.#url});
		}

		this.hash.update(chunk);
		if (this.#head === undefined) {
			writeAll(this.#fd!, chunk);
			return;
		}

		if (this.#headBytes === 0) {
			// Nearly every image says what it is in its first dozen bytes: no need to hold it back.
			const common = commonImageType(chunk);
			if (common !== undefined) {
				this.#head = undefined;
				this.#accept(common);
				writeAll(this.#fd!, chunk);
				return;
			}
		}

		this.#head.push(chunk);
		this.#headBytes += chunk.length;
		if (this.#headBytes >= sniffBytes) {
			return this.#release();
		}
	}

	end(): void | Promise<void> {
		const released = this.#head === undefined ? undefined : this.#release();
		if (released === undefined) {
			this.#close();
			return;
		}

		return released.then(() => {
			this.#close();
		});
	}

	/** Close and remove the temporary file, after a failure. */
	discard(): void {
		try {
			this.#closeFile();
		} catch {}

		rmSync(this.#path, {force: true});
	}

	/** Sniff the held head, then write it or fail. */
	#release(): void | Promise<void> {
		const head = Buffer.concat(this.#head!, this.#headBytes);
		this.#head = undefined;
		const type = sniffImageType(head);
		if (type instanceof Promise) {
			return type.then(found => {
				this.#accept(found);
				writeAll(this.#fd!, head);
			});
		}

		this.#accept(type);
		writeAll(this.#fd!, head);
	}

	#accept(type: ImageType | undefined): void {
		if (type === undefined) {
			throw new ScrapeError('not-an-image', 'the body is not an image', {url: this.#url});
		}

		if (this.#rules.accept !== undefined && !this.#rules.accept.has(type.ext)) {
			throw new ScrapeError('filtered', `${type.ext} is not an accepted type`, {url: this.#url});
		}

		this.type = type;
		this.#fd = openSync(this.#path, 'wx');
	}

	#close(): void {
		this.#closeFile();
		if (this.bytes < this.#rules.minSize) {
			throw new ScrapeError('too-small', `${this.bytes} bytes is under the ${this.#rules.minSize}-byte minimum`, {url: this.#url});
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
