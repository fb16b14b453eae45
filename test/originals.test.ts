/**
The images the user means, end to end against the fixture server: pixel-size
bounds read from the streaming body (a large image out of bounds is stopped,
not read), width and height on the manifest line and the image-done event,
URL rewrites with their 404/410 fallback, include/exclude, the variant rule,
and ranges taken in page order whatever the concurrency.
*/
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {manifestName} from '../src/download/manifest.js';
import type {ScrapeEvent} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {faultPage, scrapeWithEvents} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

interface Line {
	url: string;
	file: string;
	width?: number;
	height?: number;
}

async function manifestLines(out: string): Promise<Line[]> {
	const text = await readFile(path.join(out, manifestName), 'utf8');
	return text
		.split('\n')
		.filter(line => line !== '')
		.map(line => JSON.parse(line) as Line);
}

function skips(events: ScrapeEvent[]): Record<string, string> {
	return Object.fromEntries(events.flatMap(event => (event.type === 'image-skipped' ? [[new URL(event.url).pathname.split('/').pop()!, event.reason]] : [])));
}

test('--min-width/--min-height/--max-width/--max-height keep exactly the images within, in every format', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	// Name: what the bounds say of it. Bounds: width 200..1000, height 100..800.
	const images = [
		'/fault/sized/in.jpg?px=640x480',
		'/fault/sized/narrow.jpg?px=150x480',
		'/fault/sized/in.png?px=200x100',
		'/fault/sized/short.png?px=640x99',
		'/fault/sized/in.gif?px=1000x800',
		'/fault/sized/wide.gif?px=1001x800',
		'/fault/sized/in.webp?px=800x600',
		'/fault/sized/tall.webp?px=800x801',
		'/fault/sized/in.avif?px=500x500',
		'/fault/sized/tiny.avif?px=16x16',
		'/fault/sized/in.bmp?px=300x200',
		'/fault/sized/tiny.bmp?px=32x32',
		'/fault/sized/in.ico?px=256x256',
		'/fault/sized/tiny.ico?px=48x48',
		'/fault/sized/in.tiff?px=900x700',
		'/fault/sized/wide.tiff?px=3000x700',
		'/fault/sized/in.svg?px=400x300',
		'/fault/sized/tiny.svg?px=24x24',
	];
	const {report, events} = await scrapeWithEvents({
		urls: [faultPage(server, images)],
		out,
		minWidth: 200,
		minHeight: 100,
		maxWidth: 1000,
		maxHeight: 800,
	});
	const kept = ['in.avif', 'in.bmp', 'in.gif', 'in.ico', 'in.jpg', 'in.png', 'in.svg', 'in.tiff', 'in.webp'];
	assert.deepEqual(await listFiles(out), kept);
	assert.equal(report.downloaded, 9);
	assert.equal(report.failed, 0);
	assert.deepEqual(report.skippedByReason, {dimensions: 9});
	assert.deepEqual(
		Object.values(skips(events)).filter(reason => reason !== 'dimensions'),
		[],
	);
	// Every saved image has its size on its manifest line and its image-done event.
	const px = new Map(images.map(image => [/sized\/([^?]+)/.exec(image)![1]!, /px=(\d+)x(\d+)/.exec(image)!]));
	const declared = (file: string) => ({width: Number(px.get(file)![1]), height: Number(px.get(file)![2])});
	const lines = await manifestLines(out);
	assert.equal(lines.length, 9);
	for (const line of lines) {
		assert.deepEqual({width: line.width, height: line.height}, declared(line.file), line.file);
	}

	const done = events.flatMap(event => (event.type === 'image-done' ? [event] : []));
	assert.equal(done.length, 9);
	for (const event of done) {
		assert.deepEqual({width: event.width, height: event.height}, declared(path.basename(event.location)), event.url);
	}

	assert.equal(report.dimensionsUnknown, 0);
});

