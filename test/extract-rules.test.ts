/** The extractor's small rules, row by row: URL resolution, encodings, lazy placeholders, inline CSS, dimensions. */
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {test} from 'node:test';
import {Worker} from 'node:worker_threads';
import {backgroundUrls} from '../src/extract/css.js';
import {charsetFromContentType, decodeHtml, sniffEncoding} from '../src/extract/decode.js';
import {parseDimension} from '../src/extract/images.js';
import {isPlaceholder} from '../src/extract/lazy.js';
import {documentBase, hasImageExtension, resolveUrl, trimAsciiWhitespace} from '../src/extract/urls.js';

const base = new URL('https://example.com/dir/page.html');

test('resolveUrl keeps http(s) and, on request, data: images; skips the rest', () => {
	const rows: Array<[raw: string, dataUris: boolean, expected: string | undefined]> = [
		['a.jpg', false, 'https://example.com/dir/a.jpg'],
		['  \t\n a.jpg \f\r', false, 'https://example.com/dir/a.jpg'],
		['/a.jpg', false, 'https://example.com/a.jpg'],
		['//cdn.example.org/a.jpg', false, 'https://cdn.example.org/a.jpg'],
		['http://EXAMPLE.com:80/a.jpg', false, 'http://example.com/a.jpg'],
		['a.jpg#frag', false, 'https://example.com/dir/a.jpg'],
		['a b.jpg', false, 'https://example.com/dir/a%20b.jpg'],
		['\u00a0a.jpg', false, 'https://example.com/dir/%C2%A0a.jpg'],
		['', false, undefined],
		['   ', false, undefined],
		['#', false, undefined],
		['#top', false, undefined],
		['about:blank', false, undefined],
		['javascript:void(0)', false, undefined],
		['  JAVASCRIPT:alert(1)', false, undefined],
		['mailto:a@example.com', false, undefined],
		['ftp://example.com/a.jpg', false, undefined],
		['http://[::1', false, undefined],
		['https://', false, undefined],
		['data:image/png;base64,AAAA', false, undefined],
		['data:image/png;base64,AAAA', true, 'data:image/png;base64,AAAA'],
		['DATA:IMAGE/PNG;base64,AAAA', true, 'data:IMAGE/PNG;base64,AAAA'],
		['data:text/html,<b>', true, undefined],
		['data:,x', true, undefined],
	];
	for (const [raw, dataUris, expected] of rows) {
		assert.equal(resolveUrl(raw, base, dataUris)?.url, expected, JSON.stringify(raw));
	}
});

test('resolveUrl without a base resolves only absolute URLs', () => {
	assert.equal(resolveUrl('a.jpg', undefined), undefined);
	assert.equal(resolveUrl('https://example.com/a.jpg', undefined)?.url, 'https://example.com/a.jpg');
});

test('documentBase: first <base href> resolved against the page, page URL as the fallback', () => {
	const page = 'https://example.com/a/b/page.html';
	assert.equal(documentBase(page, undefined)?.href, page);
	assert.equal(documentBase(page, '../c/')?.href, 'https://example.com/a/c/');
	assert.equal(documentBase(page, ' https://cdn.example.net/x/ ')?.href, 'https://cdn.example.net/x/');
	assert.equal(documentBase(page, '')?.href, page);
	assert.equal(documentBase(page, 'http://[bad')?.href, page);
	assert.equal(documentBase(page, 'data:text/html,x')?.href, page);
	assert.equal(documentBase(page, 'javascript:void(0)')?.href, page);
	assert.equal(documentBase('not a url', undefined), undefined);
	assert.equal(documentBase('not a url', 'https://cdn.example.net/')?.href, 'https://cdn.example.net/');
});

test('trimAsciiWhitespace trims exactly TAB LF FF CR SPACE', () => {
	assert.equal(trimAsciiWhitespace('\t\n\f\r a \t\n\f\r'), 'a');
	assert.equal(trimAsciiWhitespace('\u00a0a\u00a0'), '\u00a0a\u00a0');
	assert.equal(trimAsciiWhitespace('\u000ba'), '\u000ba');
	assert.equal(trimAsciiWhitespace('   '), '');
});

