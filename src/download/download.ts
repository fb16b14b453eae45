import {randomBytes} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import {rename, rm} from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {toScrapeError} from '../errors.js';
import type {HttpClient} from '../http/client.js';

export interface DownloadRequest {
	url: string;
	/** Output folder (absolute). */
	dir: string;
	/** File name inside `dir`, already made safe and unique. */
	name: string;
	signal?: AbortSignal | undefined;
	headers?: Record<string, string> | undefined;
}

export interface Downloaded {
	/** Absolute path of the saved file. */
	file: string;
	bytes: number;
}

/** Temporary files share this prefix, so a later run can recognise leftovers of a killed one. */
export const temporaryPrefix = '.imgscrape-';

/**
Stream one image to disk. The body goes to a temporary file in the output
folder and is renamed into place only once complete, so a final name never
holds a partial file; on any failure or abort the temporary file is removed.
*/
export async function downloadImage(http: HttpClient, request: DownloadRequest): Promise<Downloaded> {
	const response = await http.get(request.url, {signal: request.signal, headers: request.headers});
	const temporary = path.join(request.dir, `${temporaryPrefix}${randomBytes(6).toString('hex')}.part`);
	const file = path.join(request.dir, request.name);
	let bytes = 0;
	try {
		response.body.on('data', (chunk: Buffer) => {
			bytes += chunk.length;
		});
		await pipeline(response.body, createWriteStream(temporary, {flags: 'wx'}), {signal: request.signal});
		await rename(temporary, file);
	} catch (error) {
		response.body.destroy();
		await rm(temporary, {force: true});
		throw toScrapeError(error, request.url);
	}

	return {file, bytes};
}
