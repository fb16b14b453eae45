/**
The extractor's bounds on hostile pages: work linear in the page's size,
counted in units that do not depend on the machine (nodes visited, selector
steps, array entries moved), never timed; selectors that run away stopped
with a warning; and the per-page cap.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {AnyNode} from 'domhandler';
import {extractSteps, type ExtractWork} from '../src/extract/extract.js';
import {maxTreeDepth, parseTree} from '../src/extract/tree.js';
import {newWork} from '../src/extract/work.js';
import type {ExtractOptions, ExtractResult} from '../src/types.js';

const defaults: ExtractOptions = {selector: 'img', srcset: 'largest', dataUris: false, links: false, meta: false, css: false};
const pageUrl = 'https://example.com/list/';

function run(html: string, options: Partial<ExtractOptions> = {}): {result: ExtractResult; work: ExtractWork; total: number} {
	const work = newWork();
	const steps = extractSteps(new TextEncoder().encode(html), pageUrl, {}, {...defaults, ...options}, work);
	for (;;) {
		const step = steps.next();
		if (step.done) {
			return {result: step.value, work, total: work.parsed + work.visited + work.picked + work.selectorSteps};
		}
	}
}

/** The work on a page of `n` and of `10 n`: a linear extractor does about 10 times as much, never past 20. */
function assertLinear(page: (n: number) => string, options: Partial<ExtractOptions>, n: number, check?: (result: ExtractResult) => void) {
	const small = run(page(n), options);
	const large = run(page(n * 10), options);
	check?.(small.result);
	check?.(large.result);
	assert.ok(large.total <= 20 * small.total, `${large.total} units of work for 10x the page, against ${small.total}: ${JSON.stringify(large.work)}`);
	return {small, large};
}

const nestedDivs = (n: number) => `<body>${'<div>'.repeat(n)}<a href="/deep">deep</a><img src="/a.jpg">${'</div>'.repeat(n)}</body>`;

test('--follow div on nested <div>s is linear, and finds the link inside', () => {
	assertLinear(nestedDivs, {follow: 'div'}, 3000, result => {
		assert.deepEqual(result.links, ['https://example.com/deep']);
		assert.deepEqual(result.images, [{url: 'https://example.com/a.jpg', source: 'img'}]);
		assert.equal(result.warnings, undefined);
	});
});

test('selectors with descendant combinators on nested <div>s are linear, for links and images', () => {
	for (const options of [{follow: 'div a'}, {follow: 'div > a, body a'}, {selector: 'div div img'}, {selector: 'body img'}]) {
		assertLinear(nestedDivs, options, 3000, result => {
			assert.equal(result.warnings, undefined, JSON.stringify(options));
			assert.equal(result.images.length, 1);
		});
	}

	// Every link looks for a .page above it, up to the top: linear only because the tree's depth is bounded.
	const linkInEachDiv = (n: number) => `<body>${'<div><a href="/p">x</a><img src="/i.png">'.repeat(n)}`;
	for (const options of [{follow: '.page a'}, {selector: '.page img, section img'}]) {
		assertLinear(linkInEachDiv, options, 3000, result => {
			assert.equal(result.warnings, undefined, JSON.stringify(options));
		});
	}
});

/** A pager followed by a deep page, the pager's link left open around it: the README's --next example met this. */
const deepPager = (n: number) =>
	`<div class="page"><a href="index_2.html">下一页</a><a href="index_9.html">尾页</a></div><a href="x.html">${'<span>'.repeat(n)}text<img src="deep.jpg">`;

test("the README's :contains() next selector on a deep page: no stack overflow, linear, images kept", () => {
	assertLinear(deepPager, {next: 'div.page a:contains("下一页")'}, 2000, result => {
		assert.deepEqual(result.next, ['https://example.com/list/index_2.html']);
		assert.deepEqual(result.images, [{url: 'https://example.com/list/deep.jpg', source: 'img'}]);
		assert.equal(result.warnings, undefined);
	});
});

test(':has() on a deep page: no stack overflow, linear', () => {
	assertLinear(deepPager, {follow: 'div.page:has(a) a', selector: 'span:has(img) img'}, 2000, result => {
		assert.deepEqual(result.links, ['https://example.com/list/index_2.html', 'https://example.com/list/index_9.html']);
		assert.equal(result.images.length, 1);
	});
});

test("a selector that runs away is stopped at its bound, with a warning, and the page's images are still reported", () => {
	// :has() inside :has() on nested <div>s visits every pair of them.
	const {small, large} = assertLinear(nestedDivs, {follow: 'div:has(div:has(img))', next: 'div:contains("x") a'}, 3000);
	assert.deepEqual(small.result.links, ['https://example.com/deep'], 'within the bound on the smaller page');
	const {result} = large;
	assert.deepEqual(result.images, [{url: 'https://example.com/a.jpg', source: 'img'}]);
	assert.deepEqual(
		result.warnings?.map(warning => warning.about),
		['links', 'next'],
	);
	assert.match(
		result.warnings![0]!.message,
		/^follow selector `div:has\(div:has\(img\)\)` stopped matching partway, past its bound of \d+ steps on (this page|one element): links after that point were not taken$/,
	);
});

test('an image selector that runs away keeps what it matched before its bound', () => {
	const page = `<img src="first.jpg">${'<div>'.repeat(3000)}<img src="last.jpg">`;
	const {result} = run(page, {selector: 'img, div:has(div:has(img))'});
	assert.deepEqual(
		result.images.map(image => image.url),
		['https://example.com/list/first.jpg'],
	);
	assert.equal(result.warnings?.[0]?.about, 'images');
});

