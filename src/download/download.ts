import {createHash, randomBytes} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import {readdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {PassThrough, Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {ScrapeError} from '../errors.js';
import {discard, openBody, type HttpClient, type OpenBody} from '../http/client.js';
import {sniffBytes, sniffImageType, type ImageType} from './image-types.js';

/** Temporary files share this prefix and end in `.part`, so a later run can recognise leftovers of a killed one. */
export const temporaryPrefix = '.imgscrape-';
const temporarySuffix = '.part';

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
		async * count(source) {
			yield * source;
		},
		decoder: new PassThrough(),
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

	const temporary = path.join(request.dir, `${temporaryPrefix}${randomBytes(6).toString('hex')}${temporarySuffix}`);
	const hash = createHash('sha256');
	let bytes = 0;
	let type: ImageType | undefined;
	async function * check(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
		let head: Buffer[] | undefined = [];
		let headBytes = 0;
		const sniff = async () => {
			const whole = Buffer.concat(head!, headBytes);
			head = undefined;
			type = await sniffImageType(whole);
			if (type === undefined) {
				throw new ScrapeError('not-an-image', 'the body is not an image', {url});
			}

			if (rules.accept !== undefined && !rules.accept.has(type.ext)) {
				throw new ScrapeError('filtered', `${type.ext} is not an accepted type`, {url});
			}

			return whole;
		};

		for await (const chunk of source) {
			bytes += chunk.length;
			if (bytes > rules.maxSize) {
				throw new ScrapeError('too-large', `over the ${rules.maxSize}-byte limit`, {url});
			}

			hash.update(chunk);
			if (head === undefined) {
				yield chunk;
				continue;
			}

			head.push(chunk);
			headBytes += chunk.length;
			if (headBytes >= sniffBytes) {
				yield await sniff();
			}
		}

		if (head !== undefined) {
			yield await sniff();
		}

		if (bytes < rules.minSize) {
			throw new ScrapeError('too-small', `${bytes} bytes is under the ${rules.minSize}-byte minimum`, {url});
		}
	}

	try {
		await pipeline(body.source, body.count, body.decoder, check, createWriteStream(temporary, {flags: 'wx'}), {signal});
	} catch (error) {
		discard(body.source);
		await rm(temporary, {force: true});
		throw body.error(error);
	}

	return {temporary, bytes, sha256: hash.digest('hex'), type: type!};
}
