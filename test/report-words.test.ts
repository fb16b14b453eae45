import assert from 'node:assert/strict';
import {createServer} from 'node:net';
import {test} from 'node:test';
import {ScrapeError} from '../src/errors.js';
import {formatReport} from '../src/report/format.js';
import {reasonOf} from '../src/report/reasons.js';
import type {ScrapeReport} from '../src/report/report.js';
import {runCli} from './helpers/cli.js';
import {faultPage} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

/** A loopback port with nothing listening: taken from the OS, then let go. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	await new Promise<void>(resolve => server.close(() => resolve()));
	return port;
}

const system = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.code)), fields);

const reasons: Array<[name: string, error: ScrapeError, reason: string]> = [
	[
		'a refused connection names the address and port',
		new ScrapeError('network', 'connect ECONNREFUSED 127.0.0.1:8081', {
			url: 'http://127.0.0.1:8081/x.html',
			cause: system({code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 8081}),
		}),
		'connection refused at 127.0.0.1:8081',
	],
	[
		'a name that does not resolve names the host',
		new ScrapeError('network', 'getaddrinfo ENOTFOUND pic.invalid', {
			url: 'http://pic.invalid/',
			cause: system({code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'pic.invalid'}),
		}),
		'name not found: pic.invalid',
	],
	[
		'a file that may not be written',
		new ScrapeError('fs', "EACCES: permission denied, open '/img/a.jpg'", {
			cause: system({code: 'EACCES', syscall: 'open', path: '/img/a.jpg'}),
		}),
		'permission denied: /img/a.jpg',
	],
	['a status names its standard phrase', new ScrapeError('http-404', 'HTTP 404', {url: 'http://x/a.jpg'}), 'HTTP 404 Not Found'],
	['an unknown status is its number', new ScrapeError('http-599', 'HTTP 599'), 'HTTP 599'],
	[
		'a redirect loop shows its chain',
		new ScrapeError('redirect', 'redirect loop: http://x/a -> http://x/b -> http://x/a'),
		'redirect loop: http://x/a -> http://x/b -> http://x/a',
	],
	[
		'a refused robots.txt fetch blames the connection, not robots.txt',
		new ScrapeError('network', 'robots.txt unreachable: connect ECONNREFUSED 127.0.0.1:9', {
			url: 'http://127.0.0.1:9/x.html',
			cause: new ScrapeError('network', 'connect ECONNREFUSED 127.0.0.1:9', {
				cause: system({code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 9}),
			}),
		}),
		'connection refused at 127.0.0.1:9',
	],
	[
		'a reset connection',
		new ScrapeError('network', 'read ECONNRESET', {url: 'http://127.0.0.1:5/a.jpg', cause: system({code: 'ECONNRESET', syscall: 'read'})}),
		'connection reset by 127.0.0.1:5',
	],
	['a message of our own is already plain words', new ScrapeError('not-an-image', 'the body is not an image'), 'the body is not an image'],
];

for (const [name, error, reason] of reasons) {
	test(`reason: ${name}`, () => {
		assert.equal(reasonOf(error), reason);
	});
}

/** A report as a run of nothing gives, for unit tests of the wording. */
function emptyReport(overrides: Partial<ScrapeReport>): ScrapeReport {
	const stage = {count: 0, busyMs: 0, totalMs: 0, bytes: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, peakInFlight: 0, limit: 4, utilisation: 0};
	return {
		pages: 0,
		pagesFailed: 0,
		pagesCapped: 0,
		images: 0,
		downloaded: 0,
		failed: 0,
		skipped: 0,
		skippedByReason: {},
		retries: 0,
		fallbacks: 0,
		dimensionsUnknown: 0,
		renamed: 0,
		bytes: 0,
		elapsedMs: 100,
		firstImageMs: null,
		imagesPerSecond: 0,
		megabytesPerSecond: 0,
		caughtUp: false,
		aborted: false,
		stoppedBy: null,
		phases: {pageFetch: stage, parse: {...stage, limit: null, utilisation: null}, download: stage},
		failuresByCategory: {},
		failures: [],
		warnings: [],
		pageResults: [],
		peakRssBytes: 50e6,
		parseWorkers: 0,
		unmatched: [],
		...overrides,
	};
}

