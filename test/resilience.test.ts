import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {sampleImage, sampleTypes} from '../src/fixture-server/samples.js';
import {faultPage, scrapeWithEvents} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

/** The bytes `/fault/.../NAME` sends on success (JPEG unless NAME ends in .png). */
function expected(name: string, size = 2000): Buffer {
	return sampleImage(name.endsWith('.png') ? 'png' : 'jpg', name, size);
}

test('a 503, 503, 200 sequence is retried to success, and each retry is counted', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report, events} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/status/503,503,200/a.jpg'])], out});
	assert.equal(report.downloaded, 1);
	assert.equal(report.failed, 0);
	assert.equal(report.retries, 2);
	assert.deepEqual(
		events.flatMap(event => (event.type === 'retry' ? [[event.attempt, event.code]] : [])),
		[
			[1, 'http-503'],
			[2, 'http-503'],
		],
	);
	assert.equal(server.stats().image.requests, 3);
	assert.deepEqual(await readFile(path.join(out, 'a.jpg')), expected('a.jpg'));
});

test('a 404 is not retried; a 503 that never ends fails after the retry budget, with its category', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/status/404/gone.jpg', '/fault/status/503/busy.jpg'])], out, retries: 2});
	assert.equal(report.failed, 2);
	assert.equal(report.retries, 2);
	assert.deepEqual(report.failuresByCategory, {'http-404': 1, 'http-503': 1});
	assert.equal(server.stats().image.requests, 1 + 3);
	assert.deepEqual(await listFiles(out), []);
});

test('Retry-After is honoured, in seconds or as a date, and capped by maxRetryAfter', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report, events} = await scrapeWithEvents({
		urls: [faultPage(server, ['/fault/retry-after/0/now.jpg', '/fault/retry-after/120/seconds.jpg', '/fault/retry-after/date-3600/date.jpg'])],
		out,
		maxRetryAfter: 40,
		concurrency: 1,
	});
	assert.equal(report.downloaded, 3);
	const delays = Object.fromEntries(events.flatMap(event => (event.type === 'retry' ? [[path.basename(event.url), [event.code, event.delayMs]]] : [])));
	assert.deepEqual(delays, {'now.jpg': ['http-429', 0], 'seconds.jpg': ['http-429', 40], 'date.jpg': ['http-429', 40]});
});

test('a listing page is retried like an image', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/ok/p.jpg'], 'status/502,200/list.html')], out});
	assert.equal(report.pages, 1);
	assert.equal(report.retries, 1);
	assert.equal(report.downloaded, 1);
	assert.equal(server.stats().page.requests, 2);
});

test('a reset in mid-body is a network error and is retried; the file is whole', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report, events} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/reset/r.jpg?times=1&size=300000'])], out});
	assert.equal(report.downloaded, 1);
	assert.deepEqual(
		events.flatMap(event => (event.type === 'retry' ? [event.code] : [])),
		['network'],
	);
	assert.deepEqual(await readFile(path.join(out, 'r.jpg')), expected('r.jpg', 300_000));
	assert.deepEqual(await listFiles(out), ['r.jpg']);
});

test('a body shorter than its Content-Length is `truncated`: retried, and a failure when it persists', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report, events} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/short/once.jpg?times=1', '/fault/short/always.jpg'])], out, retries: 1});
	assert.equal(report.downloaded, 1);
	assert.deepEqual(report.failuresByCategory, {truncated: 1});
	assert.match(report.failures[0]!.message, /ended after 1000 of 2000 bytes/);
	assert.deepEqual(
		events.flatMap(event => (event.type === 'retry' ? [event.code] : [])),
		['truncated', 'truncated'],
	);
	assert.deepEqual(await listFiles(out), ['once.jpg']);
});