test('a large image out of bounds is stopped as soon as its size is known: the rest is never sent', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const size = 32 * 1024 * 1024;
	const {report} = await scrapeWithEvents({urls: [faultPage(server, [`/fault/sized/huge.png?px=6000x4000&size=${size}`])], out, maxWidth: 4000});
	assert.deepEqual(report.skippedByReason, {dimensions: 1});
	assert.equal(report.downloaded, 0);
	assert.equal(report.bytes, 0);
	assert.deepEqual(await listFiles(out), []);
	const stats = server.stats();
	assert.equal(stats.image.requests, 1, 'a size skip is not retried');
	assert.equal(stats.closedEarly, 1, 'the connection was closed before the body was all sent');
	// What sits in socket buffers is sent; the body is not.
	assert.ok(stats.bytesSent < size / 4, `${stats.bytesSent} of ${size} bytes sent`);
});

test('a small image out of bounds is read to its end, keeping its connection', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/sized/icon.png?px=16x16&size=20000'])], out, minWidth: 100});
	assert.deepEqual(report.skippedByReason, {dimensions: 1});
	assert.equal(server.stats().closedEarly, 0);
	assert.deepEqual(await listFiles(out), []);
});

test('an image whose size is not in its first megabyte is kept, without a size, and counted', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report, events} = await scrapeWithEvents({
		urls: [faultPage(server, ['/fault/sized/deep.jpg?px=50x50&exif=1100000', '/fault/sized/early.jpg?px=50x50&exif=900000'])],
		out,
		minWidth: 100,
	});
	// The first has its frame header past the first megabyte: kept; the second's is found, and it is too narrow.
	assert.deepEqual(await listFiles(out), ['deep.jpg']);
	assert.equal(report.dimensionsUnknown, 1);
	assert.deepEqual(report.skippedByReason, {dimensions: 1});
	const [line] = await manifestLines(out);
	assert.equal(line?.width, undefined);
	const done = events.find(event => event.type === 'image-done');
	assert.ok(done?.type === 'image-done' && done.width === undefined && !('width' in done));
});

test('--exclude and --include skip images before any request; list marks them excluded', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const page = faultPage(server, ['/fault/ok/keep-1.jpg', '/fault/ok/ad-banner.jpg', '/fault/ok/keep-2.png', '/fault/ok/spacer.jpg', '/fault/ok/other.jpg']);
	const {report, events} = await scrapeWithEvents({urls: [page], out, include: ['keep', 'banner|spacer'], exclude: 'ad-'});
	assert.deepEqual(await listFiles(out), ['keep-1.jpg', 'keep-2.png', 'spacer.jpg']);
	assert.deepEqual(report.skippedByReason, {excluded: 2});
	assert.deepEqual(skips(events), {'ad-banner.jpg': 'excluded', 'other.jpg': 'excluded'});
	assert.equal(server.stats().image.requests, 3, 'excluded images are never fetched');

	const listed = await runCli(['list', page, '--include', 'keep', '--include', 'banner|spacer', '--exclude', 'ad-']);
	assert.equal(listed.code, 0, listed.stderr);
	const lines = listed.stdout
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {url: string; excluded?: boolean});
	assert.deepEqual(
		lines.map(line => [path.basename(line.url), line.excluded ?? false]),
		[
			['keep-1.jpg', false],
			['ad-banner.jpg', true],
			['keep-2.png', false],
			['spacer.jpg', false],
			['other.jpg', true],
		],
	);
});

