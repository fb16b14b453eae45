/**
Properties of the extractor over random and mutated documents (fast-check):
it never throws and returns only absolute http(s) URLs (data: images only when
asked for); and its linear parts give what the straightforward algorithms
they replace give.
*/
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {test} from 'node:test';
import {load} from 'cheerio/slim';
import type {AnyNode, Element} from 'domhandler';
import {parseDocument} from 'htmlparser2';
import fc from 'fast-check';
import {urlTokens} from '../src/extract/css.js';
import {attribute, isElement, walkElements} from '../src/extract/dom.js';
import {extract} from '../src/extract/extract.js';
import {parseTree} from '../src/extract/tree.js';
import {documentBase, resolveLink} from '../src/extract/urls.js';
import {newWork} from '../src/extract/work.js';
import type {ExtractOptions, ExtractResult, Headers} from '../src/types.js';

const pageUrl = 'https://example.com/dir/page.html';

const urlValue = fc.oneof(
	fc.constantFrom(
		'a.jpg',
		'/b.png',
		'c.gif 2x',
		'd.webp 300w, e.webp 600w',
		'https://x.test/f.jpg#frag',
		'//cdn.test/g.svg',
		'#top',
		'',
		' ',
		'javascript:void(0)',
		'mailto:a@b.c',
		'data:image/png;base64,AAAA',
		'data:text/html,<b>',
		'about:blank',
		'blank.gif',
		'h.jpg,, i.jpg',
		'http://[::1',
		'https://例え.テスト/画像.jpg',
		'x y z 1x 2w',
		'url(a.jpg)',
		'background:url("j.jpg")',
		'og:image',
		'next',
	),
	fc.string({maxLength: 12}),
	fc.webUrl(),
);
const tagName = fc.constantFrom(
	'div',
	'a',
	'img',
	'picture',
	'source',
	'noscript',
	'template',
	'span',
	'li',
	'ul',
	'link',
	'meta',
	'base',
	'p',
	'b',
	'svg',
	'title',
	'table',
	'td',
	'script',
	'style',
	'textarea',
	'input',
	'area',
	'br',
);
const attributeName = fc.constantFrom(
	'src',
	'href',
	'srcset',
	'data-src',
	'data-srcset',
	'data-original',
	'alt',
	'title',
	'class',
	'rel',
	'style',
	'width',
	'property',
	'name',
	'content',
	'type',
	'SRC',
	'x',
);
const text = fc.oneof(
	fc.string({maxLength: 8}),
	fc.constantFrom('&amp;', '&lt', '&#x41;', '<', '</', '<!--', '-->', '<![CDATA[', ']]>', '<?x', '"', "'", '\u0000'),
);

/** An HTML fragment: tags, attributes and text, closed or not. */
const fragment: fc.Arbitrary<string> = fc.letrec<{node: string; element: string}>(tie => ({
	node: fc.oneof({depthSize: 'small', withCrossShrink: true}, text, tie('element')),
	element: fc
		.record({
			name: tagName,
			attributes: fc.array(fc.tuple(attributeName, urlValue, fc.constantFrom('"', "'", '')), {maxLength: 4}),
			children: fc.array(tie('node'), {maxLength: 4}),
			close: fc.boolean(),
		})
		.map(({name, attributes, children, close}) => {
			const attrs = attributes
				.map(([key, value, quote]) => ` ${key}=${quote}${quote === '' ? value.replaceAll(/[\s>]/g, '') : value.replaceAll(quote, '')}${quote}`)
				.join('');
			return `<${name}${attrs}>${children.join('')}${close ? `</${name}>` : ''}`;
		}),
})).node;

const document = fc.array(fragment, {maxLength: 6}).map(parts => parts.join(''));

const selector = fc.constantFrom(
	'img',
	'a',
	'div',
	'div a',
	'.x',
	'picture',
	'picture, img',
	'source',
	'li img',
	'a img',
	'span, a',
	'template',
	'a[href]',
	'[class~=next] a',
	'img:not([src$=".gif"])',
	'span:has(img)',
	'a:contains("x")',
	'li:first img',
	'ul > li:nth-child(2n) a',
);

