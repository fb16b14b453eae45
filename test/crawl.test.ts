import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {scrape} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {gbkTitles} from './helpers/gbk-site.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

const site = fileURLToPath(new URL('../../fixtures/gbk-site/', import.meta.url));
const titles = gbkTitles;

type Line = {url: string; page: string; alt?: string; source: string};
const parseLines = (stdout: string) =>
	stdout
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as Line);

test('the GBK site: list gives the thumbnails with their Chinese alt text, in page order', async t => {
	const server = await gallery(t, {site: 'gbk-site'});
	const {code, stdout, stderr} = await runCli(['list', `${server.url}index{_page}.html`, '--pages', '1-3', '--selector', 'ul.clearfix li img']);
	assert.equal(code, 0, stderr);
	const lines = parseLines(stdout);
	assert.deepEqual(
		lines.map(line => line.alt),
		titles,
	);
	assert.deepEqual(
		lines.map(line => new URL(line.url).pathname),
		titles.map((_, index) => `/uploads/allimg/small${index + 1}.jpg`),
	);
	assert.deepEqual([...new Set(lines.map(line => new URL(line.page).pathname))], ['/index.html', '/index_2.html', '/index_3.html']);
});

test('the GBK site: --follow goes to the detail pages and saves the full-size images under their Chinese names', async t => {
	const server = await gallery(t, {site: 'gbk-site'});
	const out = await tempDir(t);
	const {code, stdout, stderr} = await runCli([
		`${server.url}index{_page}.html`,
		'--pages',
		'1-3',
		'--follow',
		'ul.clearfix li a',
		'--selector',
		'.photo-pic img',
		'-o',
		out,
		'--json',
	]);
	assert.equal(code, 0, stderr);
	const report = JSON.parse(stdout) as {pages: number; downloaded: number; pageResults: Array<{url: string; depth: number}>};
	assert.equal(report.pages, 15);
	assert.equal(report.downloaded, 12);
	const names = titles.map(title => `${title.replaceAll(' ', '')}.jpg`);
	assert.deepEqual(await listFiles(out), [...names].sort());
	for (const name of names) {
		assert.deepEqual(await readFile(path.join(out, name)), await readFile(path.join(site, 'uploads/allimg/big', name)), name);
	}

	// Listing page, then its four detail pages, then the next listing page.
	assert.deepEqual(
		report.pageResults.slice(0, 6).map(page => [new URL(page.url).pathname, page.depth]),
		[
			['/index.html', 0],
			['/tupian/1.html', 1],
			['/tupian/2.html', 1],
			['/tupian/3.html', 1],
			['/tupian/4.html', 1],
			['/index_2.html', 0],
		],
	);
	assert.equal(server.stats().image.requests, 12, 'no thumbnail is downloaded when following');
});

test('--next follows the pager from the first page alone, up to --max-pages', async t => {
	const server = await gallery(t, {site: 'gbk-site'});
	const next = 'div.page a:contains("下一页")';
	const all = await runCli(['list', `${server.url}index.html`, '--next', next, '--selector', 'ul.clearfix img']);
	assert.equal(all.code, 0, all.stderr);
	assert.deepEqual(
		parseLines(all.stdout).map(line => line.alt),
		titles,
	);
	assert.equal(server.stats().page.requests, 3);

	const two = await runCli(['list', `${server.url}index.html`, '--next', next, '--max-pages', '2', '--selector', 'ul.clearfix img']);
	assert.deepEqual(
		parseLines(two.stdout).map(line => line.alt),
		titles.slice(0, 8),
	);
});

test('every page is fetched once per run, however many paths lead to it', async t => {
	const server = await gallery(t, {site: 'gbk-site'});
	// The pager links every listing page from every other, and the page range names them too.
	const {code} = await runCli([
		'list',
		`${server.url}index{_page}.html`,
		'--pages',
		'1-3',
		'--next',
		'div.page a',
		'--follow',
		'ul.clearfix a',
		'--selector',
		'.photo-pic img',
	]);
	assert.equal(code, 0);
	assert.equal(server.stats().page.requests, 15);
});

test("links are followed on the start pages' hosts only, unless --allow-host widens it", async t => {
	const server = await gallery(t, {pages: 1, perPage: 2});
	const start = `${server.url}static/crawl/offsite.html`;
	const report = await scrape({urls: [start], follow: 'ul.clearfix a', download: false});
	assert.deepEqual(
		report.pageResults.map(page => new URL(page.url).pathname),
		['/static/crawl/offsite.html', '/tupian/1.html'],
	);
	assert.equal(report.pagesFailed, 0);

	const widened = await scrape({urls: [start], follow: 'ul.clearfix a', allowHost: ['localhost'], download: false});
	assert.deepEqual(
		widened.pageResults.map(page => page.url),
		[start, `${server.url}tupian/1.html`, 'http://localhost:1/tupian/2.html'],
	);
	assert.equal(widened.failuresByCategory.network, 1, 'nothing listens on localhost:1');
});

test('followed pages go through the page pool: its bound holds and is reached', async t => {
	const server = await gallery(t, {pages: 2, perPage: 10, size: 1000, latency: 20});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-2', follow: 'ul.clearfix li a', selector: '.photo-pic img', pageConcurrency: 3, out});
	assert.equal(report.pages, 22);
	assert.equal(report.downloaded, 20);
	assert.equal(server.stats().page.peakInFlight, 3);
});

test('crawl options are checked up front', async () => {
	const rows: Array<[string[], RegExp]> = [
		[['http://127.0.0.1:9/', '--follow', 'a[href'], /--follow: expected a CSS selector/],
		[['http://127.0.0.1:9/', '--selector', 'img:nonsense'], /--selector: expected a CSS selector/],
		[['http://127.0.0.1:9/', '--depth', '2'], /--depth needs `follow`/],
		[['http://127.0.0.1:9/', '--max-pages', '2'], /--max-pages needs `next`/],
		[['http://127.0.0.1:9/', '--follow', 'a', '--depth', '0'], /--depth/],
		[['http://127.0.0.1:9/', '--follow', 'a', '--allow-host', 'http://x/'], /--allow-host/],
	];
	for (const [args, message] of rows) {
		const {code, stderr} = await runCli(args);
		assert.equal(code, 2, args.join(' '));
		assert.match(stderr, message);
	}
});