test('--rewrite turns thumbnails into originals; a rewrite answering 404/410 falls back to the URL as found', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const page = faultPage(server, ['/fault/sized/thumbs/a.jpg?px=150x100', '/fault/ok/thumbs/b.jpg', '/fault/status/404/thumbs/c.jpg']);
	const rewrite = [String.raw`s#/thumbs/(\w+)\.jpg\?px=\d+x\d+#/full/$1.jpg#`, 's#/fault/ok/thumbs/#/fault/status/410/#'];
	const {report, events} = await scrapeWithEvents({urls: [page], out, rewrite, retries: 0});
	assert.equal(report.downloaded, 2);
	assert.equal(report.fallbacks, 1);
	// c was not rewritten: its 404 is a failure like any other.
	assert.deepEqual(report.failuresByCategory, {'http-404': 1});
	assert.deepEqual(await listFiles(out), ['a.jpg', 'b.jpg']);
	const lines = await manifestLines(out);
	const byFile = Object.fromEntries(lines.map(line => [line.file, line]));
	assert.equal(new URL(byFile['a.jpg']!.url).pathname, '/fault/sized/full/a.jpg');
	assert.deepEqual([byFile['a.jpg']!.width, byFile['a.jpg']!.height], [1600, 1200], 'the original, not the thumbnail');
	assert.equal(new URL(byFile['b.jpg']!.url).pathname, '/fault/ok/thumbs/b.jpg', 'the fallback is recorded under the URL it came from');
	const fallback = events.find(event => event.type === 'image-fallback');
	assert.ok(fallback?.type === 'image-fallback');
	assert.equal(new URL(fallback.url).pathname, '/fault/status/410/b.jpg');
	assert.equal(new URL(fallback.original).pathname, '/fault/ok/thumbs/b.jpg');
	assert.equal(fallback.code, 'http-410');
	// a: the original only; b: the rewrite then the thumbnail; c: once.
	assert.equal(server.stats().image.requests, 4);

	const listed = await runCli(['list', page, '--rewrite', rewrite[0]!, '--rewrite', rewrite[1]!]);
	const first = JSON.parse(listed.stdout.split('\n')[0]!) as {url: string; original: string};
	assert.equal(new URL(first.url).pathname, '/fault/sized/full/a.jpg');
	assert.equal(new URL(first.original).pathname, '/fault/sized/thumbs/a.jpg');
	const third = JSON.parse(listed.stdout.split('\n')[2]!) as {url: string; original?: string};
	assert.equal(third.original, undefined, 'an image no rule changed has no original');
});

test('the variant rule takes the largest of -WxH and @Nx copies; --variants all takes every one', async t => {
	const server = await gallery(t);
	const copies = [
		'/fault/sized/up/p-300x200.jpg',
		'/fault/sized/up/p-1024x683.jpg',
		'/fault/sized/up/q-300x200.jpg',
		'/fault/sized/up/p.jpg',
		'/fault/sized/up/q-768x512.jpg',
		'/fault/sized/icons/i.png?px=32x32',
		'/fault/sized/icons/i@2x.png?px=32x32',
	];
	const page = faultPage(server, copies);
	const out = await tempDir(t);
	const {report} = await scrapeWithEvents({urls: [page], out});
	assert.equal(report.images, 3);
	assert.deepEqual(await listFiles(out), ['i@2x.png', 'p.jpg', 'q-768x512.jpg']);
	const sizes = Object.fromEntries((await manifestLines(out)).map(line => [line.file, `${line.width}x${line.height}`]));
	assert.deepEqual(sizes, {'p.jpg': '1600x1200', 'q-768x512.jpg': '768x512', 'i@2x.png': '64x64'});
	assert.equal(server.stats().image.requests, 3, 'the smaller copies are never fetched');

	const all = await tempDir(t);
	const every = await scrapeWithEvents({urls: [page], out: all, variants: 'all'});
	assert.equal(every.report.downloaded, copies.length);
});