test('one of everything is singular: 1 image, 1 page, 1 retry, 1 worker', () => {
	const text = formatReport(
		emptyReport({
			pages: 1,
			images: 1,
			downloaded: 1,
			bytes: 1000,
			retries: 1,
			parseWorkers: 1,
			imagesPerSecond: 10,
			megabytesPerSecond: 0.01,
			firstImageMs: 50,
		}),
	);
	assert.match(text, /^1 image saved from 1 page in 100 ms$/m);
	assert.match(text, /; 1 retry; /);
	assert.doesNotMatch(text, /\b1 (images|pages|retries|workers)\b/);
	// With parse workers the parse row says what its peak is against, and no column is left empty.
	const parse = text.split('\n').find(line => line.trimStart().startsWith('parse'))!;
	assert.match(parse, /0 at once\s+1 worker$/);
	const header = text.split('\n').find(line => line.trimStart().startsWith('stage'))!;
	assert.equal(parse.trim().split(/\s{2,}/).length, header.trim().split(/\s{2,}/).length, parse);
});

test('the failures section is capped and says how many more --json holds', () => {
	const failures = Array.from({length: 25}, (_, index) => ({
		url: `http://x/${index}.jpg`,
		page: 'http://x/',
		code: 'http-404',
		message: 'HTTP 404',
		reason: 'HTTP 404 Not Found',
	}));
	const text = formatReport(emptyReport({pages: 1, images: 25, failed: 25, failures, failuresByCategory: {'http-404': 25}}));
	assert.match(text, /^ {2}failed: 25 images \(http-404 25\)$/m);
	assert.equal(text.match(/HTTP 404 Not Found$/gm)?.length, 20);
	assert.match(text, /^ {4}\.\.\. and 5 more \(--json lists them all\)$/m);
});

test('a server with nothing listening: every page failed, the reason is the refused connection, robots.txt is not blamed', async t => {
	const port = await closedPort();
	const out = await tempDir(t);
	const {code, stderr} = await runCli([`http://127.0.0.1:${port}/index{page}.html`, '--pages', '1-2', '-o', out, '--retries', '0']);
	assert.equal(code, 1);
	assert.match(stderr, /^nothing saved: all 2 pages failed in /m);
	assert.match(stderr, /^ {2}pages 0 read, 2 failed; no images found$/m);
	assert.match(stderr, /^ {2}failed: 2 pages \(network 2\)$/m);
	assert.match(stderr, new RegExp(`^ {4}network {2}page {3}http://127\\.0\\.0\\.1:${port}/index1\\.html: connection refused at 127\\.0\\.0\\.1:${port}$`, 'm'));
	assert.doesNotMatch(stderr, /robots/);
	assert.doesNotMatch(stderr, /0 of 0 images|failed 0/);
	assert.doesNotMatch(stderr, /stage\s+items/, 'no all-zero table when no page was read');
});

test('five listing pages that answer 404: the summary counts them as failed pages', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {code, stderr} = await runCli([`${server.url}fault/status/404/list{page}.html`, '--pages', '1-5', '-o', out]);
	assert.equal(code, 1);
	assert.match(stderr, /^nothing saved: all 5 pages failed in /m);
	assert.match(stderr, /^ {2}failed: 5 pages \(http-404 5\)$/m);
	assert.equal(stderr.match(/^ {4}http-404 {2}page {3}\S+: HTTP 404 Not Found$/gm)?.length, 5);
	assert.doesNotMatch(stderr, /failed 0/);
});

test('a run where some pages fail says so beside the images saved', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const out = await tempDir(t);
	const {code, stderr} = await runCli([server.pageUrls()[0]!, `${server.url}fault/status/404/gone.html`, '-o', out]);
	assert.equal(code, 1);
	assert.match(stderr, /^2 images saved from 1 of 2 pages in /m);
	assert.match(stderr, /^ {2}pages 1 read, 1 failed; images 2 saved \(2\.00 kB\)$/m);
});

test('a fully resumed run reads "nothing new: all N already saved", without a rate of 0', async t => {
	const server = await gallery(t, {pages: 2, perPage: 4, size: 1000});
	const out = await tempDir(t);
	const first = await runCli([server.template, '--pages', '1-2', '-o', out]);
	assert.equal(first.code, 0, first.stderr);
	const second = await runCli([server.template, '--pages', '1-2', '-o', out]);
	assert.equal(second.code, 0, second.stderr);
	assert.match(second.stderr, /^nothing new: all 8 already saved \(2 pages read\) in /m);
	assert.match(second.stderr, /^ {2}pages 2 read; images 8 skipped \(exists 8\)$/m);
	assert.doesNotMatch(second.stderr, /images\/s|MB\/s/);
});

