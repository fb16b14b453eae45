import {createHash} from 'node:crypto';
import {ScrapeError, toScrapeError} from '../errors.js';
import type {BodySink, HttpClient, ResponseHead} from '../http/client.js';
import type {ImageStore, StoreEntry} from '../ports.js';
import {commonImageType, sniffBytes, sniffImageType, type ImageType} from './image-types.js';

/** What a body must be to be kept. */
export interface BodyRules {
	maxSize: number;
	minSize: number;
	/** Canonical image types kept, or undefined for all. */
	accept: ReadonlySet<string> | undefined;
}

export interface FetchImage {
	url: string;
	/** Where an accepted body goes. */
	store: ImageStore;
	rules: BodyRules;
	signal: AbortSignal;
	/** Extra request headers (the page as Referer). */
	headers?: Record<string, string> | undefined;
}

/** A complete, checked body in its store entry, waiting to be settled and committed (or aborted). */
export interface FetchedImage {
	entry: StoreEntry;
	bytes: number;
	sha256: string;
	type: ImageType;
	/** The response's head; absent for `data:` URIs. */
	head?: ResponseHead | undefined;
}

/**
Fetch one image into a store entry, checking it on the way: the type is
sniffed from the first bytes before the store sees any, a body is stopped as
soon as it passes `maxSize`, and the sha256 is computed as it flows. The checks
know nothing of where the bytes go, so no store ever receives a non-image. On
any failure or abort the entry is aborted and the error says why
(`not-an-image`, `too-large`, `too-small`, `filtered`, `truncated` ...).
*/
export async function fetchImage(http: HttpClient, request: FetchImage): Promise<FetchedImage> {
	const {url, rules, signal} = request;
	const body = new ImageBody(url, rules, () => request.store.create(url));
	let head: ResponseHead | undefined;
	try {
		if (url.startsWith('data:')) {
			await writeDataUri(url, body);
		} else {
			head = await http.fetch(url, body, {signal, headers: request.headers});
		}
	} catch (error) {
		body.discard();
		throw toScrapeError(error, url);
	}

	return {entry: body.entry!, bytes: body.bytes, sha256: body.hash.digest('hex'), type: body.type!, head};
}

/** A `data:` URI goes through the same checks as a response body. */
async function writeDataUri(url: string, file: ImageBody): Promise<void> {
	const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
	file.open({url, status: 200, headers: {}, contentLength: bytes.length});
	await file.write(bytes);
	await file.end();
}

/**
An image body on its way to its store entry. The entry is created only once
the first bytes show an image (of an accepted type); a body is stopped the
moment it passes `maxSize`; the sha256 is computed on the way. The body still
streams: nothing is held beyond the chunk in hand, and the first few kB while
a rare type is sniffed.
*/
class ImageBody implements BodySink {
	readonly hash = createHash('sha256');
	bytes = 0;
	type: ImageType | undefined;
	entry: StoreEntry | undefined;
	readonly #url: string;
	readonly #rules: BodyRules;
	readonly #create: () => StoreEntry;
	/** Chunks held until there are enough bytes to sniff; undefined once sniffed. */
	#head: Buffer[] | undefined = [];
	#headBytes = 0;

	constructor(url: string, rules: BodyRules, create: () => StoreEntry) {
		this.#url = url;
		this.#rules = rules;
		this.#create = create;
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
			this.entry!.write(chunk);
			return;
		}

		if (this.#headBytes === 0) {
			// Nearly every image says what it is in its first dozen bytes: no need to hold it back.
			const common = commonImageType(chunk);
			if (common !== undefined) {
				this.#head = undefined;
				this.#accept(common);
				this.entry!.write(chunk);
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

	/** Leave nothing of the body in the store, after a failure. */
	discard(): void {
		this.entry?.abort();
		this.entry = undefined;
	}

	/** Sniff the held head, then write it or fail. */
	#release(): void | Promise<void> {
		const head = Buffer.concat(this.#head!, this.#headBytes);
		this.#head = undefined;
		const type = sniffImageType(head);
		if (type instanceof Promise) {
			return type.then(found => {
				this.#accept(found);
				this.entry!.write(head);
			});
		}

		this.#accept(type);
		this.entry!.write(head);
	}

	#accept(type: ImageType | undefined): void {
		if (type === undefined) {
			throw new ScrapeError('not-an-image', 'the body is not an image', {url: this.#url});
		}

		if (this.#rules.accept !== undefined && !this.#rules.accept.has(type.ext)) {
			throw new ScrapeError('filtered', `${type.ext} is not an accepted type`, {url: this.#url});
		}

		this.type = type;
		this.entry = this.#create();
	}

	#close(): void {
		if (this.bytes < this.#rules.minSize) {
			throw new ScrapeError('too-small', `${this.bytes} bytes is under the ${this.#rules.minSize}-byte minimum`, {url: this.#url});
		}
	}
}
