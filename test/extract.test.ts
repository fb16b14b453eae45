/**
The extractor against the fixture folders in fixtures/extract/: one folder per
scenario with page.html (raw bytes, any encoding), optional headers.json
(response headers), optional options.json (ExtractOptions overrides plus
`pageUrl`) and expected.json, the exact ExtractResult.

To re-record after an intended change: UPDATE_EXTRACT_FIXTURES=1 node --test dist/test/extract.test.js,
then review the expected.json diffs before committing them.
*/
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {test} from 'node:test';
import {extract} from '../src/extract/extract.js';
import type {ExtractOptions, Headers} from '../src/types.js';

// From dist/test/ back to the source tree's fixtures (they are not copied into dist).
const FIXTURES = new URL('../../fixtures/extract/', import.meta.url);

/** The options callers resolve by default; each scenario overrides what it tests. */
const DEFAULT_OPTIONS: ExtractOptions = {
	selector: 'img',
	srcset: 'largest',
	dataUris: false,
	links: false,
	meta: false,
	css: false,
};

interface ScenarioOptions extends Partial<ExtractOptions> {
	pageUrl?: string;
}

function readJson<T>(url: URL, fallback: T): T {
	return existsSync(url) ? (JSON.parse(readFileSync(url, 'utf8')) as T) : fallback;
}

const scenarios = readdirSync(FIXTURES, {withFileTypes: true})
	.filter(entry => entry.isDirectory())
	.map(entry => entry.name)
	.sort();

test('there are fixture scenarios', () => {
	assert.ok(scenarios.length > 20, `found only ${scenarios.length} scenarios in ${FIXTURES.pathname}`);
});

for (const scenario of scenarios) {
	test(`fixture: ${scenario}`, () => {
		const folder = new URL(`${scenario}/`, FIXTURES);
		const {pageUrl = `https://example.com/${scenario}/page.html`, ...overrides} = readJson<ScenarioOptions>(new URL('options.json', folder), {});
		const headers = readJson<Headers>(new URL('headers.json', folder), {});
		const bytes = new Uint8Array(readFileSync(new URL('page.html', folder)));
		const actual = extract(bytes, pageUrl, headers, {...DEFAULT_OPTIONS, ...overrides});
		const expectedUrl = new URL('expected.json', folder);
		if (process.env.UPDATE_EXTRACT_FIXTURES === '1') {
			writeFileSync(expectedUrl, `${JSON.stringify(actual, null, '\t')}\n`);
			return;
		}
		assert.deepStrictEqual(actual, JSON.parse(readFileSync(expectedUrl, 'utf8')));
	});
}

test('the result is plain data that survives structuredClone (worker postMessage)', () => {
	const bytes = readFileSync(new URL('basic-img/page.html', FIXTURES));
	const result = extract(new Uint8Array(bytes), 'https://example.com/', {}, DEFAULT_OPTIONS);
	assert.deepStrictEqual(structuredClone(result), result);
});

test('odd input never throws', () => {
	const pages = ['', '<', '<img src=', '\u0000\u0000', '<noscript><img src="a.jpg"', '<img srcset=",,,">', '<base href="">'.repeat(3)];
	for (const page of pages) {
		for (const pageUrl of ['https://example.com/', 'not a url']) {
			assert.doesNotThrow(() =>
				extract(new TextEncoder().encode(page), pageUrl, {}, {...DEFAULT_OPTIONS, links: true, meta: true, css: true, next: 'auto', follow: 'a'}),
			);
		}
	}
	const random = new Uint8Array(4096).map((_, index) => (index * 7919) % 256);
	assert.doesNotThrow(() => extract(random, 'https://example.com/', {}, DEFAULT_OPTIONS));
});

test('a page that is not a URL still yields absolute image URLs, and skips relative ones', () => {
	const page = new TextEncoder().encode('<img src="relative.jpg"><img src="https://example.com/absolute.jpg">');
	assert.deepStrictEqual(extract(page, 'not a url', {}, DEFAULT_OPTIONS).images, [{url: 'https://example.com/absolute.jpg', source: 'img'}]);
});

test('a large page stays linear: 3,000 lazy images with noscript fallbacks', () => {
	const parts = ['<!doctype html><body>'];
	for (let index = 0; index < 3000; index++) {
		parts.push(
			`<div><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/i/${index}.jpg" srcset="/i/${index}-800.jpg 800w"><noscript><img src="/i/${index}.jpg"></noscript></div>`,
		);
	}
	const result = extract(new TextEncoder().encode(parts.join('\n')), 'https://example.com/', {}, DEFAULT_OPTIONS);
	// Counts, not timings: a quadratic walk would still pass slowly, but a wrong pick or dedupe would not.
	assert.equal(result.images.length, 6000);
	assert.deepStrictEqual(result.images.slice(0, 2), [
		{url: 'https://example.com/i/0-800.jpg', source: 'srcset', width: 800, descriptor: '800w'},
		{url: 'https://example.com/i/0.jpg', source: 'noscript'},
	]);
});