test('hasImageExtension looks at the path only', () => {
	assert.equal(hasImageExtension('https://example.com/a.JPG'), true);
	assert.equal(hasImageExtension('https://example.com/a.jpeg?x=1'), true);
	assert.equal(hasImageExtension('https://example.com/a.tif'), true);
	assert.equal(hasImageExtension('https://example.com/a.html?img=b.jpg'), false);
	assert.equal(hasImageExtension('https://example.com/jpg'), false);
	assert.equal(hasImageExtension('https://example.com/a.jpg.html'), false);
});

test('charsetFromContentType', () => {
	assert.equal(charsetFromContentType(undefined), undefined);
	assert.equal(charsetFromContentType('text/html'), undefined);
	assert.equal(charsetFromContentType('text/html; charset=gbk'), 'gbk');
	assert.equal(charsetFromContentType('text/html;CHARSET="Shift_JIS"'), 'Shift_JIS');
	assert.equal(charsetFromContentType('text/html; foo=bar; charset = utf-8 '), 'utf-8');
	assert.equal(charsetFromContentType('text/html; charset='), undefined);
});

test('sniffEncoding: BOM, then HTTP, then meta, then UTF-8 if valid, else windows-1252', () => {
	const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
	const withMeta = ascii('<meta charset="euc-kr"><p>hi');
	assert.equal(sniffEncoding(withMeta, {}), 'EUC-KR');
	assert.equal(sniffEncoding(withMeta, {'content-type': 'text/html; charset=big5'}), 'Big5');
	// An unknown HTTP label is ignored, so the meta decides.
	assert.equal(sniffEncoding(withMeta, {'content-type': 'text/html; charset=no-such-thing'}), 'EUC-KR');
	// Repeated headers: the last one is in force.
	assert.equal(sniffEncoding(withMeta, {'content-type': ['text/html; charset=big5', 'text/html; charset=koi8-r']}), 'KOI8-R');
	assert.equal(sniffEncoding(new Uint8Array([0xef, 0xbb, 0xbf, ...withMeta]), {'content-type': 'text/html; charset=big5'}), 'UTF-8');
	assert.equal(sniffEncoding(new Uint8Array([0xff, 0xfe, 0x3c, 0x00]), {}), 'UTF-16LE');
	// A meta cannot switch to UTF-16 (the bytes it was read from are ASCII-compatible).
	assert.equal(sniffEncoding(ascii('<meta charset="utf-16">'), {}), 'UTF-8');
	assert.equal(sniffEncoding(ascii('<meta http-equiv="content-type" content="text/html; charset=windows-1251">'), {}), 'windows-1251');
	assert.equal(sniffEncoding(ascii('<p>plain ascii'), {}), 'UTF-8');
	assert.equal(sniffEncoding(new Uint8Array([0x3c, 0x70, 0x3e, 0xe9, 0x74, 0xe9]), {}), 'windows-1252');
	// Labels map to WHATWG names: latin1 and ascii are windows-1252, gb2312 is GBK.
	assert.equal(sniffEncoding(ascii('<p>'), {'content-type': 'text/html; charset=ISO-8859-1'}), 'windows-1252');
	assert.equal(sniffEncoding(ascii('<p>'), {'content-type': 'text/html; charset=gb2312'}), 'GBK');
});

test('decodeHtml strips the BOM and decodes x-user-defined', () => {
	assert.deepStrictEqual(decodeHtml(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), {}), {html: 'A', encoding: 'UTF-8'});
	assert.deepStrictEqual(decodeHtml(new Uint8Array([0x41, 0x80, 0xff]), {'content-type': 'text/html; charset=x-user-defined'}), {
		html: 'A\uf780\uf7ff',
		encoding: 'x-user-defined',
	});
});

test('x-user-defined decodes each byte as the encoding standard says', () => {
	const bytes = Uint8Array.from({length: 256}, (_, index) => index);
	const {html} = decodeHtml(bytes, {'content-type': 'text/html; charset=x-user-defined'});
	assert.equal(html.length, 256);
	for (let byte = 0; byte < 256; byte++) {
		assert.equal(html.charCodeAt(byte), byte < 0x80 ? byte : 0xf780 + byte - 0x80);
	}
});

