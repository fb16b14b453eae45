import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {scrape, type ScrapeEvent} from '../src/index.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

test('every image of a P x K gallery is saved byte-identical, and the report counts them', async t => {
	const server = await gallery(t, {pages: 3, perPage: 7, size: 5000, format: 'mixed'});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-3', out, concurrency: 4});

	const expected = server.imageUrls();
	assert.equal(expected.length, 21);
	assert.equal(report.pages, 3);
	assert.equal(report.pagesFailed, 0);
	assert.equal(report.images, 21);
	assert.equal(report.downloaded, 21);
	assert.equal(report.failed, 0);
	assert.equal(report.bytes, 21 * 5000);
	assert.equal(report.aborted, false);
	assert.deepEqual(await listFiles(out), expected.map(url => path.posix.basename(new URL(url).pathname)).sort());
	for (const url of expected) {
		const {pathname} = new URL(url);
		assert.deepEqual(await readFile(path.join(out, path.posix.basename(pathname))), server.imageBytes(pathname), pathname);
	}

	assert.equal(server.stats().page.requests, 3);
	assert.equal(server.stats().image.requests, 21);
});

test('page results arrive in page order even when a later page finishes first', async t => {
	const server = await gallery(t, {pages: 4, perPage: 2, size: 1000, pageLatency: {1: 300, 2: 150}});
	const events: ScrapeEvent[] = [];
	const report = await scrape({urls: [server.template], pages: '1-4', download: false, onEvent: event => events.push(event)});
	const pages = events.flatMap(event => (event.type === 'page' ? [event.result.url] : []));
	assert.deepEqual(pages, server.pageUrls());
	assert.deepEqual(
		report.pageResults.map(page => page.url),
		server.pageUrls(),
	);
	assert.equal(server.stats().image.requests, 0, 'download: false fetches no image');
});

test('the download pool reaches its bound and never passes it', async t => {
	const server = await gallery(t, {pages: 5, perPage: 20, size: 2000, latency: 20, jitter: 10});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-5', out, concurrency: 8, pageConcurrency: 5});
	assert.equal(report.downloaded, 100);
	assert.equal(server.stats().image.peakInFlight, 8);
	assert.equal(report.phases.download.peakInFlight, 8);
	assert.equal(report.phases.download.limit, 8);
});

test('the page pool reaches its bound and never passes it', async t => {
	const server = await gallery(t, {pages: 9, perPage: 1, size: 1000, latency: 30});
	const report = await scrape({urls: [server.template], pages: '1-9', download: false, pageConcurrency: 3});
	assert.equal(report.pages, 9);
	assert.equal(server.stats().page.peakInFlight, 3);
	assert.equal(report.phases.pageFetch.peakInFlight, 3);
});

test('downloads start before the last page is served: no barrier between the stages', async t => {
	const server = await gallery(t, {pages: 4, perPage: 5, size: 1000, pageLatency: {4: 1500}, log: true});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-4', out});
	assert.equal(report.downloaded, 20);
	const log = server.log();
	const firstImage = log.find(entry => entry.kind === 'image' && entry.event === 'request');
	const lastPage = log.find(entry => entry.kind === 'page' && entry.event === 'response-end' && entry.path === '/index_4.html');
	assert.ok(firstImage && lastPage);
	assert.ok(firstImage.seq < lastPage.seq, `first image request #${firstImage.seq} came after the last page #${lastPage.seq}`);
	assert.ok(report.firstImageMs !== null && report.firstImageMs < report.phases.pageFetch.maxMs);
});

test('a missing page and a missing image are failures with a category; the rest completes', async t => {
	const server = await gallery(t, {pages: 1, perPage: 3, size: 1000});
	const out = await tempDir(t);
	const report = await scrape({urls: [`${server.url}static/pipeline/broken.html`, `${server.url}index_9.html`], out});
	assert.equal(report.pages, 1);
	assert.equal(report.pagesFailed, 1);
	assert.equal(report.downloaded, 1);
	assert.equal(report.failed, 1);
	assert.deepEqual(report.failuresByCategory, {'http-404': 2});
	assert.deepEqual(
		report.failures.map(failure => [failure.code, new URL(failure.url).pathname]),
		[
			['http-404', '/index_9.html'],
			['http-404', '/uploads/allimg/missing.jpg'],
		],
	);
	assert.deepEqual(await listFiles(out), ['p1-01.jpg']);
});

