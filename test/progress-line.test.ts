import assert from 'node:assert/strict';
import {test} from 'node:test';
import {eta, formatClock, pageLine, type ProgressCounts, progressLine, requestLine} from '../src/cli/progress-line.js';

const counts = (overrides: Partial<ProgressCounts>): ProgressCounts => ({
	pagesQueued: 10,
	pagesDone: 10,
	pagesFailed: 0,
	found: 400,
	saved: 60,
	failed: 3,
	skipped: 2,
	bytes: 6_500_000,
	elapsedMs: 4000,
	...overrides,
});

test('the live line has pages, images, failed, skipped, bytes, rates, elapsed and an ETA', () => {
	assert.equal(
		progressLine(counts({}), {downloads: true}),
		'pages 10/10 · images 65/400 · 3 failed · 2 skipped · 6.50 MB · 1.63 MB/s · 15.0 img/s · 0:04 · ETA 0:21',
	);
});

test('the ETA is exact once every known page is read, an estimate (~) before, and absent with nothing settled or left', () => {
	// 65 of 400 settled in 4 s: 335 left at 16.25 per second.
	assert.equal(eta(counts({})), 'ETA 0:21');
	// Half the pages read: about 800 images in all.
	assert.equal(eta(counts({pagesDone: 5})), 'ETA ~0:45');
	assert.equal(eta(counts({saved: 0, failed: 0, skipped: 0})), undefined);
	assert.equal(eta(counts({found: 65})), undefined);
});

test('a run that skips everything shows no byte rate, not 0 B/s', () => {
	const line = progressLine(counts({saved: 0, failed: 0, skipped: 80, found: 80, bytes: 0}), {downloads: true});
	assert.equal(line, 'pages 10/10 · images 80/80 · 80 skipped · 0:04');
	assert.doesNotMatch(line, /B\/s/);
});

test('failed pages show beside the pages count; list mode counts images found', () => {
	assert.match(progressLine(counts({pagesFailed: 2}), {downloads: true}), /^pages 10\/10 \(2 failed\) · /);
	assert.equal(progressLine(counts({}), {downloads: false}), 'pages 10/10 · images 400 · 0:04');
});

test('on a narrow terminal the least useful parts go first, and the line fits', () => {
	for (const columns of [77, 60, 40, 30]) {
		const line = progressLine(counts({}), {downloads: true, columns});
		assert.ok(line.length <= columns, `${columns}: ${line}`);
		assert.match(line, /images 65\/400/, 'the images count stays');
	}

	assert.equal(progressLine(counts({}), {downloads: true, columns: 60}), 'pages 10/10 · images 65/400 · 3 failed · 0:04 · ETA 0:21');
});

test('the clock reads minutes and seconds, hours past one', () => {
	assert.equal(formatClock(0), '0:00');
	assert.equal(formatClock(65_400), '1:05');
	assert.equal(formatClock(7_390_000), '2:03:10');
});

test('a page line says why a page failed, in plain words', () => {
	const failed = {
		index: 2,
		url: 'http://x/3.html',
		depth: 0,
		ok: false,
		images: [],
		newImages: 0,
		error: {url: 'http://x/3.html', code: 'http-404', message: 'HTTP 404', reason: 'HTTP 404 Not Found'},
	};
	assert.equal(pageLine(failed), 'page 3 http://x/3.html: failed: http-404: HTTP 404 Not Found');
	const one = {index: 0, url: 'http://x/', depth: 1, ok: true, images: [{url: 'http://x/a.jpg', source: 'img' as const}], newImages: 1};
	assert.equal(pageLine(one), '  page 1 http://x/: 1 image, 1 new');
});

test('a request line: method, URL, status, bytes and time, or why it failed', () => {
	assert.equal(
		requestLine({method: 'GET', url: 'http://x/a.jpg', purpose: 'image', status: 200, bytes: 12_300, ms: 15}),
		'GET http://x/a.jpg 200 12.3 kB 15 ms',
	);
	assert.equal(
		requestLine({method: 'GET', url: 'http://x/', purpose: 'page', bytes: 0, ms: 3, error: {code: 'network', reason: 'connection refused at 127.0.0.1:9'}}),
		'GET http://x/ failed after 3.0 ms: connection refused at 127.0.0.1:9',
	);
});