test('an x-user-defined page decodes into one string, not a string per byte', async () => {
	// 8 MB of high bytes in a worker allowed 96 MB of heap: one string of 16 MB fits, 8 million strings of one character do not.
	const decodeModule = new URL('../src/extract/decode.js', import.meta.url).href;
	const size = 8 * 1024 * 1024;
	const worker = new Worker(
		`
		const {parentPort, workerData} = require('node:worker_threads');
		import(workerData.decodeModule).then(({decodeHtml}) => {
			const bytes = new Uint8Array(workerData.size).map((_, index) => 0x80 + (index % 128));
			const {html, encoding} = decodeHtml(bytes, {'content-type': 'text/html; charset=x-user-defined'});
			parentPort.postMessage({length: html.length, encoding, last: html.charCodeAt(html.length - 1)});
		});
	`,
		{eval: true, workerData: {decodeModule, size}, resourceLimits: {maxOldGenerationSizeMb: 96}},
	);
	try {
		const [message] = (await once(worker, 'message')) as [unknown];
		assert.deepEqual(message, {length: size, encoding: 'x-user-defined', last: 0xf780 + ((size - 1) % 128)});
	} finally {
		await worker.terminate();
	}
});

test('isPlaceholder: data: URIs and placeholder file names', () => {
	const placeholders = [
		'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
		'  data:image/svg+xml,%3Csvg/%3E',
		'/img/blank.gif',
		'spacer.gif',
		'placeholder.png',
		'lazy-placeholder.svg',
		'/wp-content/themes/x/loading.gif?v=3',
		'1x1.png',
		'pixel.gif',
		'transparent.png',
		'img-placeholder@2x.png',
		'grey.gif',
	];
	for (const src of placeholders) {
		assert.equal(isPlaceholder(src), true, src);
	}
	const real = ['photo.jpg', 'pixelart.png', 'blanket.jpg', 'lazy-cat.jpg', '/blank/photo.jpg', 'placeholder.html', 'spacer'];
	for (const src of real) {
		assert.equal(isPlaceholder(src), false, src);
	}
});

test('backgroundUrls: background and background-image only, quotes, escapes, ; inside URLs', () => {
	assert.deepStrictEqual(backgroundUrls('background-image: url(a.png)'), ['a.png']);
	assert.deepStrictEqual(backgroundUrls('BACKGROUND: #fff URL( "b.png" ) no-repeat'), ['b.png']);
	assert.deepStrictEqual(backgroundUrls("background-image: url('c;d.png'), url(e.png); color: red"), ['c;d.png', 'e.png']);
	assert.deepStrictEqual(backgroundUrls('background-image: url(data:image/png;base64,AAA=)'), ['data:image/png;base64,AAA=']);
	assert.deepStrictEqual(backgroundUrls('background-image: image-set(url(f.png) 1x, url("g.png") 2x)'), ['f.png', 'g.png']);
	assert.deepStrictEqual(backgroundUrls('background: url(h\\)i.png)'), ['h)i.png']);
	assert.deepStrictEqual(backgroundUrls('background: url("\\6a .png")'), ['j.png']);
	assert.deepStrictEqual(backgroundUrls('border-image: url(k.png); list-style: url(l.png); content: url(m.png)'), []);
	assert.deepStrictEqual(backgroundUrls('color: red; background-color: url(n.png)'), []);
	assert.deepStrictEqual(backgroundUrls('background: none; background-image: url()'), ['']);
	assert.deepStrictEqual(backgroundUrls('background'), []);
});

test('backgroundUrls reads a style of 300,000 spaces in one pass', {timeout: 60_000}, () => {
	// The timeout only catches a hang: the regular expression for url() backtracked over the spaces for tens of seconds.
	const spaces = ' '.repeat(300_000);
	assert.deepStrictEqual(backgroundUrls(`background:url(${spaces}a.jpg ${spaces}`), []);
	assert.deepStrictEqual(backgroundUrls(`background:url(${spaces}a.jpg${spaces})`), ['a.jpg']);
});

test('parseDimension reads leading digits like the browser, ignoring percentages', () => {
	assert.equal(parseDimension(undefined), undefined);
	assert.equal(parseDimension('640'), 640);
	assert.equal(parseDimension(' 300px'), 300);
	assert.equal(parseDimension('+12'), 12);
	assert.equal(parseDimension('100.7'), 100);
	assert.equal(parseDimension('50%'), undefined);
	assert.equal(parseDimension('auto'), undefined);
	assert.equal(parseDimension('-5'), undefined);
});
