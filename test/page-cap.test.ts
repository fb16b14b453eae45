/**
What a run says about a page it could not take whole: cut at --max-per-page,
or a selector stopped at its bound. The page itself is fine, so neither is a
failure; both show in the page result, the progress, and the report.
*/
import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {scrape} from '../src/scraper/scrape.js';
import type {PageResult} from '../src/types.js';
import {runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

test("maxPerPage cuts a page's images, and the page result, the report and its counts say so", async t => {
	const server = await gallery(t, {pages: 2, perPage: 12});
	const pages: PageResult[] = [];
	const report = await scrape({
		urls: [server.template],
		pages: '1-2',
		download: false,
		maxPerPage: 5,
		onEvent(event) {
			if (event.type === 'page') {
				pages.push(event.result);
			}
		},
	});
	assert.deepEqual(
		pages.map(page => [page.images.length, page.capped]),
		[
			[5, ['images']],
			[5, ['images']],
		],
	);
	assert.deepEqual(
		pages[0]!.images.map(image => image.url),
		server.imageUrls().slice(0, 5),
	);
	assert.equal(report.pagesCapped, 2);
	assert.equal(report.images, 10);
	assert.deepEqual(
		report.pageResults.map(row => row.capped),
		[['images'], ['images']],
	);
	assert.equal(report.pagesFailed, 0);
	const whole = await scrape({urls: [server.template], pages: '1-2', download: false, maxPerPage: 12});
	assert.equal(whole.pagesCapped, 0);
	assert.equal(whole.pageResults[0]!.capped, undefined);
});

test('--max-per-page: list, the progress lines and the human report show the cut; --json counts it', async t => {
	const server = await gallery(t, {pages: 1, perPage: 12, size: 500});
	const [page] = server.pageUrls();
	const listed = await runCli(['list', page!, '--max-per-page', '5']);
	assert.equal(listed.code, 0, listed.stderr);
	assert.equal(listed.stdout.trim().split('\n').length, 5);
	assert.equal(listed.stderr, `imgscrape: ${page}: cut at --max-per-page (images)\n`);

	const out = await tempDir(t);
	const saved = await runCli([page!, '--max-per-page', '5', '-o', out]);
	assert.equal(saved.code, 0, saved.stderr);
	assert.match(saved.stderr, new RegExp(`^page 1 ${page}: 5 images, 5 new, cut at --max-per-page \\(images\\)$`, 'm'));
	assert.match(saved.stderr, /^ {2}1 page held more than --max-per-page allows: the rest of its images or links were left out$/m);
	const json = await runCli([page!, '--max-per-page', '5', '-o', out, '--json', '-q']);
	const report = JSON.parse(json.stdout) as {pagesCapped: number; skipped: number};
	assert.equal(report.pagesCapped, 1);
	assert.equal(report.skipped, 5, 'the same 5 images, already saved');
});

test('--max-per-page takes a whole number from 1 up: anything else is a usage error', async () => {
	for (const value of ['0', '-1', '2.5', 'lots']) {
		const {code, stdout, stderr} = await runCli(['list', 'http://127.0.0.1:9/', '--max-per-page', value]);
		assert.equal(code, 2, stderr);
		assert.match(stderr, new RegExp(`^imgscrape: --max-per-page: expected (a whole number from 1 and up|a number), got \`${value}\`\n$`));
		assert.equal(stdout, '');
	}
});

test('a next selector stopped at its bound is a warning on a page that is fine: its images are all reported', async t => {
	const dir = await tempDir(t);
	await mkdir(path.join(dir, 'deep'));
	// :has() inside :has() on 30,000 nested <div>s visits every pair of them: far past the selector's bound.
	const server = await gallery(t, {pages: 1, perPage: 2, size: 500, staticDir: dir});
	const [first, last] = server.imageUrls();
	await writeFile(path.join(dir, 'deep', 'page.html'), `<img src="${first}">${'<div>'.repeat(30_000)}<img src="${last}">`);
	const deep = `${server.url}static/deep/page.html`;
	const report = await scrape({urls: [deep], download: false, next: 'div:has(div:has(b))'});
	assert.equal(report.pagesFailed, 0);
	assert.equal(report.images, 2, 'both images, the one after the deep part too');
	assert.equal(report.warnings.length, 1);
	assert.equal(report.warnings[0]!.url, deep);
	assert.match(
		report.warnings[0]!.message,
		/^next selector `div:has\(div:has\(b\)\)` stopped matching partway, past its bound of \d+ steps on (this page|one element): next-page links after that point were not taken$/,
	);

	const out = await tempDir(t);
	const {code, stderr} = await runCli([deep, '--next', 'div:has(div:has(b))', '-o', out]);
	assert.equal(code, 0, stderr);
	assert.match(stderr, /^ {2}warning: next selector `div:has\(div:has\(b\)\)` stopped matching partway/m);
	assert.match(stderr, new RegExp(`^ {2}warnings: 1\\n {4}page {2}${deep.replaceAll('.', '\\.')}: next selector`, 'm'));
});
