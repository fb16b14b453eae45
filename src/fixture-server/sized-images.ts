/**
Images of a known pixel size in every format the scraper reads sizes of, for
the pixel-size filters. JPEG and PNG are real, decodable grey pictures of that
size; the others carry the size in a well-formed header (what a reader of the
first bytes sees) with a token body. Each can be padded to an exact byte
count after its header, so a test can tell a body read whole from one
stopped early, and a JPEG can carry an EXIF-like segment before its frame
header, as cameras write.
*/

import {deflateSync} from 'node:zlib';
import {pngChunk} from './images.js';
import {fillRandom, hashString} from './random.js';

export const sizedFormats = ['jpg', 'png', 'gif', 'webp', 'avif', 'bmp', 'ico', 'tiff', 'svg'] as const;
export type SizedFormat = (typeof sizedFormats)[number];

export interface SizedImage {
	format: SizedFormat;
	width: number;
	height: number;
	/** Makes the bytes unique. */
	seed: string;
	/** Pad to at least this many bytes in all (padding goes after the header). @default no padding */
	size?: number | undefined;
	/** JPEG only: APP1 segments of this many bytes in all before the frame header, as EXIF and ICC blocks stand. @default 0 */
	exif?: number | undefined;
}

/** Pseudo-random bytes unique to the seed, so compression cannot shrink the padding. */
function filler(seed: string, length: number): Buffer {
	const bytes = Buffer.allocUnsafe(length);
	fillRandom(bytes, hashString(seed), 0);
	return bytes;
}

/** `value` as an unsigned integer of `size` bytes, big- or little-endian, as the formats' headers want. */
function uint(value: number, size: number, order: 'be' | 'le'): Buffer {
	const bytes = Buffer.alloc(size);
	if (order === 'be') {
		bytes.writeUIntBE(value, 0, size);
	} else {
		bytes.writeUIntLE(value, 0, size);
	}

	return bytes;
}

const u16be = (value: number) => uint(value, 2, 'be');
const u32be = (value: number) => uint(value, 4, 'be');
const le16 = (value: number) => uint(value, 2, 'le');
const le24 = (value: number) => uint(value, 3, 'le');
const le32 = (value: number) => uint(value, 4, 'le');

/** Segments of at most 64 KiB, each framed by `frame`, that add `extra` bytes in all (framing included). */
function padding(extra: number, overhead: number, maxPayload: number, seed: string, frame: (payload: Buffer) => Buffer): Buffer[] {
	const segments: Buffer[] = [];
	let left = extra;
	while (left > overhead) {
		const payload = Math.min(maxPayload, left - overhead);
		segments.push(frame(filler(`${seed}:${segments.length}`, payload)));
		left -= payload + overhead;
	}

	return segments;
}

function jpegSegment(marker: number, payload: Buffer): Buffer {
	return Buffer.concat([u16be(marker), u16be(payload.length + 2), payload]);
}