test('--range takes the same images by position in page order at -c 1 and -c 32, and fetches no page past it', async t => {
	const server = await gallery(t, {pages: 6, perPage: 5, size: 3000, pageLatency: {1: 30}});
	const wanted = server
		.imageUrls()
		.slice(6, 13)
		.map(url => path.basename(url))
		.sort();
	for (const concurrency of [1, 32]) {
		const out = await tempDir(t);
		server.resetStats();
		const {report} = await scrapeWithEvents({urls: server.pageUrls(), out, range: '7-13', concurrency, pageConcurrency: 1});
		assert.deepEqual(await listFiles(out), wanted, `-c ${concurrency}`);
		assert.equal(report.downloaded, 7);
		// Position 13 is on page 3: pages 4 to 6 are never fetched.
		assert.equal(server.stats().page.requests, 3, `-c ${concurrency}`);
	}

	// Pages in flight may finish, but what is taken does not depend on which arrives first (page 1 is the slowest).
	const out = await tempDir(t);
	await scrapeWithEvents({urls: server.pageUrls(), out, range: '7-13', concurrency: 32, pageConcurrency: 6});
	assert.deepEqual(await listFiles(out), wanted);
});

test('--limit N is --range 1-N; list prints the same images', async t => {
	const server = await gallery(t, {pages: 3, perPage: 4, size: 3000});
	const out = await tempDir(t);
	const {report} = await scrapeWithEvents({urls: server.pageUrls(), out, limit: 6, pageConcurrency: 3});
	assert.equal(report.downloaded, 6);
	const firstSix = server.imageUrls().slice(0, 6);
	assert.deepEqual(await listFiles(out), firstSix.map(url => path.basename(url)).sort());
	const listed = await runCli(['list', ...server.pageUrls(), '--limit', '6']);
	assert.equal(listed.code, 0, listed.stderr);
	assert.deepEqual(
		listed.stdout
			.trim()
			.split('\n')
			.map(line => (JSON.parse(line) as {url: string}).url),
		firstSix,
	);
	const open = await runCli(['list', ...server.pageUrls(), '--range', '10-']);
	assert.deepEqual(
		open.stdout
			.trim()
			.split('\n')
			.map(line => (JSON.parse(line) as {url: string}).url),
		server.imageUrls().slice(9),
	);
});

test('bad image options are usage errors: one line, exit 2', async () => {
	const cases: Array<[string[], RegExp]> = [
		[['--include', '(unclosed'], /--include.*valid JavaScript regular expression.*Invalid regular expression/],
		[['--exclude', '*.gif'], /--exclude/],
		[['--rewrite', 's/a/b'], /--rewrite.*three parts/],
		[['--rewrite', 'thumbs'], /--rewrite.*s\/REGEX\/REPLACEMENT\/FLAGS/],
		[['--rewrite', 's/(/x/'], /--rewrite.*Invalid regular expression/],
		[['--rewrite', 's/a/b/q'], /--rewrite.*Invalid flags/],
		[['--range', '5-2'], /--range/],
		[['--range', 'first'], /--range/],
		[['--range', '0-3'], /--range/],
		[['--range', '1-3', '--limit', '3'], /--range or --limit/],
		[['--limit', '0'], /--limit/],
		[['--abort', '0'], /--abort/],
		[['--min-width', '-1'], /--min-width/],
		[['--min-width', '500', '--max-width', '100'], /--min-width \(500\) to be at most --max-width \(100\)/],
		[['--variants', 'smallest'], /--variants: expected one of largest, all, got `smallest`/],
	];
	for (const [flags, message] of cases) {
		const {code, stdout, stderr} = await runCli(['http://127.0.0.1:9/', ...flags]);
		assert.equal(code, 2, `${flags.join(' ')}: ${stderr}`);
		// One line says what is wrong (yargs adds a pointer to --help after its own).
		assert.match(stderr.split('\n')[0]!, message, flags.join(' '));
		assert.doesNotMatch(stderr, /\n\s+at /, flags.join(' '));
		assert.equal(stdout, '');
	}
});