test('different URLs with the same file name never overwrite each other; one URL is fetched once', async t => {
	const server = await gallery(t, {pages: 1, perPage: 3, size: 1500});
	const out = await tempDir(t);
	const report = await scrape({urls: [`${server.url}static/pipeline/same-name.html`, server.template], pages: [1], out});
	// same-name.html: p1-01.jpg, p1-01.jpg?size=large, p1-02.jpg; the gallery page adds p1-03.jpg.
	assert.equal(report.images, 4);
	assert.equal(report.downloaded, 4);
	const files = await listFiles(out);
	assert.equal(files.length, 4);
	assert.ok(files.includes('p1-01.jpg') && files.includes('p1-02.jpg') && files.includes('p1-03.jpg'));
	assert.match(files.find(file => !['p1-01.jpg', 'p1-02.jpg', 'p1-03.jpg'].includes(file)) ?? '', /^p1-01-[\da-f]{8}\.jpg$/);
	assert.equal(server.stats().image.requests, 4);
});

test('an image on several pages is downloaded once and belongs to the first page; a page given twice is fetched once', async t => {
	const server = await gallery(t, {pages: 2, perPage: 2, size: 1000});
	const out = await tempDir(t);
	const events: ScrapeEvent[] = [];
	const [page1, page2] = server.pageUrls() as [string, string];
	// same-name.html holds p1-01.jpg, p1-01.jpg?size=large and p1-02.jpg; page 1 holds p1-01.jpg and p1-02.jpg.
	const report = await scrape({urls: [`${server.url}static/pipeline/same-name.html`, page1, page2, page1], out, onEvent: event => events.push(event)});
	assert.equal(report.images, 5);
	assert.equal(report.downloaded, 5);
	assert.equal(server.stats().image.requests, 5);
	assert.equal(server.stats().page.requests, 3);
	const pages = events.flatMap(event => (event.type === 'page' ? [event.result] : []));
	assert.deepEqual(
		pages.map(page => page.images.length),
		[3, 2, 2],
	);
	// Which of the first two pages brings p1-01.jpg and p1-02.jpg depends on which is parsed first.
	assert.equal(pages[0]!.newImages + pages[1]!.newImages, 3);
	assert.equal(pages[2]!.newImages, 2);
});

test('cancelling stops the run, reports what was done and leaves no partial or temporary file', async t => {
	const server = await gallery(t, {pages: 4, perPage: 25, size: 400_000, latency: 10});
	const out = await tempDir(t);
	const controller = new AbortController();
	let done = 0;
	const report = await scrape({
		urls: [server.template],
		pages: '1-4',
		out,
		concurrency: 4,
		signal: controller.signal,
		onEvent(event) {
			if (event.type === 'image-done' && ++done === 3) {
				controller.abort();
			}
		},
	});
	assert.equal(report.aborted, true);
	assert.ok(report.downloaded >= 3 && report.downloaded < 100, `downloaded ${report.downloaded}`);
	assert.equal(report.failed, 0, 'cancelled items are not failures');
	const files = await listFiles(out);
	assert.equal(files.length, report.downloaded);
	for (const file of files) {
		assert.ok(!file.startsWith('.'), `stray temporary file ${file}`);
		assert.deepEqual(await readFile(path.join(out, file)), server.imageBytes(`/uploads/allimg/${file}`), file);
	}
});

test('an already-aborted signal does no work at all', async t => {
	const server = await gallery(t, {pages: 2, perPage: 2});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-2', out, signal: AbortSignal.abort()});
	assert.equal(report.aborted, true);
	assert.equal(report.pages, 0);
	assert.equal(server.stats().requests, 0);
});

test('a page waits while the download backlog is long, so memory stays bounded on huge crawls', async t => {
	// One page at a time: page 1 queues 2,500 downloads, more than the backlog of 2,000 allows.
	const server = await gallery(t, {pages: 2, perPage: 2500, size: 300, log: true});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-2', out, pageConcurrency: 1, concurrency: 16});
	assert.equal(report.downloaded, 5000);
	const log = server.log();
	const page2 = log.findIndex(entry => entry.path === '/index_2.html' && entry.event === 'request');
	const imagesBefore = log.slice(0, page2).filter(entry => entry.kind === 'image' && entry.event === 'request').length;
	// Without flow control page 2 follows page 1's parse at once, about 16 image requests in.
	assert.ok(imagesBefore >= 480, `page 2 was requested after only ${imagesBefore} image requests`);
});
