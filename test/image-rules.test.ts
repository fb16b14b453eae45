/**
The URL rules and the range as pure functions: rewrites, the variant rule,
include/exclude, and positions in page order, row by row and over random
pages (fast-check).
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {ImageIntake} from '../src/scraper/image-intake.js';
import {applyImageRules, type ImageRules, rewriteUrl, variantOf} from '../src/scraper/image-rules.js';
import type {FoundImage} from '../src/types.js';
import {rewriteRule} from '../src/validate.js';

const none: ImageRules = {rewrite: [], include: [], exclude: [], variants: 'all'};

function found(...urls: string[]): FoundImage[] {
	return urls.map(url => ({url, source: 'img'}));
}

test('rewrite rules in sed form, each applied in turn', async t => {
	const rows: Array<[rules: string[], url: string, expected: string]> = [
		[[String.raw`s/-\d+x\d+(?=\.\w+$)//`], 'https://x.test/wp/photo-300x200.jpg', 'https://x.test/wp/photo.jpg'],
		[[String.raw`s/_thumb\././`], 'https://x.test/a_thumb.png', 'https://x.test/a.png'],
		[['s#/thumbs/#/full/#'], 'https://x.test/g/thumbs/1.jpg', 'https://x.test/g/full/1.jpg'],
		[[String.raw`s|/(\d+)/small/|/$1/large/|`], 'https://x.test/7/small/a.jpg', 'https://x.test/7/large/a.jpg'],
		[[String.raw`s/\/t\//\/o\//`], 'https://x.test/t/a.jpg', 'https://x.test/o/a.jpg'],
		[['s/A/b/gi'], 'https://x.test/aAa.jpg', 'https://x.test/bbb.jpg'],
		[['s/a/b/'], 'https://x.test/aaa.jpg', 'https://x.test/baa.jpg'],
		[['s#/s/#/m/#', 's#/m/#/l/#'], 'https://x.test/s/a.jpg', 'https://x.test/l/a.jpg'],
		// A result that is no URL leaves the URL as it was.
		[['s/^https:.*$/not a url/'], 'https://x.test/a.jpg', 'https://x.test/a.jpg'],
	];
	for (const [rules, url, expected] of rows) {
		await t.test(`${rules.join(' ')} on ${url}`, () => {
			assert.equal(
				rewriteUrl(
					url,
					rules.map(rule => rewriteRule('rewrite', rule)),
				),
				expected,
			);
		});
	}
});

test('a rewritten image keeps the URL as found; two rewriting to one URL are one image', () => {
	const rules: ImageRules = {...none, rewrite: [rewriteRule('rewrite', 's#/t/#/o/#')]};
	const images = applyImageRules(found('https://x.test/t/a.jpg', 'https://x.test/o/a.jpg', 'https://x.test/b.jpg'), rules);
	assert.deepEqual(images, [
		{url: 'https://x.test/o/a.jpg', source: 'img', original: 'https://x.test/t/a.jpg'},
		{url: 'https://x.test/b.jpg', source: 'img'},
	]);
});

test('include and exclude mark what they leave out, after rewriting', () => {
	const rules: ImageRules = {...none, rewrite: [rewriteRule('rewrite', 's/thumb/full/')], include: [/full|keep/], exclude: [/ads?\//]};
	const images = applyImageRules(
		found('https://x.test/thumb/1.jpg', 'https://x.test/ads/full.jpg', 'https://x.test/keep.png', 'https://x.test/other.gif'),
		rules,
	);
	assert.deepEqual(
		images.map(image => [image.url, image.excluded ?? false]),
		[
			['https://x.test/full/1.jpg', false],
			['https://x.test/ads/full.jpg', true],
			['https://x.test/keep.png', false],
			['https://x.test/other.gif', true],
		],
	);
});

test('variants: the key leaves out -WxH and @Nx; the unsuffixed upload is the largest', async t => {
	const rows: Array<[url: string, key: string, area: number, scale: number]> = [
		['https://x.test/up/p-300x200.jpg', 'https://x.test/up/p.jpg', 60_000, 1],
		['https://x.test/up/p.jpg', 'https://x.test/up/p.jpg', Number.POSITIVE_INFINITY, 1],
		['https://x.test/i@2x.png', 'https://x.test/i.png', Number.POSITIVE_INFINITY, 2],
		['https://x.test/i-16x16@3x.png', 'https://x.test/i.png', 256, 3],
		['https://x.test/a-300x200.jpg?v=2', 'https://x.test/a.jpg?v=2', 60_000, 1],
		// Not a size suffix: before the extension of the last segment only.
		['https://x.test/300x200/a.jpg', 'https://x.test/300x200/a.jpg', Number.POSITIVE_INFINITY, 1],
		['https://x.test/a-300x200-b.jpg', 'https://x.test/a-300x200-b.jpg', Number.POSITIVE_INFINITY, 1],
	];
	for (const [url, key, area, scale] of rows) {
		await t.test(url, () => {
			assert.deepEqual(variantOf(url), {key, area, scale});
		});
	}
});

test('variants largest: one image per group, the largest, where the group first appeared', () => {
	const rules: ImageRules = {...none, variants: 'largest'};
	const urls = [
		'https://x.test/p-300x200.jpg',
		'https://x.test/other.jpg',
		'https://x.test/p-1024x683.jpg',
		'https://x.test/q-300x200.jpg',
		'https://x.test/q-150x150.jpg',
		'https://x.test/i.png',
		'https://x.test/i@2x.png',
	];
	assert.deepEqual(
		applyImageRules(found(...urls), rules).map(image => image.url),
		['https://x.test/p-1024x683.jpg', 'https://x.test/other.jpg', 'https://x.test/q-300x200.jpg', 'https://x.test/i@2x.png'],
	);
	assert.equal(applyImageRules(found(...urls), none).length, urls.length);
});

const pathArbitrary = fc
	.tuple(
		fc.constantFrom('a', 'b', 'c'),
		fc.option(fc.tuple(fc.integer({min: 1, max: 3000}), fc.integer({min: 1, max: 3000}))),
		fc.option(fc.constantFrom(2, 3)),
	)
	.map(([name, size, scale]) => `https://x.test/${name}${size === null ? '' : `-${size[0]}x${size[1]}`}${scale === null ? '' : `@${scale}x`}.jpg`);

test('the variant rule keeps a subset in document order, one per key, none smaller than a dropped one', () => {
	fc.assert(
		fc.property(fc.array(pathArbitrary, {maxLength: 30}), urls => {
			const unique = [...new Set(urls)];
			const kept = applyImageRules(found(...unique), {...none, variants: 'largest'}).map(image => image.url);
			const keys = kept.map(url => variantOf(url).key);
			assert.equal(new Set(keys).size, keys.length);
			assert.deepEqual(new Set(keys), new Set(unique.map(url => variantOf(url).key)));
			// Document order: the kept ones appear in the order their groups first did.
			const firstOfKey = (key: string) => unique.findIndex(url => variantOf(url).key === key);
			assert.deepEqual(
				keys.map(firstOfKey),
				keys.map(firstOfKey).toSorted((a, b) => a - b),
			);
			for (const url of unique) {
				const mine = variantOf(url);
				const winner = variantOf(kept[keys.indexOf(mine.key)]!);
				assert.ok(winner.area > mine.area || (winner.area === mine.area && winner.scale >= mine.scale), `${url} beat by ${kept[keys.indexOf(mine.key)]}`);
			}
		}),
	);
});

test('a range takes positions first..last of the images in page order, each URL once, excluded ones apart', () => {
	const image = fc.record({url: fc.constantFrom(...'abcdefghijklmnop'.split('').map(letter => `https://x.test/${letter}.jpg`)), excluded: fc.boolean()});
	fc.assert(
		fc.property(
			fc.array(fc.array(image, {maxLength: 8}), {maxLength: 6}),
			fc.integer({min: 1, max: 20}),
			fc.option(fc.integer({min: 0, max: 20})),
			(pages, first, span) => {
				const last = span === null ? Number.POSITIVE_INFINITY : first + span;
				// Excluded-ness belongs to a URL, as the rules decide it from the URL alone.
				const excludedUrl = new Map<string, boolean>();
				const pageImages = pages.map(list =>
					list.map(({url, excluded}) => {
						if (!excludedUrl.has(url)) {
							excludedUrl.set(url, excluded);
						}

						return {url, source: 'img' as const, ...(excludedUrl.get(url) ? {excluded: true as const} : {})};
					}),
				);
				const order = [...new Set(pageImages.flat().map(each => each.url))].filter(url => !excludedUrl.get(url));
				const intake = new ImageIntake({first, last});
				const taken = pageImages.flatMap(list => intake.take(list).taken.map(each => each.url));
				assert.deepEqual(taken, order.slice(first - 1, last));
				assert.equal(intake.complete, order.length >= last);
			},
		),
	);
});

test('without a range every new URL is taken once, and positions are places on the page', () => {
	const intake = new ImageIntake(undefined);
	const first = intake.take(found('https://x.test/a.jpg', 'https://x.test/b.jpg'));
	const second = intake.take([...found('https://x.test/b.jpg', 'https://x.test/c.jpg'), {url: 'https://x.test/d.jpg', source: 'img', excluded: true}]);
	assert.deepEqual(
		first.taken.map(each => [each.url, each.position]),
		[
			['https://x.test/a.jpg', 1],
			['https://x.test/b.jpg', 2],
		],
	);
	assert.deepEqual(
		second.taken.map(each => [each.url, each.position]),
		[['https://x.test/c.jpg', 2]],
	);
	assert.equal(second.images.length, 3, 'the page still reports every image it holds');
	assert.deepEqual(
		second.excluded.map(each => each.url),
		['https://x.test/d.jpg'],
	);
});
