/**
A parse worker sends its result back packed (src/extract/packed-result.ts):
what the main thread unpacks must be the very result inline extraction gives,
deep-equal and with its fields in the same order (so `list`'s JSON lines are
byte for byte the same), over the extractor's corpus and generated pages.
*/
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import {extract} from '../src/extract/extract.js';
import {packResult, unpackResult} from '../src/extract/packed-result.js';
import {createParsePool} from '../src/extract/parse-pool.js';
import type {ExtractOptions, ExtractResult, FoundImage, Headers, ImageSource} from '../src/types.js';

const corpus = fileURLToPath(new URL('../../fixtures/extract/', import.meta.url));
const scenarios = readdirSync(corpus, {withFileTypes: true})
	.filter(entry => entry.isDirectory())
	.map(entry => entry.name)
	.sort();

const defaultExtract: ExtractOptions = {selector: 'img', srcset: 'largest', dataUris: false, links: false, meta: false, css: false};
const everything: ExtractOptions = {
	selector: 'img',
	srcset: 'all',
	dataUris: true,
	links: true,
	meta: true,
	css: true,
	follow: 'a',
	next: 'auto',
	titles: true,
};

function readJson<T>(file: string, fallback: T): T {
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : fallback;
}

/** Deep-equal, and every object's keys in the same order: JSON output depends on it. */
function assertSame(actual: unknown, expected: unknown, message?: string): void {
	assert.deepStrictEqual(actual, expected, message);
	assert.equal(JSON.stringify(actual), JSON.stringify(expected), message);
}

const text = fc.oneof(fc.string({maxLength: 8}), fc.constantFrom('4K动漫壁纸 1', '😀 x', '', ' ', 'a\u0000b', '\ud800'));
const source = fc.constantFrom<ImageSource>('img', 'srcset', 'picture', 'lazy', 'noscript', 'link', 'meta', 'css', 'data', 'direct', 'response');
const image: fc.Arbitrary<FoundImage> = fc.record(
	{
		url: fc.oneof(fc.webUrl(), text),
		source,
		alt: text,
		title: text,
		width: fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 40, Number.POSITIVE_INFINITY)),
		descriptor: fc.constantFrom('2x', '800w', '1.5x', ''),
		original: fc.webUrl(),
		excluded: fc.constant(true as const),
	},
	{requiredKeys: ['url', 'source']},
);

/** A result as the extractor orders its fields (packing keeps that order, not an arbitrary one). */
function inExtractorOrder(result: ExtractResult): ExtractResult {
	const order = ['url', 'source', 'alt', 'title', 'width', 'descriptor', 'original', 'excluded'] as const;
	const images = result.images.map(
		each => Object.fromEntries(order.filter(key => each[key] !== undefined).map(key => [key, each[key]])) as unknown as FoundImage,
	);
	const {links, next, encoding, title, capped, warnings} = result;
	return {
		images,
		links,
		next,
		encoding,
		...(title === undefined ? {} : {title}),
		...(capped === undefined ? {} : {capped}),
		...(warnings === undefined ? {} : {warnings}),
	};
}

test('any result survives packing and unpacking, deep-equal and in field order', () => {
	const result = fc.record(
		{
			images: fc.array(image, {maxLength: 30}),
			links: fc.array(fc.oneof(fc.webUrl(), text), {maxLength: 5}),
			next: fc.array(fc.oneof(fc.webUrl(), text), {maxLength: 3}),
			encoding: fc.constantFrom('UTF-8', 'GBK', 'windows-1252'),
			title: text,
			capped: fc.subarray(['images', 'links', 'next'] as Array<'images' | 'links' | 'next'>, {minLength: 1}),
			warnings: fc.array(fc.record({about: fc.constantFrom<'images' | 'links' | 'next'>('images', 'links', 'next'), message: text}), {
				minLength: 1,
				maxLength: 2,
			}),
		},
		{requiredKeys: ['images', 'links', 'next', 'encoding']},
	);
	fc.assert(
		fc.property(result, generated => {
			const expected = inExtractorOrder(generated);
			assertSame(unpackResult(packResult(expected)), expected);
		}),
		{numRuns: 300},
	);
});

// Generated pages: nested elements of the kinds the extractor reads, with attribute values from a small, nasty vocabulary.
const value = fc.constantFrom(
	'a.jpg',
	'/b.png',
	'c.gif 2x, d.gif 1x',
	'e.webp 300w, f.webp 600w',
	'//cdn.test/g.svg',
	'data:image/png;base64,AAAA',
	'https://例え.テスト/画像.jpg',
	'background:url("h.jpg")',
	'og:image',
	'next',
	'壁纸 &amp; 图片',
	'',
	' 12 ',
	'100%',
);
const attributeName = fc.constantFrom('src', 'srcset', 'data-src', 'alt', 'title', 'width', 'href', 'style', 'rel', 'property', 'content');
const tag = fc.constantFrom('div', 'a', 'img', 'picture', 'source', 'noscript', 'template', 'meta', 'base', 'title', 'li', 'svg');
const element: fc.Arbitrary<string> = fc.letrec<{node: string}>(tie => ({
	node: fc.oneof(
		{depthSize: 'small', withCrossShrink: true},
		value.map(each => each.replaceAll('<', '')),
		fc.tuple(value, value, value).map(([src, srcset, alt]) => `<img src="${src}" srcset="${srcset}" alt="${alt}">`),
		fc
			.tuple(tag, fc.array(fc.tuple(attributeName, value), {maxLength: 4}), fc.array(tie('node'), {maxLength: 4}))
			.map(
				([name, attributes, children]) =>
					`<${name}${attributes.map(([key, each]) => ` ${key}="${each.replaceAll('"', '&quot;')}"`).join('')}>${children.join('')}</${name}>`,
			),
	),
})).node;
const page = fc.array(element, {maxLength: 12}).map(nodes => `<!doctype html><html><head></head><body>${nodes.join('')}</body></html>`);

test('the worker path gives what inline extraction gives, over the corpus and over generated pages', async t => {
	const parser = createParsePool({workers: 2});
	t.after(() => parser.close());
	assert.ok(scenarios.length > 20);
	for (const name of scenarios) {
		const folder = path.join(corpus, name);
		const {pageUrl = `https://example.com/${name}/page.html`, ...overrides} = readJson<Partial<ExtractOptions> & {pageUrl?: string}>(
			path.join(folder, 'options.json'),
			{},
		);
		const headers = readJson<Headers>(path.join(folder, 'headers.json'), {});
		const html = readFileSync(path.join(folder, 'page.html'));
		for (const options of [
			{...defaultExtract, ...overrides},
			{...everything, ...overrides},
		]) {
			const inline = extract(new Uint8Array(html), pageUrl, headers, options);
			// The pool may take the buffer: give it a copy of its own.
			assertSame(await parser.parse(new Uint8Array(html), pageUrl, headers, options), inline, name);
		}
	}

	let images = 0;
	await fc.assert(
		fc.asyncProperty(page, fc.constantFrom(defaultExtract, everything), async (html, options) => {
			const bytes = new TextEncoder().encode(html);
			const inline = extract(bytes, 'https://example.com/dir/page.html', {}, options);
			images += inline.images.length;
			assertSame(await parser.parse(new Uint8Array(bytes), 'https://example.com/dir/page.html', {}, options), inline);
		}),
		{numRuns: 150},
	);
	assert.ok(images > 50, `the generated pages hold images (${images})`);
});
