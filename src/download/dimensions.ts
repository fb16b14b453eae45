/**
An image's pixel size, read from the first bytes of its body as they stream.
image-dimensions reads the formats it knows (JPEG, PNG, GIF, WebP, AVIF, HEIC)
from a partial buffer and says undefined until the bytes that settle it are
there; image-size's readers cover BMP, ICO, TIFF and SVG, and throw on a
head too short for them, which means the same: not known yet.
*/

import {imageDimensionsFromData} from 'image-dimensions';
import {BMP} from 'image-size/types/bmp';
import {ICO} from 'image-size/types/ico';
import {SVG} from 'image-size/types/svg';
import {TIFF} from 'image-size/types/tiff';
import type {IImage} from 'image-size/types/interface';

/** Width and height in pixels, as the image's header declares them (orientation not applied). */
export interface Dimensions {
	width: number;
	height: number;
}

/** An image whose size is not in its first this many bytes is kept, its size unknown. */
export const dimensionsWindow = 1024 * 1024;

/** The bounds the `minWidth` ... `maxHeight` options set; `0` and `Infinity` when unset. */
export interface DimensionRules {
	minWidth: number;
	minHeight: number;
	maxWidth: number;
	maxHeight: number;
}

/** Whether any bound is set, so the body's size is worth reading for more than the record. */
export function hasDimensionBounds(rules: DimensionRules): boolean {
	return rules.minWidth > 0 || rules.minHeight > 0 || rules.maxWidth < Number.POSITIVE_INFINITY || rules.maxHeight < Number.POSITIVE_INFINITY;
}

/** Whether an image of this size is within the bounds. */
export function withinBounds({width, height}: Dimensions, rules: DimensionRules): boolean {
	return width >= rules.minWidth && width <= rules.maxWidth && height >= rules.minHeight && height <= rules.maxHeight;
}

/** image-size's readers for the types image-dimensions leaves out, by our canonical extension. */
const otherReaders: Readonly<Record<string, IImage>> = {bmp: BMP, ico: ICO, tiff: TIFF, svg: SVG};

/** image-dimensions' formats, by our canonical extension. */
const readByImageDimensions: ReadonlySet<string> = new Set(['jpg', 'png', 'gif', 'webp', 'avif', 'heic']);

/** Whether this module can read the size of a type (`jxl` it cannot). */
export function readsDimensions(ext: string): boolean {
	return readByImageDimensions.has(ext) || otherReaders[ext] !== undefined;
}

/**
The size declared in `head`, the first bytes of an image of type `ext`, or
undefined when those bytes do not hold it (yet). Never throws; a size of 0 is
no size.
*/
export function readDimensions(head: Uint8Array, ext: string): Dimensions | undefined {
	if (readByImageDimensions.has(ext)) {
		const found = imageDimensionsFromData(head);
		return found === undefined ? undefined : sized(found.width, found.height);
	}

	const reader = otherReaders[ext];
	if (reader === undefined || !reader.validate(head)) {
		return undefined;
	}

	try {
		const found = reader.calculate(head);
		// An icon holds several pictures: the largest is what it can show.
		const largest = (found.images ?? [found]).reduce((best, image) => (image.width * image.height > best.width * best.height ? image : best), found);
		return sized(largest.width, largest.height);
	} catch {
		// Too short for the reader: the size is further on, or nowhere.
		return undefined;
	}
}

function sized(width: unknown, height: unknown): Dimensions | undefined {
	return typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height)
		? {width, height}
		: undefined;
}