/** Array entries `unshift`, `shift` and `indexOf` touch while `action` runs: what htmlparser2's own stacks cost. */
function arrayEntriesMoved(action: () => void): number {
	const prototype = Array.prototype as unknown as Record<'unshift' | 'shift' | 'indexOf', (...args: unknown[]) => unknown>;
	const originals = {unshift: prototype.unshift, shift: prototype.shift, indexOf: prototype.indexOf};
	let moved = 0;
	for (const name of ['unshift', 'shift', 'indexOf'] as const) {
		const original = originals[name];
		prototype[name] = function (this: unknown[], ...args: unknown[]) {
			moved += this.length;
			return original.apply(this, args);
		};
	}

	try {
		action();
	} finally {
		Object.assign(prototype, originals);
	}

	return moved;
}

test('parsing nested tags moves no array entries per tag: open and stray closing tags cost the same at any depth', () => {
	const pages = [
		(n: number) => `${'<div>'.repeat(n)}x${'</div>'.repeat(n)}`,
		(n: number) => `${'<div>'.repeat(n)}${'</span>'.repeat(n)}`,
		(n: number) => `${'<svg><title>'.repeat(n)}x`,
	];
	for (const page of pages) {
		const small = arrayEntriesMoved(() => run(page(2000)));
		const large = arrayEntriesMoved(() => run(page(20_000)));
		assert.ok(large <= 20 * small + 1000, `${large} array entries moved for 10x the page, against ${small}`);
	}
});

test('the tree nests no deeper than the limit, as in Chromium: deeper elements become siblings, in order', () => {
	const work = newWork();
	const parse = parseTree(`${'<div>'.repeat(100_000)}<img src="a.jpg"><b>last</b>`, work);
	let step = parse.next();
	while (!step.done) {
		step = parse.next();
	}

	const {document, nodes} = step.value;
	assert.equal(nodes, 100_000 + 3);
	const depth = (node: AnyNode) => {
		let levels = 0;
		for (let current = node.parent; current !== null; current = current.parent) {
			levels++;
		}

		return levels;
	};

	let deepest: AnyNode = document;
	while ('children' in deepest && deepest.children.length > 0) {
		deepest = deepest.children[0]!;
	}

	assert.equal(depth(deepest), maxTreeDepth);
	const siblings = deepest.parent!.children;
	assert.equal(siblings.length, 100_000 - maxTreeDepth + 1 + 3, 'the divs past the limit, the img, the b and its text');
	assert.deepEqual(
		siblings.slice(-3).map(node => ('name' in node ? node.name : 'text')),
		['img', 'b', 'text'],
	);
	assert.equal(run(`${'<div>'.repeat(100_000)}<img src="a.jpg">`).result.images.length, 1);
});

test('a <picture> of thousands of sources and images is read once, whatever the srcset mode', () => {
	const picture = (n: number) =>
		`<picture>${Array.from({length: n}, (_, index) => `<source srcset="/s/${index}.webp ${index + 1}w"><img src="/i/${index}.jpg">`).join('')}</picture>`;
	for (const srcset of ['largest', 'all'] as const) {
		assertLinear(picture, {srcset}, 300, result => {
			const n = result.images.filter(image => image.url.endsWith('.jpg')).length;
			assert.equal(n, srcset === 'all' ? result.images.length / 2 : 0, 'largest takes the widest source before each img');
		});
	}

	// Each img takes the sources before it: the widest of them so far is the last.
	const {result} = run(
		'<picture><source srcset="a.webp 100w"><img src="1.jpg"><source srcset="b.webp 50w"><img src="2.jpg"><source srcset="c.webp 300w"><img src="3.jpg"></picture>',
	);
	assert.deepEqual(
		result.images.map(image => image.url.split('/').at(-1)),
		['a.webp', 'c.webp'],
	);
	const all = run('<picture><source srcset="a.webp 100w"><img src="1.jpg"><source srcset="b.webp 50w"><img src="2.jpg"></picture>', {srcset: 'all'}).result;
	assert.deepEqual(
		all.images.map(image => image.url.split('/').at(-1)),
		['a.webp', '1.jpg', 'b.webp', '2.jpg'],
	);
});

test("--links on nested <a>s finds each link's alt in one walk", () => {
	const anchors = (n: number) => `${Array.from({length: n}, (_, index) => `<a href="/${index}.jpg" title="t${index}">`).join('')}<img src="x.png" alt="inner">`;
	// 400 stay within the depth limit, so every link holds the image.
	assertLinear(anchors, {links: true}, 40, result => {
		assert.ok(result.images.length > 40);
		assert.ok(result.images.every(image => image.alt === 'inner'));
	});
});

test('maxPerPage caps the images, links and next-page links taken from one page, and says so', () => {
	const page = Array.from({length: 12}, (_, index) => `<a class="d" href="/d/${index}"><img src="/i/${index}.jpg"></a><a rel="next" href="/n/${index}">`).join(
		'',
	);
	const options = {follow: 'a.d', next: 'auto', maxPerPage: 10};
	const capped = run(page, options).result;
	assert.equal(capped.images.length, 10);
	assert.equal(capped.links.length, 10);
	assert.equal(capped.next.length, 10);
	assert.deepEqual(capped.capped, ['images', 'links', 'next']);
	assert.equal(capped.images.at(-1)?.url, 'https://example.com/i/9.jpg');
	const exact = run(page, {...options, maxPerPage: 12}).result;
	assert.equal(exact.images.length, 12);
	assert.equal(exact.capped, undefined);
	assert.equal(run(page, {follow: 'a.d'}).result.links.length, 12, 'the default cap is far above');
});