test('start URLs that answer with an image are saved as images, whatever their extension: list | jq -r .url | imgscrape -i -', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const page = faultPage(server, ['/fault/ok/from-page.jpg']);
	const listed = await runCli(['list', faultPage(server, ['/fault/sized/a.jpg?px=640x480', '/fault/type/png/shown.php', '/fault/type/svg/logo'])]);
	assert.equal(listed.code, 0, listed.stderr);
	const urls = listed.stdout
		.trim()
		.split('\n')
		.map(line => (JSON.parse(line) as {url: string}).url);
	assert.equal(urls.length, 3);
	server.resetStats();
	// The images, and one page among them, which is still read as a page.
	const {code, stderr} = await runCli(['-i', '-', '-o', out, '-q'], {stdin: `${[...urls, page].join('\n')}\n`});
	assert.equal(code, 0, stderr);
	assert.deepEqual(await listFiles(out), ['a.jpg', 'from-page.jpg', 'logo.svg', 'shown.php.png']);
	// Each image once: the body fetched as a start page is the one saved, not fetched again.
	assert.equal(server.stats().image.requests, 3 + 1);
	assert.equal(server.stats().page.requests, 1);
	const sizes = Object.fromEntries((await manifestLines(out)).map(line => [line.file, line.width]));
	assert.equal(sizes['a.jpg'], 640);

	const again = await runCli(['list', ...urls.slice(0, 1)]);
	assert.deepEqual(JSON.parse(again.stdout) as unknown, {url: urls[0], page: urls[0], source: 'direct'});
});

test('--abort N stops once N images in a row in page order were already saved, and fetches no page after', async t => {
	const server = await gallery(t, {pages: 4, perPage: 5, size: 3000});
	const out = await tempDir(t);
	// An earlier run saved what were then the newest: pages 2 to 4 of today.
	const first = await scrapeWithEvents({urls: server.pageUrls().slice(1), out});
	assert.equal(first.report.downloaded, 15);
	server.resetStats();
	const {code, stdout, stderr} = await runCli([...server.pageUrls(), '-o', out, '--abort', '3', '--page-concurrency', '1', '--json']);
	assert.equal(code, 0, stderr);
	const report = JSON.parse(stdout) as {downloaded: number; caughtUp: boolean; skippedByReason: Record<string, number>};
	assert.equal(report.caughtUp, true);
	assert.equal(report.downloaded, 5, "page 1's new images");
	// Page 2's first three are the three in a row: skipped as saved, and the rest of the run is not needed.
	assert.deepEqual(report.skippedByReason, {exists: 3});
	assert.equal(server.stats().page.requests, 2);
	assert.equal(server.stats().image.requests, 5);
	// Not caught up: every image is taken.
	const fresh = await tempDir(t);
	const none = await scrapeWithEvents({urls: server.pageUrls(), out: fresh, abort: 3});
	assert.equal(none.report.caughtUp, false);
	assert.equal(none.report.downloaded, 20);
});

test('--pages N- goes on until a page answers 404 (no failure) or holds nothing new, one listing page after another', async t => {
	const server = await gallery(t, {pages: 5, perPage: 3, size: 3000});
	const out = await tempDir(t);
	const {code, stdout, stderr} = await runCli([server.template, '--pages', '2-', '-o', out, '--json']);
	assert.equal(code, 0, stderr);
	const report = JSON.parse(stdout) as {pages: number; pagesFailed: number; downloaded: number};
	assert.deepEqual([report.pages, report.pagesFailed, report.downloaded], [4, 0, 12]);
	// Pages 2 to 5, and page 6 that answered 404.
	assert.equal(server.stats().page.requests, 5);
	assert.deepEqual(
		await listFiles(out),
		server
			.imageUrls()
			.slice(3)
			.map(url => path.basename(url))
			.sort(),
	);

	// A site that answers every page number with the same page ends at the second.
	server.resetStats();
	const same = await runCli(['list', `${server.url}fault/ok/list{page}.html?src=/fault/ok/a.jpg`, '--pages', '1-']);
	assert.equal(same.code, 0, same.stderr);
	assert.equal(same.stdout.trim().split('\n').length, 1);
	assert.equal(server.stats().page.requests, 2);

	// The first page missing is a failure: the range is empty.
	const missing = await runCli(['list', server.template, '--pages', '9-']);
	assert.equal(missing.code, 1);
	assert.match(missing.stderr, /http-404/);
});