/**
A baseline grey JPEG of any size: every 8x8 block is DC difference 0 then EOB,
each a one-bit Huffman code, so the scan is two zero bits per block.
*/
function jpeg({width, height, seed, size = 0, exif = 0}: SizedImage): Buffer {
	const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
	const scan = Buffer.alloc(Math.ceil((blocks * 2) / 8));
	const usedBits = (blocks * 2) % 8;
	if (usedBits !== 0) {
		// The last byte is padded with one bits, as the standard wants.
		scan[scan.length - 1] = 0xff >> usedBits;
	}

	const sof = Buffer.concat([Buffer.from([8]), u16be(height), u16be(width), Buffer.from([1, 1, 0x11, 0])]);
	const huffman = (table: number) => Buffer.concat([Buffer.from([table, 1]), Buffer.alloc(15), Buffer.from([0])]);
	const head = [
		Buffer.from('ffd8', 'hex'),
		jpegSegment(0xffe0, Buffer.from('4a46494600010100000100010000', 'hex')),
		// An APP1 segment holds at most 64 KiB: a larger metadata block takes several (as ICC profiles spread over APP2).
		...padding(exif, 4, 0xffff - 2, `${seed}:exif`, payload => jpegSegment(0xffe1, payload)),
		jpegSegment(0xffdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
		jpegSegment(0xffc0, sof),
		jpegSegment(0xffc4, huffman(0x00)),
		jpegSegment(0xffc4, huffman(0x10)),
	];
	const tail = [jpegSegment(0xffda, Buffer.from('010100003f00', 'hex')), scan, Buffer.from('ffd9', 'hex')];
	const fixed = [...head, ...tail].reduce((sum, part) => sum + part.length, 0);
	// Comment segments between the frame header and the scan: decoders skip them.
	const pad = padding(size - fixed, 4, 0xffff - 2, seed, payload => jpegSegment(0xfffe, payload));
	return Buffer.concat([...head, ...pad, ...tail]);
}

/** A grey 8-bit PNG of any size: rows of filter byte 0 and mid-grey, deflated. */
function png({width, height, seed, size = 0}: SizedImage): Buffer {
	const header = Buffer.concat([u32be(width), u32be(height), Buffer.from([8, 0, 0, 0, 0])]);
	const row = Buffer.alloc(width + 1, 0x80);
	row[0] = 0;
	const pixels = deflateSync(Buffer.concat(Array.from({length: height}, () => row)), {level: 9});
	const head = [Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', header)];
	const tail = [pngChunk('IDAT', pixels), pngChunk('IEND', Buffer.alloc(0))];
	const fixed = [...head, ...tail].reduce((sum, part) => sum + part.length, 0);
	// 'prNd': ancillary, private, safe to copy: decoders skip it.
	const pad = padding(size - fixed, 12, 0x10000, seed, payload => pngChunk('prNd', payload));
	return Buffer.concat([...head, ...pad, ...tail]);
}

function box(type: string, ...parts: Buffer[]): Buffer {
	const data = Buffer.concat(parts);
	return Buffer.concat([u32be(data.length + 8), Buffer.from(type, 'latin1'), data]);
}

/** The header that carries the size, per format; padding follows it. */
function header({format, width, height, seed}: SizedImage): Buffer {
	switch (format) {
		case 'gif': {
			// Logical screen and one image descriptor of that size, then a one-pixel LZW stream.
			return Buffer.concat([
				Buffer.from('GIF89a', 'latin1'),
				le16(width),
				le16(height),
				Buffer.from('800000000000ffffff', 'hex'),
				Buffer.from([0x2c]),
				le16(0),
				le16(0),
				le16(width),
				le16(height),
				Buffer.from('0002024401003b', 'hex'),
			]);
		}

		case 'webp': {
			// VP8X (extended) holds the canvas size minus one, 24 bits each.
			const vp8x = Buffer.concat([Buffer.from('VP8X', 'latin1'), le32(10), Buffer.alloc(4), le24(width - 1), le24(height - 1)]);
			return Buffer.concat([Buffer.from('RIFF', 'latin1'), le32(0), Buffer.from('WEBP', 'latin1'), vp8x]);
		}

		case 'avif': {
			// The primary item (pitm) is associated (ipma) with an image spatial extent property (ispe).
			const full = (type: string, ...parts: Buffer[]) => box(type, Buffer.alloc(4), ...parts);
			const ispe = full('ispe', u32be(width), u32be(height));
			const ipma = full('ipma', u32be(1), u16be(1), Buffer.from([1, 0x81]));
			const meta = full('meta', full('pitm', u16be(1)), box('iprp', box('ipco', ispe), ipma));
			return Buffer.concat([box('ftyp', Buffer.from('avif', 'latin1'), u32be(0), Buffer.from('avifmif1miaf', 'latin1')), meta]);
		}

		case 'bmp': {
			const file = Buffer.alloc(58);
			file.write('BM', 0, 'latin1');
			file.writeUInt32LE(58, 2);
			file.writeUInt32LE(54, 10);
			file.writeUInt32LE(40, 14);
			file.writeInt32LE(width, 18);
			file.writeInt32LE(height, 22);
			file.writeUInt16LE(1, 26);
			file.writeUInt16LE(24, 28);
			return file;
		}

		case 'ico': {
			// Two entries: one of half the size, then the one of the wanted size (0 stands for 256): the largest is the icon's size.
			const entry = (side: number, other: number) => Buffer.concat([Buffer.from([side % 256, other % 256, 0, 0]), le16(1), le16(32), le32(0), le32(0)]);
			return Buffer.concat([le16(0), le16(1), le16(2), entry(Math.ceil(width / 2), Math.ceil(height / 2)), entry(width, height)]);
		}

		case 'tiff': {
			const entries: Array<[number, number]> = [
				[256, width],
				[257, height],
				[258, 8],
				[259, 1],
				[262, 1],
			];
			const ifd = Buffer.concat([le16(entries.length), ...entries.map(([tag, value]) => Buffer.concat([le16(tag), le16(4), le32(1), le32(value)])), le32(0)]);
			return Buffer.concat([Buffer.from('II', 'latin1'), le16(42), le32(8), ifd]);
		}

		case 'svg': {
			return Buffer.from(
				`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><!-- ${seed} --><rect width="100%" height="100%" fill="#808080"/>`,
			);
		}

		default: {
			throw new RangeError(`no header for ${format}`);
		}
	}
}

/** What ends a body after its padding, per format. */
function trailer(format: SizedFormat): Buffer {
	return format === 'svg' ? Buffer.from('</svg>\n') : Buffer.alloc(0);
}

/** The bytes of an image of `width` x `height` pixels. */
export function renderSizedImage(image: SizedImage): Buffer {
	const {format, width, height} = image;
	if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1 || width > 0xffff || height > 0xffff) {
		throw new RangeError(`Expected a pixel size from 1x1 to 65535x65535, got ${width}x${height}`);
	}

	if (format === 'jpg') {
		return jpeg(image);
	}

	if (format === 'png') {
		return png(image);
	}

	const head = header(image);
	const tail = trailer(format);
	const extra = Math.max(0, (image.size ?? 0) - head.length - tail.length);
	// Text for SVG (inside a comment), bytes past the header for the others: readers of the header never look there.
	const pad = format === 'svg' ? Buffer.from(`<!--${'x'.repeat(Math.max(0, extra - 7))}-->`) : filler(image.seed, extra);
	const body = Buffer.concat([head, extra > 0 ? pad : Buffer.alloc(0), tail]);
	if (format === 'webp') {
		body.writeUInt32LE(body.length - 8, 4);
	}

	return body;
}

/**
The pixel size a fixture name implies: `?px=WxH` when given, else a
WordPress-style `-WxH` suffix, else 1600x1200; an `@Nx` suffix multiplies it.
*/
export function impliedPixelSize(name: string, px: string | null): {width: number; height: number} {
	const given = px === null ? null : /^(\d+)x(\d+)$/.exec(px);
	const suffix = /-(\d+)x(\d+)(?=(?:@\d+x)?\.\w+$)/.exec(name);
	const base = given ?? suffix;
	const scale = Number(/@(\d+)x\.\w+$/.exec(name)?.[1] ?? 1);
	const width = base === null ? 1600 : Number(base[1]);
	const height = base === null ? 1200 : Number(base[2]);
	return {width: width * scale, height: height * scale};
}