test('a body that stalls fails as `timeout` after --timeout; one that drips fails at the deadline', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const stall = await scrapeWithEvents({urls: [faultPage(server, ['/fault/stall/stall.jpg'])], out, retries: 0, timeout: 300, deadline: 0});
	assert.deepEqual(stall.report.failuresByCategory, {timeout: 1});
	assert.doesNotMatch(stall.report.failures[0]!.message, /deadline/);
	// Each byte comes well within the idle timeout, so only the deadline can end it.
	const drip = await scrapeWithEvents({urls: [faultPage(server, ['/fault/drip/20/drip.jpg'])], out, retries: 0, timeout: 10_000, deadline: 400});
	assert.deepEqual(drip.report.failuresByCategory, {timeout: 1});
	assert.match(drip.report.failures[0]!.message, /400 ms deadline/);
	assert.deepEqual(await listFiles(out), [], 'no partial or temporary file');
});

test('an HTML page sent as image/jpeg is `not-an-image` and is not saved', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/html-as-jpeg/fake.jpg'])], out});
	assert.deepEqual(report.failuresByCategory, {'not-an-image': 1});
	assert.equal(server.stats().image.requests, 1, 'not retried');
	assert.deepEqual(await listFiles(out), []);
});

test('every image type is saved by content, under the extension of its real type', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const sources = sampleTypes.map(type => `/fault/type/${type}/${type}-sample`);
	sources.push('/fault/type/gif/wrong.png', '/fault/type/png/show.php', '/fault/type/jpg/right.jpeg');
	const {report} = await scrapeWithEvents({urls: [faultPage(server, sources)], out});
	assert.equal(report.downloaded, sources.length, JSON.stringify(report.failures));
	const files = await listFiles(out);
	assert.deepEqual(files, [...sampleTypes.map(type => `${type}-sample.${type}`), 'right.jpeg', 'show.php.png', 'wrong.gif'].sort());
	assert.deepEqual(await readFile(path.join(out, 'webp-sample.webp')), sampleImage('webp', 'webp-sample', 2000));
});

test('gzip, deflate and br bodies are decoded before they are checked and saved', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/gzip/g.jpg', '/fault/deflate/d.png', '/fault/br/b.jpg'], 'gzip/list.html')], out});
	assert.equal(report.pages, 1, 'the page itself came gzipped');
	assert.equal(report.downloaded, 3, JSON.stringify(report.failures));
	for (const name of ['g.jpg', 'd.png', 'b.jpg']) {
		assert.deepEqual(await readFile(path.join(out, name)), expected(name), name);
	}

	assert.equal(report.bytes, 3 * 2000, 'bytes count the decoded body');
});

test('redirects: followed up to --max-redirects; loops name the chain; non-http targets are refused', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report} = await scrapeWithEvents({
		urls: [
			faultPage(server, [
				'/fault/redirect/3/three.jpg',
				'/fault/redirect/4/four.jpg',
				'/fault/redirect-loop/loop.jpg',
				'/fault/redirect-to/ftp/x.jpg',
				'/fault/redirect-to/file/etc/passwd',
			]),
		],
		out,
		maxRedirects: 3,
	});
	assert.equal(report.downloaded, 1);
	assert.deepEqual(report.failuresByCategory, {redirect: 4});
	const messages = report.failures.map(failure => failure.message).join('\n');
	assert.match(messages, /more than 3 redirects/);
	assert.match(
		messages,
		/redirect loop: \S+\/fault\/redirect-loop\/loop\.jpg -> \S+\/fault\/redirect-loop-back\/loop\.jpg -> \S+\/fault\/redirect-loop\/loop\.jpg/,
	);
	assert.match(messages, /non-http URL: ftp:\/\/127\.0\.0\.1\/x\.jpg/);
	assert.match(messages, /non-http URL: file:/);
	assert.deepEqual(await listFiles(out), ['three.jpg']);
	const none = await scrapeWithEvents({urls: [faultPage(server, ['/fault/redirect/1/one.jpg'])], out, maxRedirects: 0});
	assert.deepEqual(none.report.failuresByCategory, {redirect: 1});
});

