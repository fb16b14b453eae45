/**
The streaming JPEG size reader against image-dimensions' reader of the whole
head: over generated segment sequences (APPn of any length, fill bytes, TEM,
stray bytes, lengths under 2, a frame header or a scan first, cut anywhere)
split into random chunks, both give the same answer, and the streaming one
never answers before the bytes so far would.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {readDimensions} from '../src/download/dimensions.js';
import {JpegSize} from '../src/download/jpeg-size.js';
import {renderSizedImage} from '../src/fixture-server/sized-images.js';

function segment(code: number, payload: Uint8Array): Uint8Array {
	const length = payload.length + 2;
	return Uint8Array.from([0xff, code, length >> 8, length & 0xff, ...payload]);
}

const part = fc.oneof(
	{arbitrary: fc.constant(Uint8Array.from([0xff, 0xc0, 0, 11, 8, 1, 44, 2, 88, 1, 1, 0x11, 0])), weight: 2},
	// APPn, COM, DQT, DHT ...: skipped by length.
	fc
		.tuple(fc.constantFrom(0xe0, 0xe1, 0xe2, 0xed, 0xfe, 0xdb, 0xc4, 0xc8, 0xcc, 0xdd), fc.uint8Array({maxLength: 300}))
		.map(([code, payload]) => segment(code, payload)),
	// A frame header: precision, height, width, then components.
	fc
		.tuple(fc.constantFrom(0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc7, 0xc9, 0xcb, 0xcd, 0xcf), fc.integer({min: 0, max: 0xffff}), fc.integer({min: 0, max: 0xffff}))
		.map(([code, height, width]) => segment(code, Uint8Array.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]))),
	// Fill bytes, TEM, a scan, stray bytes, a segment whose length is under 2.
	fc.constantFrom(
		Uint8Array.from([0xff, 0xff]),
		Uint8Array.from([0xff, 0x01]),
		Uint8Array.from([0xff, 0xda, 0, 2]),
		Uint8Array.from([0xff, 0xe1, 0, 0]),
		Uint8Array.from([0xff, 0xe1, 0, 1]),
	),
	fc.uint8Array({minLength: 1, maxLength: 8}),
);

const jpegish = fc
	.tuple(
		fc.constantFrom([0xff, 0xd8], [0xff, 0xd8, 0xff], [0xff, 0xd9]),
		fc.array(part, {maxLength: 12}),
		fc.oneof(fc.constant(1), fc.double({min: 0, max: 1, noNaN: true})),
	)
	.map(([start, parts, cut]) => {
		const whole = Buffer.concat([Uint8Array.from(start), ...parts]);
		return whole.subarray(0, Math.ceil(cut * whole.length));
	});

/** Random cut points: the chunks a socket might deliver. */
const cuts = fc.array(fc.double({min: 0, max: 1, noNaN: true}), {maxLength: 6});

function chunked(bytes: Buffer, at: number[]): Buffer[] {
	const points = [...new Set(at.map(cut => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
	const chunks: Buffer[] = [];
	let from = 0;
	for (const point of [...points, bytes.length]) {
		chunks.push(bytes.subarray(from, point));
		from = point;
	}

	return chunks;
}

test('the streaming reader answers as image-dimensions does over the whole head, however the bytes are split', () => {
	let sized = 0;
	fc.assert(
		fc.property(jpegish, cuts, (bytes, at) => {
			const reader = new JpegSize();
			let seen = 0;
			for (const chunk of chunked(bytes, at)) {
				const found = reader.push(chunk);
				seen += chunk.length;
				if (found !== undefined) {
					// Never earlier than the bytes so far say it.
					assert.deepEqual(readDimensions(bytes.subarray(0, seen), 'jpg'), found);
				}
			}

			const expected = readDimensions(bytes, 'jpg');
			assert.deepEqual(reader.dimensions, expected);
			if (expected !== undefined) {
				sized++;
				assert.ok(reader.settled);
			}
		}),
		{numRuns: 2000},
	);
	// The generator must reach the interesting case often, or the property says little.
	assert.ok(sized > 300, `only ${sized} of 2000 generated heads held a size`);
});

test('a frame header after 300 kB of EXIF is found in 1-byte to 64 kB chunks', () => {
	const bytes = renderSizedImage({format: 'jpg', width: 4000, height: 3000, seed: 'exif', exif: 300_000});
	for (const size of [1, 7, 4096, 65_536]) {
		const reader = new JpegSize();
		let answeredAt = -1;
		for (let at = 0; at < bytes.length && answeredAt === -1; at += size) {
			if (reader.push(bytes.subarray(at, at + size)) !== undefined) {
				answeredAt = at;
			}
		}

		assert.deepEqual(reader.dimensions, {width: 4000, height: 3000}, `chunks of ${size}`);
		assert.ok(answeredAt + size > 300_000, `chunks of ${size}: answered at ${answeredAt}, inside the EXIF`);
	}
});

test('a scan before any frame header settles with no size; so does a body that is not a JPEG', () => {
	const scanFirst = new JpegSize();
	scanFirst.push(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 0xff, 0xc0, 0, 11, 8, 0, 10, 0, 10]));
	assert.equal(scanFirst.settled, true);
	assert.equal(scanFirst.dimensions, undefined);

	const html = new JpegSize();
	html.push(Buffer.from('<!doctype html>'));
	assert.equal(html.settled, true);
	assert.equal(html.dimensions, undefined);
});
