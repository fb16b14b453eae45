import {createHash} from 'node:crypto';
import {ScrapeError, toScrapeError} from '../errors.js';
import type {BodySink, HttpClient, ResponseHead} from '../http/client.js';
import type {ImageStore, StoreEntry} from '../ports.js';
import type {SkipReason} from '../types.js';
import {type DimensionRules, type Dimensions, dimensionsWindow, hasDimensionBounds, readDimensions, readsDimensions, withinBounds} from './dimensions.js';
import {commonImageType, sniffBytes, sniffImageType, type ImageType} from './image-types.js';
import {JpegSize} from './jpeg-size.js';

/** What a body must be to be kept. */
export interface BodyRules extends DimensionRules {
	maxSize: number;
	minSize: number;
	/** Canonical image types kept, or undefined for all. */
	accept: ReadonlySet<string> | undefined;
}

export interface FetchImage {
	url: string;
	/** Where an accepted body goes. */
	store: ImageStore;
	/** The URL the store knows the image by (its claim), when the body comes from another: a rewrite's fallback. @default url */
	storeAs?: string | undefined;
	rules: BodyRules;
	signal: AbortSignal;
	/** Extra request headers (the page as Referer). */
	headers?: Record<string, string> | undefined;
	/** The whole body, when it is here already: checked like a response's, without a request. */
	body?: Buffer | undefined;
}

/** A complete, checked body in its store entry, waiting to be settled and committed (or aborted). */
export interface FetchedImage {
	kind: 'fetched';
	entry: StoreEntry;
	bytes: number;
	sha256: string;
	type: ImageType;
	/** The response's head; absent for `data:` URIs. */
	head?: ResponseHead | undefined;
	/** Undefined when the size was not in the body's first bytes (or the type's size cannot be read). */
	dimensions: Dimensions | undefined;
}

/** A body a rule left out: nothing of it is in any store. */
export interface SkippedImage {
	kind: 'skipped';
	reason: Extract<SkipReason, 'too-large' | 'too-small' | 'filtered' | 'dimensions'>;
}

/** When less than this is left of a body that is not wanted, it is read to the end to keep the connection; more, and the connection is closed. */
const smallRest = 64 * 1024;

/**
Fetch one image into a store entry, checking it on the way: the type is
sniffed from the first bytes before the store sees any, the pixel size is read
from them, a body is stopped as soon as a rule says no (past `maxSize`, a type
`accept` leaves out, a size out of the bounds), and the sha256 is computed as it
flows. The checks know nothing of where the bytes go, so no store ever
receives a non-image. A rule's no is a result (`skipped`); a failure is thrown
as a `ScrapeError` (`not-an-image`, `truncated` ...), the entry aborted.
*/
export async function fetchImage(http: HttpClient, request: FetchImage): Promise<FetchedImage | SkippedImage> {
	const {url, rules, signal} = request;
	const body = new ImageBody(url, rules, () => request.store.create(request.storeAs ?? url));
	let head: ResponseHead | undefined;
	try {
		if (request.body !== undefined) {
			await writeBytes(url, request.body, body);
		} else if (url.startsWith('data:')) {
			await writeBytes(url, Buffer.from(await (await fetch(url)).arrayBuffer()), body);
		} else {
			head = await http.fetch(url, body, {signal, headers: request.headers});
		}
	} catch (error) {
		body.discard();
		throw toScrapeError(error, url);
	}

	if (body.skipped !== undefined) {
		return {kind: 'skipped', reason: body.skipped};
	}

	return {kind: 'fetched', entry: body.entry!, bytes: body.bytes, sha256: body.hash.digest('hex'), type: body.type!, dimensions: body.dimensions, head};
}

/** A body already in hand (a `data:` URI's, a page's that was an image) goes through the same checks as a response body. */
async function writeBytes(url: string, bytes: Buffer, file: ImageBody): Promise<void> {
	if (file.open({url, status: 200, headers: {}, contentLength: bytes.length}) === false) {
		return;
	}

	await file.write(bytes);
	await file.end();
}

