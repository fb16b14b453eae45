/**
Deterministic image bytes. Every image is a real, decodable 8x8 grey JPEG or 1x1
grey PNG, grown to an exact size with comment segments (JPEG) or private
ancillary chunks (PNG) that decoders skip. The padding starts with the image's
name, so two images never share bytes, and goes on with pseudo-random bytes
seeded by that name, so compression cannot shrink it.
*/

import {crc32} from 'node:zlib';
import {fillRandom, hashString} from './random.js';

/** The image formats the gallery serves. */
export type ImageFormat = 'jpg' | 'png';

/** The MIME type served for each format. */
export const imageContentTypes: Readonly<Record<ImageFormat, string>> = {
	jpg: 'image/jpeg',
	png: 'image/png',
};

/** How an image format is cut into a fixed head, padding segments and a fixed tail. */
interface Container {
	/** Bytes before the padding segments. */
	head: Buffer;
	/** Bytes after the padding segments. */
	tail: Buffer;
	/** Framing bytes each padding segment adds around its payload. */
	overhead: number;
	/** The largest payload one padding segment may carry. */
	maxPayload: number;
	/** Frames a payload as one padding segment. */
	frame(payload: Buffer): Buffer;
}

// A baseline 8x8 one-component JPEG, uniform grey: DC difference 0, then EOB.
// Every quantiser is 1, and each Huffman table holds one 1-bit code ("0"), so the
// whole entropy-coded scan is the two bits "00" padded with ones: 0x3f.
const jpegHead = Buffer.from(
	'ffd8' + // SOI
		'ffe000104a46494600010100000100010000', // APP0 JFIF 1.1, no thumbnail
	'hex',
);
const jpegTail = Buffer.from(
	'ffdb0043' +
		'00' +
		'01'.repeat(64) + // DQT table 0, all ones
		'ffc0000b080008000801011100' + // SOF0: 8-bit, 8x8, one component, table 0
		'ffc4001400' +
		'01' +
		'00'.repeat(15) +
		'00' + // DHT DC 0: one code, category 0
		'ffc4001410' +
		'01' +
		'00'.repeat(15) +
		'00' + // DHT AC 0: one code, EOB
		'ffda000801010000' +
		'3f00' + // SOS: component 1, tables 0/0, Ss 0, Se 63, Ah/Al 0
		'3f' + // the scan
		'ffd9', // EOI
	'hex',
);

const jpeg: Container = {
	head: jpegHead,
	tail: jpegTail,
	overhead: 4,
	// A segment length counts its own two bytes and must fit in 16 bits.
	maxPayload: 0xffff - 2,
	frame(payload) {
		const header = Buffer.from([0xff, 0xfe, 0, 0]);
		header.writeUInt16BE(payload.length + 2, 2);
		return Buffer.concat([header, payload]);
	},
};

/** One PNG chunk: length, type, data, CRC over type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
	const chunk = Buffer.alloc(data.length + 12);
	chunk.writeUInt32BE(data.length, 0);
	chunk.write(type, 4, 'latin1');
	data.copy(chunk, 8);
	chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
	return chunk;
}

const pngHeader = Buffer.alloc(13);
pngHeader.writeUInt32BE(1, 0); // width
pngHeader.writeUInt32BE(1, 4); // height
pngHeader[8] = 8; // bit depth; colour type 0 (grey), deflate, filter 0, no interlace follow as zeros

const png: Container = {
	head: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', pngHeader)]),
	tail: Buffer.concat([
		// zlib stream of one scanline: filter byte 0, grey 0x80.
		pngChunk('IDAT', Buffer.from('78da6368000000820081', 'hex')),
		pngChunk('IEND', Buffer.alloc(0)),
	]),
	overhead: 12,
	// PNG allows 2^31-1, but small chunks keep memory flat while streaming huge images.
	maxPayload: 0x10000,
	// 'prNd': ancillary (lower-case first letter), private, safe to copy, so decoders skip it.
	frame: payload => pngChunk('prNd', payload),
};

const containers: Readonly<Record<ImageFormat, Container>> = {jpg: jpeg, png};

/** The marker that opens each image's padding and makes its bytes unique. */
function signature(name: string): Buffer {
	return Buffer.from(`imgscrape ${name}\n`, 'utf8');
}

/**
The smallest exact size an image of this format and name can have: the real
image plus one padding segment that holds the name.
*/
export function minImageSize(format: ImageFormat, name: string): number {
	const container = containers[format];
	return container.head.length + container.tail.length + container.overhead + signature(name).length;
}

/** Payload sizes of the padding segments that grow the image to `size`. */
function payloadSizes(container: Container, extra: number): number[] {
	const count = Math.max(1, Math.ceil(extra / (container.overhead + container.maxPayload)));
	const total = extra - count * container.overhead;
	const sizes: number[] = [];
	for (let index = 0; index < count; index++) {
		sizes.push(Math.floor(total / count) + (index < total % count ? 1 : 0));
	}
	return sizes;
}

/**
The bytes of an image in order, as a few buffers of at most about 64 KiB each,
so a huge image can be streamed without building it whole.
@throws RangeError when `size` is below {@link minImageSize}.
*/
export function* imageChunks(format: ImageFormat, name: string, size: number): Generator<Buffer> {
	const minimum = minImageSize(format, name);
	if (!Number.isSafeInteger(size) || size < minimum) {
		throw new RangeError(`Expected an image size of at least ${minimum} bytes for ${name}, got \`${size}\``);
	}
	const container = containers[format];
	const seed = hashString(name);
	yield container.head;
	let offset = container.head.length;
	const sizes = payloadSizes(container, size - container.head.length - container.tail.length);
	for (const [index, payloadSize] of sizes.entries()) {
		const payload = Buffer.allocUnsafe(payloadSize);
		// Random bytes are a function of their offset in the file, so they never depend on chunking.
		fillRandom(payload, seed, offset + container.overhead);
		if (index === 0) {
			signature(name).copy(payload);
		}
		const segment = container.frame(payload);
		offset += segment.length;
		yield segment;
	}
	yield container.tail;
}

/**
The whole image as one buffer.
@throws RangeError when `size` is below {@link minImageSize}.
*/
export function renderImage(format: ImageFormat, name: string, size: number): Buffer {
	return Buffer.concat([...imageChunks(format, name, size)], size);
}
