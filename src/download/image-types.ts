/**
What counts as an image, judged by its first bytes rather than by what the
server or the URL claims. Binary formats are recognised by file-type; SVG,
being text, by its markup.
*/

import {imageTypes, normaliseImageType} from '../image-extensions.js';

export {imageTypeNames, normaliseImageType} from '../image-extensions.js';

/** Bytes of the head that are enough to recognise every supported format. */
export const sniffBytes = 4100;

/** An image type found in a body's first bytes. */
export interface ImageType {
	/** Canonical extension, without the dot: `jpg`, `png`, `svg` ... */
	ext: string;
	mime: string;
}

// An SVG may open with an XML declaration, comments and a doctype before its root element.
const svgStart = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*<svg[\s>/]/i;

/** Whether a head is an SVG document. */
function isSvg(head: Uint8Array): boolean {
	let start = 0;
	if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
		start = 3;
	}

	while (start < head.length && (head[start] === 0x20 || head[start] === 0x09 || head[start] === 0x0a || head[start] === 0x0d)) {
		start++;
	}

	// Binary formats never start with `<`, and decoding their bytes as text is costly on thousands of images.
	if (head[start] !== 0x3c) {
		return false;
	}

	// The markup that matters is ASCII, so latin1 reads it exactly and never fails on stray bytes.
	return svgStart.test(Buffer.from(head.buffer, head.byteOffset + start, head.byteLength - start).toString('latin1'));
}

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
	return bytes.every((byte, index) => head[offset + index] === byte);
}

/**
The formats nearly every gallery serves, whose signatures are unambiguous:
checked inline, since file-type's tokenizer costs far more per call, and
loading it costs a tenth of a second at start-up.
*/
function commonType(head: Uint8Array): string | undefined {
	if (startsWith(head, [0xff, 0xd8, 0xff])) {
		return 'jpg';
	}

	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
		return 'png';
	}

	if (startsWith(head, [0x47, 0x49, 0x46, 0x38]) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61) {
		return 'gif';
	}

	// RIFF....WEBP
	if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) {
		return 'webp';
	}

	return undefined;
}

let fileType: Promise<typeof import('file-type/core')> | undefined;

/**
The type of a body that starts with one of the common signatures, known from
its first dozen bytes, so the body need not be held back for a full sniff;
undefined when those bytes do not settle it.
*/
export function commonImageType(head: Uint8Array): ImageType | undefined {
	const ext = commonType(head);
	return ext === undefined ? undefined : {ext, mime: imageTypes[ext]!.mime};
}

/**
The image type of a body from its first bytes (up to {@link sniffBytes}), or
undefined when it is not an image we keep: an HTML error page sent as
`image/jpeg` is caught here. Synchronous for SVG and the common types; only
the rare ones wait for file-type.
*/
export function sniffImageType(head: Uint8Array): ImageType | undefined | Promise<ImageType | undefined> {
	if (isSvg(head)) {
		return {ext: 'svg', mime: imageTypes.svg!.mime};
	}

	return commonImageType(head) ?? sniffRareType(head);
}

async function sniffRareType(head: Uint8Array): Promise<ImageType | undefined> {
	fileType ??= import('file-type/core');
	const found = await (await fileType).fileTypeFromBuffer(head);
	const ext = found === undefined ? undefined : normaliseImageType(found.ext);
	return ext === undefined ? undefined : {ext, mime: imageTypes[ext]!.mime};
}
