import {createHash} from 'node:crypto';
import {closeSync, openSync, writeSync, writevSync} from 'node:fs';
import {readdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {Readable, Transform, Writable, type TransformCallback} from 'node:stream';
import {pipeStages} from '../http/body.js';
import {ScrapeError} from '../errors.js';
import {discard, openBody, type HttpClient, type OpenBody} from '../http/client.js';
import {sniffBytes, sniffImageType, type ImageType} from './image-types.js';

/** Temporary files share this prefix and end in `.part`, so a later run can recognise leftovers of a killed one. */
export const temporaryPrefix = '.imgscrape-';
const temporarySuffix = '.part';

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

/** Remove the temporary files a killed run left in `dir`; returns how many there were. */
export async function removeStaleTemporaries(dir: string): Promise<number> {
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		return 0;
	}

	const stale = names.filter(name => name.startsWith(temporaryPrefix) && name.endsWith(temporarySuffix));
	await Promise.all(stale.map(async name => rm(path.join(dir, name), {force: true})));
	return stale.length;
}

/** A `data:` URI as if it were a response, so the same checks apply to it. */
async function openDataUri(url: string): Promise<OpenBody> {
	const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
	return {
		source: Readable.from([bytes]) as unknown as OpenBody['source'],
		stages: [],
		received: () => bytes.length,
		error: error => (error instanceof ScrapeError ? error : new ScrapeError('fs', (error as Error).message, {url, cause: error})),
	};
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
	let body: OpenBody;
	if (url.startsWith('data:')) {
		body = await openDataUri(url);
	} else {
		const response = await http.get(url, {signal, headers: request.headers});
		if (response.contentLength !== undefined && response.contentLength > rules.maxSize) {
			discard(response.body);
			throw new ScrapeError('too-large', `${response.contentLength} bytes is over the ${rules.maxSize}-byte limit`, {url});
		}

		body = openBody(response);
	}

	const temporary = path.join(request.dir, `${temporaryPrefix}${temporaryStem}${temporaryCount++}${temporarySuffix}`);
	const check = new ImageCheck(url, rules);
	try {
		await pipeStages([body.source, ...body.stages, check, new TemporaryFile(temporary)], {signal});
	} catch (error) {
		discard(body.source);
		await rm(temporary, {force: true});
		throw body.error(error);
	}

	return {temporary, bytes: check.bytes, sha256: check.hash.digest('hex'), type: check.type!};
}

/**
The checks on a body as it flows: nothing passes until the first bytes show an
image (of an accepted type); a body is stopped the moment it passes `maxSize`;
the sha256 is computed on the way. A Transform rather than an async generator,
because a generator's per-chunk promises cost far more memory on a 50 MB body.
*/
class ImageCheck extends Transform {
	readonly hash = createHash('sha256');
	bytes = 0;
	type: ImageType | undefined;
	readonly #url: string;
	readonly #rules: BodyRules;
	/** Chunks held until there are enough bytes to sniff; undefined once sniffed. */
	#head: Buffer[] | undefined = [];
	#headBytes = 0;

	constructor(url: string, rules: BodyRules) {
		super();
		this.#url = url;
		this.#rules = rules;
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.bytes += chunk.length;
		if (this.bytes > this.#rules.maxSize) {
			callback(new ScrapeError('too-large', `over the ${this.#rules.maxSize}-byte limit`, {url: this.#url}));
			return;
		}

		this.hash.update(chunk);
		if (this.#head === undefined) {
			callback(null, chunk);
			return;
		}

		this.#head.push(chunk);
		this.#headBytes += chunk.length;
		if (this.#headBytes >= sniffBytes) {
			this.#release(callback);
		} else {
			callback();
		}
	}

	override _flush(callback: TransformCallback): void {
		const finish: TransformCallback = (error, data) => {
			if (error) {
				callback(error);
				return;
			}

			if (data !== undefined) {
				this.push(data);
			}

			callback(this.bytes < this.#rules.minSize ? new ScrapeError('too-small', `${this.bytes} bytes is under the ${this.#rules.minSize}-byte minimum`, {url: this.#url}) : null);
		};

		if (this.#head === undefined) {
			finish(null);
		} else {
			this.#release(finish);
		}
	}

	/** Sniff the held head, then let it through or fail. */
	#release(callback: TransformCallback): void {
		const head = Buffer.concat(this.#head!, this.#headBytes);
		this.#head = undefined;
		sniffImageType(head).then(type => {
			this.type = type;
			if (type === undefined) {
				callback(new ScrapeError('not-an-image', 'the body is not an image', {url: this.#url}));
			} else if (this.#rules.accept !== undefined && !this.#rules.accept.has(type.ext)) {
				callback(new ScrapeError('filtered', `${type.ext} is not an accepted type`, {url: this.#url}));
			} else {
				callback(null, head);
			}
		}, (error: unknown) => {
			callback(error as Error);
		});
	}
}

/**
The temporary file, written with synchronous calls. An image is a few chunks
of page-cache writes, each far cheaper than the round trip through libuv's
thread pool that an fs.WriteStream makes for open, every write and close;
with thousands of small images those round trips, not the bytes, were the
cost. The body still streams: nothing is held beyond the chunk in hand.
*/
class TemporaryFile extends Writable {
	readonly #path: string;
	#fd: number | undefined;

	constructor(path: string) {
		super();
		this.#path = path;
	}

	override _construct(callback: (error?: Error | null) => void): void {
		try {
			this.#fd = openSync(this.#path, 'wx');
			callback();
		} catch (error) {
			callback(error as Error);
		}
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		try {
			this.#writeFrom(chunk, 0);
			callback();
		} catch (error) {
			callback(error as Error);
		}
	}

	override _writev(chunks: Array<{chunk: Buffer}>, callback: (error?: Error | null) => void): void {
		try {
			const buffers = chunks.map(({chunk}) => chunk);
			const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
			const written = writevSync(this.#fd!, buffers);
			if (written < total) {
				// A short vectored write is rare; finish the rest one chunk at a time.
				this.#writeFrom(Buffer.concat(buffers, total), written);
			}

			callback();
		} catch (error) {
			callback(error as Error);
		}
	}

	override _final(callback: (error?: Error | null) => void): void {
		this.#close(callback);
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		this.#close(closeError => {
			callback(error ?? closeError);
		});
	}

	/** Write `buffer` from `offset` to its end: writeSync may write less than it is given. */
	#writeFrom(buffer: Buffer, offset: number): void {
		let written = offset;
		while (written < buffer.length) {
			written += writeSync(this.#fd!, buffer, written);
		}
	}

	#close(callback: (error?: Error | null) => void): void {
		const fd = this.#fd;
		this.#fd = undefined;
		try {
			if (fd !== undefined) {
				closeSync(fd);
			}

			callback();
		} catch (error) {
			callback(error as Error);
		}
	}
}
