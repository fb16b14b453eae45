/**
What a response body needs between the socket and its reader: decoding of
`Content-Encoding`, and the truth about a body that ended early.
*/

import type {Transform} from 'node:stream';
import {createBrotliDecompress, createGunzip, createInflate} from 'node:zlib';
import {ScrapeError, toScrapeError} from '../errors.js';
import type {Headers} from '../types.js';
import {joinedHeader} from './headers.js';

/** What the client asks for; each is decoded by {@link decoderFor}. */
export const acceptEncoding = 'gzip, deflate, br';

/**
The stream that decodes a body sent with these headers, or undefined when it
is sent as is. Throws for an encoding we did not ask for, since its bytes would
be saved as garbage.
*/
export function decoderFor(headers: Headers, url: string): Transform | undefined {
	const encoding = joinedHeader(headers, 'content-encoding');
	if (encoding === undefined) {
		return undefined;
	}

	const encodings = encoding
		.toLowerCase()
		.split(',')
		.map(value => value.trim())
		.filter(value => value !== '' && value !== 'identity');
	if (encodings.length === 0) {
		return undefined;
	}

	if (encodings.length > 1) {
		throw new ScrapeError('network', `unsupported layered content-encoding: ${encodings.join(', ')}`, {url});
	}

	switch (encodings[0]) {
		case 'gzip':
		case 'x-gzip': {
			return createGunzip();
		}

		case 'deflate': {
			return createInflate();
		}

		case 'br': {
			return createBrotliDecompress();
		}

		default: {
			throw new ScrapeError('network', `unsupported content-encoding: ${encodings[0]}`, {url});
		}
	}
}

/** The declared length of the body as sent (before decoding), when the server gave one. */
export function contentLength(headers: Headers): number | undefined {
	const value = joinedHeader(headers, 'content-length');
	if (value === undefined || !/^\s*\d+\s*$/.test(value)) {
		return undefined;
	}

	return Number(value);
}

/**
Name a body failure. A connection closed before `Content-Length` bytes came is
`truncated`, whatever the socket said about it: undici reports a server that
simply stops as "other side closed", and a retry may well get the whole body.
*/
export function bodyError(error: unknown, url: string, received: number, expected: number | undefined): ScrapeError {
	const scrapeError = toScrapeError(error, url);
	const closed = (error as {code?: string} | undefined)?.code === 'UND_ERR_SOCKET';
	if (closed && expected !== undefined && received < expected) {
		return new ScrapeError('truncated', `body ended after ${received} of ${expected} bytes`, {url, cause: error});
	}

	return scrapeError;
}