const options: fc.Arbitrary<ExtractOptions> = fc.record({
	selector,
	srcset: fc.constantFrom('largest', 'all', 'src'),
	dataUris: fc.boolean(),
	links: fc.boolean(),
	meta: fc.boolean(),
	css: fc.boolean(),
	follow: fc.option(selector, {nil: undefined}),
	next: fc.option(fc.oneof(selector, fc.constant('auto')), {nil: undefined}),
	maxPerPage: fc.option(fc.integer({min: 1, max: 5}), {nil: undefined}),
});

const headers: fc.Arbitrary<Headers> = fc.constantFrom(
	{},
	{'content-type': 'text/html; charset=gbk'},
	{'content-type': 'text/html; charset=x-user-defined'},
	{'content-type': 'text/html; charset=utf-16le'},
	{'content-type': 'text/html; charset=shift_jis'},
	{'content-type': 'text/html; charset=bogus'},
);

/** The promise of the extractor's results, whatever the page. */
function assertPlausible(result: ExtractResult, dataUris: boolean, max = 100_000) {
	for (const image of result.images) {
		const url = new URL(image.url);
		if (url.protocol === 'data:') {
			assert.ok(dataUris, `a data: URI without dataUris: ${image.url}`);
			assert.match(url.pathname, /^[\t\n\f\r ]*image\//i);
			assert.equal(image.source, 'data');
		} else {
			assert.ok(url.protocol === 'http:' || url.protocol === 'https:', image.url);
			assert.equal(url.hash, '');
			assert.equal(url.href, image.url);
		}
	}

	for (const link of [...result.links, ...result.next]) {
		const url = new URL(link);
		assert.ok((url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '' && url.href === link, link);
	}

	assert.equal(new Set(result.images.map(image => image.url)).size, result.images.length, 'images are deduplicated');
	assert.ok(result.images.length <= max && result.links.length <= max && result.next.length <= max);
	assert.deepEqual(structuredClone(result), result, 'plain data');
}

test('random documents never throw and give only absolute http(s) URLs', () => {
	fc.assert(
		fc.property(document, options, headers, fc.constantFrom(pageUrl, 'not a url', 'http://127.0.0.1:8080/'), (html, extractOptions, responseHeaders, url) => {
			const result = extract(new TextEncoder().encode(html), url, responseHeaders, extractOptions);
			assertPlausible(result, extractOptions.dataUris, extractOptions.maxPerPage);
		}),
		{numRuns: 1000},
	);
});

const corpus = new URL('../../fixtures/extract/', import.meta.url);
const pages = readdirSync(corpus, {withFileTypes: true})
	.filter(entry => entry.isDirectory())
	.map(entry => new Uint8Array(readFileSync(new URL(`${entry.name}/page.html`, corpus))));

/** A change to a page's bytes: insert, delete, repeat or overwrite a stretch, or cut the page short. */
const mutation = fc.oneof(
	fc.record({kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({maxLength: 16})}),
	fc.record({kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({max: 64})}),
	fc.record({kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.nat({max: 64}), times: fc.integer({min: 1, max: 50})}),
	fc.record({kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({minLength: 1, maxLength: 8})}),
	fc.record({kind: fc.constant('truncate' as const), at: fc.nat()}),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(page: Uint8Array, change: Mutation): Uint8Array {
	const at = page.length === 0 ? 0 : change.at % page.length;
	const before = page.subarray(0, at);
	switch (change.kind) {
		case 'insert': {
			return Buffer.concat([before, change.bytes, page.subarray(at)]);
		}

		case 'delete': {
			return Buffer.concat([before, page.subarray(at + change.length)]);
		}

		case 'repeat': {
			const stretch = page.subarray(at, at + change.length);
			return Buffer.concat([before, ...Array.from({length: change.times}, () => stretch), page.subarray(at)]);
		}

		case 'overwrite': {
			const copy = new Uint8Array(page);
			copy.set(change.bytes.subarray(0, copy.length - at), at);
			return copy;
		}

		case 'truncate': {
			return before;
		}
	}
}

test('mutated fixture pages never throw and give only absolute http(s) URLs', () => {
	fc.assert(
		fc.property(
			fc.nat({max: pages.length - 1}),
			fc.array(mutation, {minLength: 1, maxLength: 6}),
			options,
			headers,
			(index, changes, extractOptions, responseHeaders) => {
				const page = changes.reduce<Uint8Array>((bytes, change) => mutate(bytes, change), pages[index]!);
				assertPlausible(extract(page, pageUrl, responseHeaders, extractOptions), extractOptions.dataUris, extractOptions.maxPerPage);
			},
		),
		{numRuns: 500},
	);
});

test('random documents nested past the depth limit never throw either', () => {
	fc.assert(
		fc.property(
			document,
			fc.integer({min: 500, max: 3000}),
			fc.constantFrom('div', 'span', 'a', 'li', 'svg', 'template', 'noscript', 'table'),
			options,
			(html, depth, tag, extractOptions) => {
				const page = `${`<${tag} class="x">`.repeat(depth)}${html}${'<img src="deep.jpg">'}`;
				assertPlausible(extract(new TextEncoder().encode(page), pageUrl, {}, extractOptions), extractOptions.dataUris, extractOptions.maxPerPage);
			},
		),
		{numRuns: 60},
	);
});

/** A tree as plain data, to compare trees built two ways; without text and comments when `elementsOnly`. */
function shape(node: AnyNode, elementsOnly = false): unknown {
	const children = (parent: {children: AnyNode[]}) =>
		parent.children.filter(child => !elementsOnly || 'children' in child).map(child => shape(child, elementsOnly));
	if (isElement(node)) {
		return [node.name, node.attribs, children(node)];
	}

	return 'children' in node ? [node.type, children(node)] : [node.type, 'data' in node ? node.data : ''];
}

function parsedInSlices(html: string, sliceChars: number): AnyNode {
	const parse = parseTree(html, newWork(), sliceChars);
	let step = parse.next();
	while (!step.done) {
		step = parse.next();
	}

	return step.value.document;
}

/**
htmlparser2's tree as ours reads `<image>`: in HTML content an `img` (the HTML
parser's rule), which is void, so what htmlparser2 nests inside it follows it.
*/
function withImageAsImg(node: AnyNode, foreign = false): AnyNode {
	if (!('children' in node)) {
		return node;
	}

	const inForeign = foreign || (isElement(node) && (node.name === 'svg' || node.name === 'math'));
	const children: AnyNode[] = [];
	for (const child of node.children) {
		withImageAsImg(child, inForeign);
		if (isElement(child) && child.name === 'image' && !inForeign) {
			child.name = 'img';
			children.push(child, ...child.children);
			child.children = [];
		} else {
			children.push(child);
		}
	}

	node.children = children as typeof node.children;
	return node;
}

test("the tree is htmlparser2's own, however the page is sliced", () => {
	// Elements and attributes always; text too on real pages. htmlparser2 streams a few malformed constructs cut by a
	// slice boundary (`<!-->`, a tag left open at the end) into other text or comments, which no image or link depends on.
	fc.assert(
		fc.property(document, fc.integer({min: 1, max: 64}), (html, sliceChars) => {
			const expected = withImageAsImg(parseDocument(html, {xmlMode: false, decodeEntities: true}));
			assert.deepEqual(shape(parsedInSlices(html, sliceChars), true), shape(expected, true));
			assert.deepEqual(shape(parsedInSlices(html, html.length + 1)), shape(expected), 'in one slice');
		}),
		{numRuns: 600},
	);
	for (const page of pages) {
		const html = new TextDecoder('latin1').decode(page);
		for (const sliceChars of [1, 7, 64, 4096]) {
			assert.deepEqual(shape(parsedInSlices(html, sliceChars)), shape(withImageAsImg(parseDocument(html, {xmlMode: false, decodeEntities: true}))));
		}
	}
});

/** The links of a selector as the extractor used to find them: match the whole page, then look up from and down into each match. */
function linksTheLongWay(html: string, selectorText: string): string[] {
	const $ = load(html, {xml: {xmlMode: false, decodeEntities: true}});
	let baseHref: string | undefined;
	walkElements($.root()[0]!, (element, inNoscript) => {
		if (element.name === 'base' && baseHref === undefined && !inNoscript) {
			baseHref = attribute(element, 'href');
		}
	});
	const base = documentBase(pageUrl, baseHref);
	const closest = (element: Element, name: string) => {
		for (let node = element.parent; node !== null; node = node.parent) {
			if (isElement(node) && node.name === name) {
				return node;
			}
		}

		return undefined;
	};

	const links: string[] = [];
	const add = (href: string | undefined) => {
		const url = href === undefined ? undefined : resolveLink(href, base);
		if (url !== undefined && !links.includes(url)) {
			links.push(url);
		}
	};

	for (const element of $(selectorText).get()) {
		if (!isElement(element) || closest(element, 'template') !== undefined) {
			continue;
		}

		const around = closest(element, 'a');
		if (attribute(element, 'href') !== undefined) {
			add(attribute(element, 'href'));
		} else if (around !== undefined && attribute(around, 'href') !== undefined) {
			add(attribute(around, 'href'));
		} else {
			walkElements(element, descendant => {
				if (descendant !== element && descendant.name === 'a') {
					add(attribute(descendant, 'href'));
				}
			});
		}
	}

	return links;
}

test('links come out as matching the whole page and walking up and down from each match gives them', () => {
	// Nested matches with and without an href of their own, links around and inside them: where the order of the result is subtle.
	const linky = fc.array(
		fc.oneof(
			fragment,
			fc.constantFrom(
				'<a href="/1">',
				'<a href="/2">',
				'<a>',
				'<div class="x">',
				'<template><a href="/t">',
				'<template class="x">',
				'</a>',
				'</div>',
				'</span>',
				'<base href="/b/">',
				'<span href="/s">',
				'<span class="x">',
				'<span>',
				'<link href="/l" class="x">',
			),
		),
		{maxLength: 12},
	);
	const follow = fc.oneof(selector, fc.constantFrom('span', 'span, a', '.x', '.x, a', 'div, span', 'template', '.x, [href]'));
	fc.assert(
		fc.property(linky, follow, (parts, follow) => {
			const html = parts.join('');
			const result = extract(
				new TextEncoder().encode(html),
				pageUrl,
				{},
				{selector: 'img', srcset: 'largest', dataUris: false, links: false, meta: false, css: false, follow},
			);
			assert.deepEqual(result.links, linksTheLongWay(html, follow));
		}),
		{numRuns: 800},
	);
});

// The regular expression the scanner replaced: the same tokens, found by backtracking.
const urlTokenPattern = /\burl\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|((?:[^"'()\\\s]|\\.)*))\s*\)/gi;

test('inline-style url() tokens are those the regular expression found', () => {
	const css = fc
		.array(fc.constantFrom('url(', 'URL(', 'uRl(', 'xurl(', ')', '(', '"', "'", '\\', ' ', '\n', '\u00a0', 'a', '.jpg', ';', '_', 'r', 'l'), {maxLength: 24})
		.map(parts => parts.join(''));
	fc.assert(
		fc.property(css, value => {
			assert.deepEqual(
				urlTokens(value),
				[...value.matchAll(urlTokenPattern)].map(match => match[1] ?? match[2] ?? match[3] ?? ''),
			);
		}),
		{numRuns: 3000},
	);
});
