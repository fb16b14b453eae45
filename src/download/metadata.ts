/**
What is known about one saved image besides its bytes: where it was found,
what the page said of it, and what the server said of the body. The same
record goes into a sidecar `NAME.EXT.json` beside the image (gallery-dl's
convention) and into a `metadataFile`'s lines.
*/

import type {Dimensions} from './dimensions.js';
import {firstHeader} from '../http/headers.js';
import type {ResponseHead} from '../http/exchange.js';
import type {ImageType} from './image-types.js';

/** What the options ask to be written about each saved image. */
export interface MetadataRules {
	/** A sidecar `NAME.EXT.json` beside each image. */
	sidecars: boolean;
	/** Absolute path of a JSON-lines file with one line per saved image, or undefined for none. */
	file: string | undefined;
}

/** Whether the rules ask for any metadata at all (and so for the page's titles). */
export function wantsMetadata(rules: MetadataRules): boolean {
	return rules.sidecars || rules.file !== undefined;
}

/** What the page told about an image: known when it is found, before any request. */
export interface ImageDetails {
	/** The page it was found on. */
	page: string;
	/** The page's `<title>`, when it has one. */
	pageTitle?: string | undefined;
	/** The element's alt text. */
	alt?: string | undefined;
	/** The element's title attribute. */
	title?: string | undefined;
	/** The URL as found, when a rewrite rule changed it into `url`. */
	original?: string | undefined;
}

/** The details of an image as the extractor found it on `page`. */
export function imageDetails(
	page: string,
	pageTitle: string | undefined,
	image: {alt?: string | undefined; title?: string | undefined; original?: string | undefined},
): ImageDetails {
	return {page, pageTitle, alt: image.alt, title: image.title, original: image.original};
}

/** What the body told: the checks' results and the response's head. */
export interface BodyFacts {
	bytes: number;
	sha256: string;
	type: ImageType;
	/** Absent for `data:` URIs. */
	head?: ResponseHead | undefined;
	/** Pixel dimensions, when the body's first bytes held them. */
	dimensions?: Dimensions | undefined;
}

/** One image's metadata, as written: fields that are unknown are left out. */
export interface ImageMetadata {
	url: string;
	original?: string;
	page: string;
	pageTitle?: string;
	alt?: string;
	title?: string;
	width?: number;
	height?: number;
	bytes: number;
	sha256: string;
	/** The type the bytes are, judged by content (`image/jpeg`). */
	contentType: string;
	/** The response's Last-Modified and ETag, as sent. */
	lastModified?: string;
	etag?: string;
	/** When the image was saved, ISO 8601. */
	saved: string;
}

/** The record for an image, in a fixed field order so that files compare line by line. */
export function buildMetadata(url: string, details: ImageDetails | undefined, body: BodyFacts, saved: Date): ImageMetadata {
	const headers = body.head?.headers ?? {};
	const record: Record<string, unknown> = {
		url,
		original: details?.original,
		page: details?.page,
		pageTitle: details?.pageTitle,
		alt: details?.alt,
		title: details?.title,
		width: body.dimensions?.width,
		height: body.dimensions?.height,
		bytes: body.bytes,
		sha256: body.sha256,
		contentType: body.type.mime,
		lastModified: firstHeader(headers, 'last-modified'),
		etag: firstHeader(headers, 'etag'),
		saved: saved.toISOString(),
	};
	for (const [key, value] of Object.entries(record)) {
		if (value === undefined) {
			delete record[key];
		}
	}

	return record as unknown as ImageMetadata;
}

/** The time Last-Modified names, when it is a valid HTTP date (RFC 9110 §8.8.2) not in the future. */
export function lastModified(head: ResponseHead | undefined, now = Date.now()): Date | undefined {
	const value = head === undefined ? undefined : firstHeader(head.headers, 'last-modified');
	const time = value === undefined ? Number.NaN : Date.parse(value);
	// A date ahead of the clock is the server's mistake; wget keeps such times, but a file from the future confuses make and rsync.
	return Number.isNaN(time) || time > now ? undefined : new Date(time);
}

/** A sidecar's bytes: the record, indented, as a person opens it. */
export function sidecarBytes(metadata: ImageMetadata): Buffer {
	return Buffer.from(`${JSON.stringify(metadata, null, '\t')}\n`);
}

/** A sidecar's location beside its image's. */
export function sidecarOf(location: string): string {
	return `${location}.json`;
}
