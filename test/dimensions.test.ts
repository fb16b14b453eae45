/**
Pixel sizes read from an image's first bytes: every format the filters read,
row by row, and, over random sizes and cuts (fast-check), a head cut anywhere
gives either nothing yet or the true size, never a wrong one.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {hasDimensionBounds, readDimensions, withinBounds} from '../src/download/dimensions.js';
import {sniffImageType} from '../src/download/image-types.js';
import {renderSizedImage, type SizedFormat, sizedFormats} from '../src/fixture-server/sized-images.js';

/** ICO entries hold a side of at most 256. */
const maxSide = (format: SizedFormat) => (format === 'ico' ? 256 : 5000);

test('the size of every format is read from its bytes', async t => {
	for (const format of sizedFormats) {
		await t.test(format, async () => {
			const bytes = renderSizedImage({format, width: 251, height: 123, seed: format, size: 5000});
			// The fixture is what the sniffer takes for that type, so the downloader reads it so too.
			const type = await sniffImageType(bytes);
			assert.equal(type?.ext, format);
			assert.deepEqual(readDimensions(bytes, format), {width: 251, height: 123});
		});
	}
});

test('a JPEG frame header after a large EXIF segment is found', () => {
	const bytes = renderSizedImage({format: 'jpg', width: 4000, height: 3000, seed: 'exif', exif: 300_000});
	assert.equal(readDimensions(bytes.subarray(0, 200_000), 'jpg'), undefined);
	assert.deepEqual(readDimensions(bytes, 'jpg'), {width: 4000, height: 3000});
});

test('a head cut anywhere gives nothing yet or the true size', () => {
	fc.assert(
		fc.property(
			fc.constantFrom(...sizedFormats),
			fc.integer({min: 1, max: 5000}),
			fc.integer({min: 1, max: 5000}),
			fc.integer({min: 0, max: 3000}),
			fc.double({min: 0, max: 1, noNaN: true}),
			(format, width, height, size, cut) => {
				const side = maxSide(format);
				const w = Math.min(width, side);
				const h = Math.min(height, side);
				const bytes = renderSizedImage({format, width: w, height: h, seed: 'p', size});
				const head = bytes.subarray(0, Math.floor(cut * bytes.length));
				const found = readDimensions(head, format);
				assert.ok(found === undefined || (found.width === w && found.height === h), `${format} ${w}x${h} cut at ${head.length}: ${JSON.stringify(found)}`);
				assert.deepEqual(readDimensions(bytes, format), {width: w, height: h});
			},
		),
		{numRuns: 400},
	);
});

test('bytes that are not the type say nothing', () => {
	for (const format of sizedFormats) {
		assert.equal(readDimensions(Buffer.from('<!doctype html><title>404</title>'), format), undefined, format);
	}

	assert.equal(readDimensions(Buffer.alloc(0), 'png'), undefined);
	assert.equal(readDimensions(Buffer.from('anything'), 'jxl'), undefined);
});

test('bounds: unset bounds take everything; each bound is inclusive', () => {
	const none = {minWidth: 0, minHeight: 0, maxWidth: Number.POSITIVE_INFINITY, maxHeight: Number.POSITIVE_INFINITY};
	assert.equal(hasDimensionBounds(none), false);
	assert.equal(withinBounds({width: 1, height: 1}, none), true);
	const rules = {minWidth: 100, minHeight: 50, maxWidth: 200, maxHeight: 150};
	assert.equal(hasDimensionBounds(rules), true);
	assert.equal(withinBounds({width: 100, height: 50}, rules), true);
	assert.equal(withinBounds({width: 200, height: 150}, rules), true);
	assert.equal(withinBounds({width: 99, height: 100}, rules), false);
	assert.equal(withinBounds({width: 150, height: 49}, rules), false);
	assert.equal(withinBounds({width: 201, height: 100}, rules), false);
	assert.equal(withinBounds({width: 150, height: 151}, rules), false);
});
