import assert from 'node:assert/strict';
import {test} from 'node:test';
import {normaliseImageType, sniffImageType} from '../src/download/image-types.js';
import {sampleImage, sampleTypes} from '../src/fixture-server/samples.js';
import {extract} from '../src/index.js';

test('every kept image type is recognised from its first bytes', async () => {
	for (const type of sampleTypes) {
		const found = await sniffImageType(sampleImage(type, 'sample', 2000));
		assert.equal(found?.ext, type, type);
	}
});

test('what is not an image is recognised as such', async () => {
	const rows: Array<[string, Buffer]> = [
		['html', Buffer.from('<!doctype html><html><body>503</body></html>')],
		['empty', Buffer.alloc(0)],
		['json', Buffer.from('{"error": "not found"}')],
		['plain xml', Buffer.from('<?xml version="1.0"?><feed></feed>')],
		['zip', Buffer.from('504b0304140000000800', 'hex')],
		['pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n')],
		['svg mentioned in html', Buffer.from('<html><body><svg></svg></body></html>')],
	];
	for (const [name, bytes] of rows) {
		assert.equal(await sniffImageType(bytes), undefined, name);
	}
});

test('SVG is judged by its markup: BOM, XML declaration, comments and doctype may come first', async () => {
	const rows = [
		'<svg xmlns="http://www.w3.org/2000/svg"/>',
		'\uFEFF  <svg>',
		'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg width="1">',
	];
	for (const text of rows) {
		assert.equal((await sniffImageType(Buffer.from(text)))?.ext, 'svg', text);
	}
});

test('extensions normalise to one name per type', () => {
	const rows: Array<[string, string | undefined]> = [
		['jpg', 'jpg'],
		['JPEG', 'jpg'],
		['.jfif', 'jpg'],
		['tif', 'tiff'],
		['apng', 'png'],
		['svg', 'svg'],
		['php', undefined],
		['', undefined],
	];
	for (const [extension, type] of rows) {
		assert.equal(normaliseImageType(extension), type, extension);
	}
});

test('the inline signatures of the common formats agree with file-type, byte for byte', async () => {
	const {fileTypeFromBuffer} = await import('file-type/core');
	const heads: Array<[string, Buffer]> = [
		...sampleTypes.map(type => [type, sampleImage(type, 'agree', 2000)] as [string, Buffer]),
		['jpeg magic, truncated', Buffer.from('ffd8', 'hex')],
		['gif, bad version', Buffer.from('GIF88a')],
		['riff, not webp', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')])],
		['png magic, one byte off', Buffer.from('89504e470d0a1a0b0000', 'hex')],
	];
	for (const [name, head] of heads) {
		const expected = await fileTypeFromBuffer(head);
		const expectedExt = expected === undefined ? undefined : normaliseImageType(expected.ext);
		assert.equal((await sniffImageType(head))?.ext, name === 'svg' ? 'svg' : expectedExt, name);
	}
});

test('--links counts a link as an image by the same list of types as --accept, aliases included', () => {
	const html =
		'<a href="a.heic">1</a><a href="b.jxl">2</a><a href="c.JFIF">3</a><a href="d.tif?x=1">4</a><a href="e.txt">5</a><a href="f.jpg/">6</a><a href="/g.">7</a>';
	const {images} = extract(
		Buffer.from(html),
		'http://h.example/p/',
		{},
		{selector: 'img', srcset: 'largest', dataUris: false, links: true, meta: false, css: false, maxPerPage: 100_000},
	);
	assert.deepEqual(
		images.map(image => image.url),
		['http://h.example/p/a.heic', 'http://h.example/p/b.jxl', 'http://h.example/p/c.JFIF', 'http://h.example/p/d.tif?x=1'],
	);
});