/**
An image body on its way to its store entry. The entry is created only once
the first bytes show an image (of an accepted type); a body is stopped the
moment a rule says no; the sha256 is computed on the way. The body still
streams: nothing is held beyond the chunk in hand, the first few kB while a
rare type is sniffed, and the first bytes (at most {@link dimensionsWindow})
until they hold the pixel size.
*/
class ImageBody implements BodySink {
	readonly hash = createHash('sha256');
	bytes = 0;
	type: ImageType | undefined;
	entry: StoreEntry | undefined;
	dimensions: Dimensions | undefined;
	/** Set when a rule said no: the body is then dropped, or read to its end when little is left. */
	skipped: SkippedImage['reason'] | undefined;
	readonly #url: string;
	readonly #rules: BodyRules;
	readonly #bounded: boolean;
	readonly #create: () => StoreEntry;
	#contentLength: number | undefined;
	/** Chunks held until there are enough bytes to sniff; undefined once sniffed. */
	#head: Buffer[] | undefined = [];
	#headBytes = 0;
	/** The body's first bytes while its pixel size is not known; undefined once it is, or once it cannot be, and for a JPEG. */
	#sizeHead: Buffer[] | undefined = [];
	#sizeHeadBytes = 0;
	/** A JPEG's size, read as the bytes pass (the frame header can come late); undefined once settled, and for other types. */
	#jpegSize: JpegSize | undefined;
	/**
	Read the size again once this many bytes are held: the first chunk, then at
	each doubling, so the bytes the reader goes over stay linear in the head
	(each read copies the head: on a JPEG whose frame header comes late, the
	reads are what this sink costs most).
	*/
	#nextRead = 0;
	/** Bytes held at the last read. */
	#readAt = 0;
	/** A skipped body's rest is read (and dropped) rather than the connection closed. */
	#draining = false;

	constructor(url: string, rules: BodyRules, create: () => StoreEntry) {
		this.#url = url;
		this.#rules = rules;
		this.#bounded = hasDimensionBounds(rules);
		this.#create = create;
	}

	open(head: ResponseHead): void | false {
		this.#contentLength = head.contentLength;
		if (head.contentLength !== undefined && head.contentLength > this.#rules.maxSize) {
			this.skipped = 'too-large';
			return false;
		}
	}

	write(chunk: Buffer): void | false | Promise<void> {
		if (this.skipped !== undefined) {
			return this.#draining ? undefined : false;
		}

		this.bytes += chunk.length;
		if (this.bytes > this.#rules.maxSize) {
			return this.#skip('too-large');
		}

		this.hash.update(chunk);
		if (this.#head === undefined) {
			return this.#keep(chunk);
		}

		if (this.#headBytes === 0) {
			// Nearly every image says what it is in its first dozen bytes: no need to hold it back.
			const common = commonImageType(chunk);
			if (common !== undefined) {
				this.#head = undefined;
				return this.#accept(common) ? this.#keep(chunk) : this.#skip('filtered');
			}
		}

		this.#head.push(chunk);
		this.#headBytes += chunk.length;
		if (this.#headBytes >= sniffBytes) {
			return this.#release();
		}
	}

	end(): void | Promise<void> {
		if (this.skipped !== undefined) {
			return;
		}

		const released = this.#head === undefined ? undefined : this.#release();
		if (released === false) {
			return;
		}

		if (released === undefined) {
			this.#close();
			return;
		}

		return released.then(() => {
			this.#close();
		});
	}

	/** Leave nothing of the body in the store, after a failure or a skip. */
	discard(): void {
		this.entry?.abort();
		this.entry = undefined;
	}

	/** Sniff the held head, then write it or skip it; throws when it is not an image. */
	#release(): void | false | Promise<void> {
		const head = Buffer.concat(this.#head!, this.#headBytes);
		this.#head = undefined;
		const type = sniffImageType(head);
		if (type instanceof Promise) {
			return type.then(found => {
				// A skip here shows in the next write (false) or in end.
				if (this.#accept(found)) {
					this.#keep(head);
				} else {
					this.#skip('filtered');
				}
			});
		}

		return this.#accept(type) ? this.#keep(head) : this.#skip('filtered');
	}