test('--max-size, --min-size and --accept skip images (counted by reason) without saving them', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report, events} = await scrapeWithEvents({
		urls: [
			faultPage(server, [
				'/fault/ok/big.jpg?size=50000',
				'/fault/ok/small.jpg?size=500',
				'/fault/ok/fine.jpg?size=5000',
				'/fault/ok/fine.png?size=5000',
				'/fault/gzip/zipped.jpg?size=60000',
			]),
		],
		out,
		maxSize: '20k',
		minSize: 1000,
		accept: 'jpeg,gif',
	});
	assert.equal(report.downloaded, 1);
	assert.equal(report.failed, 0, 'a filter is not a failure');
	assert.equal(report.skipped, 4);
	assert.deepEqual(report.skippedByReason, {'too-large': 2, 'too-small': 1, filtered: 1});
	const skipped = events.flatMap(event => (event.type === 'image-skipped' ? [[path.basename(event.url).replace(/\?.*/, ''), event.reason]] : []));
	assert.deepEqual(Object.fromEntries(skipped), {'big.jpg': 'too-large', 'small.jpg': 'too-small', 'fine.png': 'filtered', 'zipped.jpg': 'too-large'});
	assert.deepEqual(await listFiles(out), ['fine.jpg']);
});

test('a body of unannounced length is stopped as soon as it passes --max-size', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const size = 64 * 1024 * 1024;
	const {report} = await scrapeWithEvents({
		urls: [faultPage(server, [`/fault/chunked/huge.jpg?size=${size}`, '/fault/chunked/small.jpg?size=3000'])],
		out,
		maxSize: '1MB',
	});
	assert.deepEqual(report.skippedByReason, {'too-large': 1});
	assert.equal(report.downloaded, 1);
	assert.ok(server.stats().bytesSent < size / 4, `the server sent ${server.stats().bytesSent} of ${size} bytes`);
	assert.deepEqual(await listFiles(out), ['small.jpg']);
});

test('--name lays out folders from the fields, and no name can leave the output folder', async t => {
	const server = await gallery(t);
	const root = await tempDir(t);
	const out = path.join(root, 'out');
	const sources = [
		'/fault/ok/..%2F..%2Fescaped.jpg',
		'/fault/ok/%2e%2e%2f%2e%2e%2fescaped2.jpg',
		'/fault/ok/a%5C..%5C..%5Cescaped3.jpg',
		'/fault/disposition/cd.jpg',
		'/fault/ok/deep/er/x.jpg',
	];
	const {report} = await scrapeWithEvents({urls: [faultPage(server, sources)], out, name: '{host}/{path}/{page}-{index}-{name}.{ext}'});
	assert.equal(report.downloaded, 5, JSON.stringify(report.failures));
	assert.deepEqual(await listFiles(root), ['out'], 'nothing beside the output folder');
	const files = (await import('node:fs/promises')).readdir(out, {recursive: true});
	const saved = (await files)
		.map(file => file.split(path.sep).join('/'))
		.filter(file => file.endsWith('.jpg'))
		.sort();
	assert.deepEqual(saved, [
		`127.0.0.1_${server.port}/fault/disposition/1-4-cd.jpg`,
		`127.0.0.1_${server.port}/fault/ok/1-1-_.._escaped.jpg`,
		`127.0.0.1_${server.port}/fault/ok/1-2-_.._escaped2.jpg`,
		`127.0.0.1_${server.port}/fault/ok/1-3-a_.._.._escaped3.jpg`,
		`127.0.0.1_${server.port}/fault/ok/deep/er/1-5-x.jpg`,
	]);
});

test('--dedupe-content keeps identical bytes from different URLs once', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report, events} = await scrapeWithEvents({
		urls: [faultPage(server, ['/fault/ok/a.jpg?seed=same', '/fault/ok/b.jpg?seed=same', '/fault/ok/c.jpg?seed=other'])],
		out,
		dedupeContent: true,
		concurrency: 1,
	});
	assert.equal(report.downloaded, 2);
	assert.deepEqual(report.skippedByReason, {duplicate: 1});
	assert.deepEqual(await listFiles(out), ['a.jpg', 'c.jpg']);
	const duplicate = events.find(event => event.type === 'image-skipped');
	assert.equal(duplicate?.type === 'image-skipped' && path.basename(duplicate.location ?? ''), 'a.jpg');
	const without = await tempDir(t);
	const plain = await scrapeWithEvents({urls: [faultPage(server, ['/fault/ok/a.jpg?seed=same', '/fault/ok/b.jpg?seed=same'])], out: without});
	assert.equal(plain.report.downloaded, 2, 'off by default');
});
