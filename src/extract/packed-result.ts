/**
A page's extraction result in a form that is cheap to post from a parse worker
to the main thread: every string joined into two strings (URLs, and the rest),
and the shape (which fields each image has, and each string's length) in one
Float64Array whose buffer is transferred. Structured clone of the plain result
builds thousands of objects on the receiving side, one field at a time; this is
three values, and the main thread cuts the strings back out in one tight loop.

URLs and the other strings are kept apart so that a page's alt texts in, say,
Chinese do not make every URL a two-byte string, and a URL kept for the run
(the sets that deduplicate images) keeps alive only the page's URLs.
*/
import type {ExtractResult, FoundImage, ImageSource} from '../types.js';

/** The sources an image may have, by index in the table. */
const sources: readonly ImageSource[] = ['img', 'srcset', 'picture', 'lazy', 'noscript', 'link', 'meta', 'css', 'data', 'direct', 'response'];
const sourceIndex = new Map(sources.map((source, index) => [source, index]));

// Which optional fields an image has: bits above the source's index.
const hasAlt = 1 << 4;
const hasTitle = 1 << 5;
const hasWidth = 1 << 6;
const hasDescriptor = 1 << 7;
const hasOriginal = 1 << 8;
const isExcluded = 1 << 9;
const sourceMask = 0xf;

/** Numbers per image in the table: flags and source, url, alt, title, descriptor and original lengths, width. */
const perImage = 7;

export interface PackedResult {
	/** URLs: every image's `url` (and `original`), then `links`, then `next`. */
	urls: string;
	/** Alt texts, titles and descriptors, in image order. */
	texts: string;
	/** Counts of images, links and next links, then {@link perImage} numbers per image, then one length per link and per next link. */
	table: Float64Array<ArrayBuffer>;
	/** The result's remaining fields, few and small, as they are. */
	rest: Omit<ExtractResult, 'images' | 'links' | 'next'>;
}

/** Pack a result for posting; `table.buffer` is meant for the transfer list. */
export function packResult(result: ExtractResult): PackedResult {
	// The small fields go as they are, in the result's own order: a field added to ExtractResult comes along.
	const {images, links, next, ...rest} = result;
	const table = new Float64Array(3 + images.length * perImage + links.length + next.length);
	table[0] = images.length;
	table[1] = links.length;
	table[2] = next.length;
	const urls: string[] = [];
	const texts: string[] = [];
	let at = 3;
	for (const image of images) {
		let flags = sourceIndex.get(image.source) ?? 0;
		urls.push(image.url);
		table[at + 1] = image.url.length;
		if (image.alt !== undefined) {
			flags |= hasAlt;
			texts.push(image.alt);
			table[at + 2] = image.alt.length;
		}
		if (image.title !== undefined) {
			flags |= hasTitle;
			texts.push(image.title);
			table[at + 3] = image.title.length;
		}
		if (image.descriptor !== undefined) {
			flags |= hasDescriptor;
			texts.push(image.descriptor);
			table[at + 4] = image.descriptor.length;
		}
		if (image.original !== undefined) {
			flags |= hasOriginal;
			urls.push(image.original);
			table[at + 5] = image.original.length;
		}
		if (image.width !== undefined) {
			flags |= hasWidth;
			table[at + 6] = image.width;
		}
		if (image.excluded === true) {
			flags |= isExcluded;
		}
		table[at] = flags;
		at += perImage;
	}
	for (const link of [...links, ...next]) {
		urls.push(link);
		table[at++] = link.length;
	}

	return {urls: urls.join(''), texts: texts.join(''), table, rest};
}

/** The result {@link packResult} was given, deep-equal and with its fields in the same order. */
export function unpackResult({urls, texts, table, rest}: PackedResult): ExtractResult {
	const imageCount = table[0]!;
	const linkCount = table[1]!;
	const nextCount = table[2]!;
	let urlAt = 0;
	let textAt = 0;
	const url = (length: number) => {
		const start = urlAt;
		urlAt += length;
		return urls.slice(start, urlAt);
	};
	const text = (length: number) => {
		const start = textAt;
		textAt += length;
		return texts.slice(start, textAt);
	};
	const images: FoundImage[] = [];
	let at = 3;
	for (let index = 0; index < imageCount; index++) {
		const flags = table[at]!;
		// The fields in the order the extractor sets them, so JSON output is the same as inline.
		const image: FoundImage = {url: url(table[at + 1]!), source: sources[flags & sourceMask]!};
		if (flags & hasAlt) {
			image.alt = text(table[at + 2]!);
		}
		if (flags & hasTitle) {
			image.title = text(table[at + 3]!);
		}
		if (flags & hasWidth) {
			image.width = table[at + 6]!;
		}
		if (flags & hasDescriptor) {
			image.descriptor = text(table[at + 4]!);
		}
		if (flags & hasOriginal) {
			image.original = url(table[at + 5]!);
		}
		if (flags & isExcluded) {
			image.excluded = true;
		}
		images.push(image);
		at += perImage;
	}
	const links: string[] = [];
	for (let index = 0; index < linkCount; index++) {
		links.push(url(table[at++]!));
	}
	const next: string[] = [];
	for (let index = 0; index < nextCount; index++) {
		next.push(url(table[at++]!));
	}

	// The result's own field order: images, links, next, encoding, then the optional ones.
	return {images, links, next, ...rest};
}