test('a selector that matches nothing on every page: a hint with the img elements the pages have', async t => {
	const server = await gallery(t, {pages: 3, perPage: 4});
	const out = await tempDir(t);
	const {code, stderr} = await runCli([server.template, '--pages', '1-3', '-o', out, '--selector', 'li.photo img']);
	assert.equal(code, 0, stderr);
	assert.match(stderr, /^no images found on 3 pages in /m);
	assert.match(stderr, /^ {2}hint: no element matched `li\.photo img` on 3 pages; the pages have 12 `img` elements$/m);
	assert.equal(server.stats().image.requests, 0);
	const matching = await runCli([server.template, '--pages', '1-3', '-o', await tempDir(t), '--selector', 'li img']);
	assert.doesNotMatch(matching.stderr, /hint:/, 'no hint when the selector matched');
});

test('--follow that matches nothing: a hint with the links the pages have', async t => {
	const server = await gallery(t, {pages: 2, perPage: 3});
	const {code, stderr} = await runCli([server.template, '--pages', '1-2', '-o', await tempDir(t), '--follow', 'a.detail']);
	assert.equal(code, 0, stderr);
	assert.match(stderr, /^ {2}hint: no link matched --follow `a\.detail` on 2 pages; the pages have \d+ `a` elements$/m);
});

test('-q: nothing on stdout or stderr when all went well, one error line when something failed, the same exit codes', async t => {
	const server = await gallery(t, {pages: 2, perPage: 2, size: 1000});
	const ok = await runCli([server.template, '--pages', '1-2', '-o', await tempDir(t), '-q']);
	assert.equal(ok.code, 0);
	assert.equal(ok.stdout, '');
	assert.equal(ok.stderr, '');
	const page = faultPage(server, ['/fault/status/404/c.jpg', '/fault/ok/d.jpg']);
	const failed = await runCli([page, '-o', await tempDir(t), '--quiet']);
	assert.equal(failed.code, 1);
	assert.equal(failed.stdout, '');
	assert.match(failed.stderr, /^imgscrape: failed: 1 image \(http-404 1\); http:\S+\/fault\/status\/404\/c\.jpg: HTTP 404 Not Found\n$/);
	const json = await runCli([server.template, '--pages', '1-2', '-o', await tempDir(t), '-q', '--json']);
	assert.equal(json.stderr, '');
	assert.equal((JSON.parse(json.stdout) as ScrapeReport).downloaded, 4, 'the JSON asked for still comes');
});

test('-v: one line per request the server saw, with its status, bytes and time; --version still answers', async t => {
	const server = await gallery(t, {pages: 2, perPage: 3, size: 1000});
	const page = faultPage(server, ['/fault/status/404/gone.jpg', '/fault/redirect/1/moved.jpg']);
	const {code, stderr} = await runCli([server.template, page, '--pages', '1-2', '-o', await tempDir(t), '-v']);
	assert.equal(code, 1);
	const requests = stderr.split('\n').filter(line => line.startsWith('GET '));
	assert.equal(requests.length, server.stats().requests, stderr);
	assert.ok(requests.some(line => /^GET http:\S+\/robots\.txt 404 0 B \S+ m?s$/.test(line)));
	assert.ok(requests.some(line => /^GET http:\S+\/index_2\.html 200 \S+ [kM]?B \S+ m?s$/.test(line)));
	assert.ok(requests.some(line => /^GET http:\S+\/gone\.jpg 404 0 B /.test(line)));
	assert.equal(requests.filter(line => /moved\.jpg 30\d 0 B /.test(line)).length, 1, 'a redirect hop is a request of its own');
	assert.ok(
		requests.every(line => /^GET http:\S+ (\d{3} \S+ [kM]?B \S+ m?s|.* failed after .*)$/.test(line)),
		requests.join('\n'),
	);
	const version = await runCli(['--version']);
	assert.match(version.stdout, /^\d+\.\d+\.\d+/);
	const short = await runCli(['-V']);
	assert.equal(short.stdout, version.stdout);
});

test('-v on a server with nothing listening: the failed request says why', async t => {
	const port = await closedPort();
	const {stderr} = await runCli([`http://127.0.0.1:${port}/a.html`, '-o', await tempDir(t), '-v', '--retries', '0']);
	assert.match(
		stderr,
		new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/robots\\.txt failed after \\S+ m?s: connection refused at 127\\.0\\.0\\.1:${port}$`, 'm'),
	);
});
