/**
Tiny but well-formed files of every image type the scraper keeps, so tests can
check that each is recognised by content, whatever its URL says.
*/

import {type ImageFormat, renderImage} from './images.js';

function bmp(): Buffer {
	// A 1x1 24-bit BMP: 14-byte file header, 40-byte info header, one padded pixel row.
	const file = Buffer.alloc(58);
	file.write('BM', 0, 'latin1');
	file.writeUInt32LE(58, 2);
	file.writeUInt32LE(54, 10);
	file.writeUInt32LE(40, 14);
	file.writeInt32LE(1, 18);
	file.writeInt32LE(1, 22);
	file.writeUInt16LE(1, 26);
	file.writeUInt16LE(24, 28);
	file.writeUInt32LE(4, 34);
	file.writeUInt32LE(2835, 38);
	file.writeUInt32LE(2835, 42);
	file.fill(0x80, 54, 57);
	return file;
}

function ico(png: Buffer): Buffer {
	// An icon directory with one 1x1 entry whose image is a PNG (allowed since Windows Vista).
	const header = Buffer.alloc(22);
	header.writeUInt16LE(0, 0);
	header.writeUInt16LE(1, 2);
	header.writeUInt16LE(1, 4);
	header[6] = 1;
	header[7] = 1;
	header.writeUInt16LE(1, 10);
	header.writeUInt16LE(32, 12);
	header.writeUInt32LE(png.length, 14);
	header.writeUInt32LE(22, 18);
	return Buffer.concat([header, png]);
}

function tiff(): Buffer {
	// Little-endian TIFF with one IFD: 1x1, 8-bit grey, one strip of one byte.
	const entries: Array<[tag: number, type: number, value: number]> = [
		[256, 3, 1], // ImageWidth
		[257, 3, 1], // ImageLength
		[258, 3, 8], // BitsPerSample
		[259, 3, 1], // Compression: none
		[262, 3, 1], // PhotometricInterpretation: black is zero
		[273, 4, 8 + 2 + 12 * 6 + 4], // StripOffsets: just after the IFD
		[279, 4, 1], // StripByteCounts
	];
	const ifdSize = 2 + 12 * entries.length + 4;
	const file = Buffer.alloc(8 + ifdSize + 1);
	file.write('II', 0, 'latin1');
	file.writeUInt16LE(42, 2);
	file.writeUInt32LE(8, 4);
	file.writeUInt16LE(entries.length, 8);
	for (const [index, [tag, type, value]] of entries.entries()) {
		const offset = 10 + index * 12;
		file.writeUInt16LE(tag, offset);
		file.writeUInt16LE(type, offset + 2);
		file.writeUInt32LE(1, offset + 4);
		if (type === 3) {
			file.writeUInt16LE(value, offset + 8);
		} else {
			file.writeUInt32LE(tag === 273 ? 8 + ifdSize : value, offset + 8);
		}
	}
	file[8 + ifdSize] = 0x80;
	return file;
}

function avif(): Buffer {
	// The ftyp box is what identifies AVIF; a decoder would want more boxes, a sniffer does not.
	const brands = ['avif', 'mif1', 'miaf'];
	const box = Buffer.alloc(16 + brands.length * 4);
	box.writeUInt32BE(box.length, 0);
	box.write('ftyp', 4, 'latin1');
	box.write('avif', 8, 'latin1');
	for (const [index, brand] of brands.entries()) {
		box.write(brand, 16 + index * 4, 'latin1');
	}
	const meta = Buffer.alloc(16);
	meta.writeUInt32BE(16, 0);
	meta.write('free', 4, 'latin1');
	return Buffer.concat([box, meta]);
}

/** The sample types, by the extension a correct URL would carry. */
export const sampleTypes = ['jpg', 'png', 'gif', 'webp', 'avif', 'bmp', 'ico', 'tiff', 'svg'] as const;
export type SampleType = (typeof sampleTypes)[number];

/** The MIME type an honest server would send with each sample. */
export const sampleContentTypes: Readonly<Record<SampleType, string>> = {
	jpg: 'image/jpeg',
	png: 'image/png',
	gif: 'image/gif',
	webp: 'image/webp',
	avif: 'image/avif',
	bmp: 'image/bmp',
	ico: 'image/x-icon',
	tiff: 'image/tiff',
	svg: 'image/svg+xml',
};

/**
The bytes of a sample of `type`. JPEG and PNG are the gallery's images of
exactly `size` bytes, unique to `seed`; the others are fixed tiny files.
*/
export function sampleImage(type: SampleType, seed: string, size: number): Buffer {
	switch (type) {
		case 'jpg':
		case 'png': {
			return renderImage(type as ImageFormat, seed, size);
		}

		case 'gif': {
			return Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
		}

		case 'webp': {
			return Buffer.from('524946461a000000574542505650384c0d0000002f0000001007101111888888fe0700', 'hex');
		}

		case 'avif': {
			return avif();
		}

		case 'bmp': {
			return bmp();
		}

		case 'ico': {
			return ico(renderImage('png', seed, 200));
		}

		case 'tiff': {
			return tiff();
		}

		case 'svg': {
			return Buffer.from(
				`<?xml version="1.0" encoding="UTF-8"?>\n<!-- ${seed} -->\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1" fill="#808080"/></svg>\n`,
			);
		}
	}
}