	/** Whether a body of this type is kept; then its store entry is made. */
	#accept(type: ImageType | undefined): boolean {
		if (type === undefined) {
			throw new ScrapeError('not-an-image', 'the body is not an image', {url: this.#url});
		}

		if (this.#rules.accept !== undefined && !this.#rules.accept.has(type.ext)) {
			return false;
		}

		this.type = type;
		if (!readsDimensions(type.ext)) {
			this.#sizeHead = undefined;
		} else if (type.ext === 'jpg') {
			this.#sizeHead = undefined;
			this.#jpegSize = new JpegSize();
		}

		this.entry = this.#create();
		return true;
	}

	/** Write bytes of an accepted body to its entry, reading its pixel size on the way. */
	#keep(chunk: Buffer): void | false {
		if (this.skipped !== undefined) {
			return;
		}

		this.entry!.write(chunk);
		if (this.#jpegSize !== undefined) {
			return this.#readJpegSize(chunk);
		}

		if (this.#sizeHead === undefined) {
			return;
		}

		const room = dimensionsWindow - this.#sizeHeadBytes;
		this.#sizeHead.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
		this.#sizeHeadBytes += Math.min(room, chunk.length);
		if (this.#sizeHeadBytes >= this.#nextRead || this.#sizeHeadBytes >= dimensionsWindow) {
			return this.#readSize();
		}
	}

	/** Pass a JPEG's bytes to its reader, within the first {@link dimensionsWindow}; a size out of the bounds stops the body. */
	#readJpegSize(chunk: Buffer): void | false {
		const reader = this.#jpegSize!;
		// At least a byte is left of the window: the reader is dropped once it is full.
		const room = dimensionsWindow - (this.bytes - chunk.length);
		reader.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
		if (!reader.settled && room > chunk.length) {
			return;
		}

		this.#jpegSize = undefined;
		return this.#found(reader.dimensions);
	}

	/** Try the held first bytes for the pixel size; a size out of the bounds stops the body. */
	#readSize(): void | false {
		const head = this.#sizeHead!;
		const joined = head.length === 1 ? head[0]! : Buffer.concat(head, this.#sizeHeadBytes);
		this.#readAt = this.#sizeHeadBytes;
		const found = readDimensions(joined, this.type!.ext);
		if (found === undefined) {
			if (this.#sizeHeadBytes >= dimensionsWindow) {
				// Not in the first megabyte: kept, its size unknown.
				this.#sizeHead = undefined;
			} else {
				this.#sizeHead = [joined];
				this.#nextRead = this.#sizeHeadBytes * 2;
			}

			return;
		}

		this.#sizeHead = undefined;
		return this.#found(found);
	}

	/** The size is known (or known to be unknown): stop the body if it is out of the bounds. */
	#found(found: Dimensions | undefined): void | false {
		this.dimensions = found;
		if (found !== undefined && this.#bounded && !withinBounds(found, this.#rules)) {
			return this.#skip('dimensions');
		}
	}

	/** A rule said no: drop what the store has; stop the body unless little of it is left. */
	#skip(reason: SkippedImage['reason']): void | false {
		this.skipped = reason;
		this.discard();
		this.#sizeHead = undefined;
		const rest = this.#contentLength === undefined ? Number.POSITIVE_INFINITY : this.#contentLength - this.bytes;
		this.#draining = rest <= smallRest;
		return this.#draining ? undefined : false;
	}

	#close(): void {
		if (this.skipped !== undefined) {
			return;
		}

		if (this.#sizeHead !== undefined && this.#sizeHeadBytes > this.#readAt) {
			// The last bytes came after the last read.
			this.#nextRead = 0;
			this.#readSize();
			if (this.skipped !== undefined) {
				return;
			}
		}

		if (this.bytes < this.#rules.minSize) {
			this.#skip('too-small');
		}
	}
}
