import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {RecordedRequest} from '../src/fixture-server/index.js';
import {scrape} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

/**
The client guarantees that request starts to one host are at least `interval`
apart; the server sees each arrival a little after its start. Over a run the
arrival delays cancel out but for the first and last, so the span of the
arrivals is a lower bound that slowness cannot break (a slow machine only
widens it), and a limiter that lets requests burst fails it by far.
*/
function assertSpaced(requests: RecordedRequest[], interval: number): void {
	const arrivals = requests.map(request => request.arrivedMs);
	const span = arrivals.at(-1)! - arrivals[0]!;
	assert.ok(
		span >= (arrivals.length - 1) * interval - 30,
		`${arrivals.length} requests arrived within ${span.toFixed(1)} ms, expected at least ${(arrivals.length - 1) * interval} ms`,
	);
	// No check on single gaps: one arrival delayed by a loaded machine makes the next gap short, whatever the client did.
}

test('--per-host caps requests in flight to one host across both pools, and connections with them', async t => {
	const server = await gallery(t, {pages: 4, perPage: 10, size: 2000, latency: 20, recordRequests: true});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-4', out, concurrency: 8, pageConcurrency: 4, perHost: 3});
	assert.equal(report.downloaded, 40);
	assert.equal(report.failed + report.pagesFailed, 0);
	const stats = server.stats();
	assert.equal(stats.requests, 1 + 4 + 40, 'robots.txt, the pages, the images');
	assert.equal(stats.peakInFlight, 3, 'pages, images and robots.txt together');
	// Keep-alive: no more connections than requests ever in flight at once.
	const connections = new Set(server.requests().map(request => request.remotePort));
	assert.ok(connections.size <= 3, `${connections.size} connections for a cap of 3`);
});

test('without --per-host, the pools alone bound the host', async t => {
	const server = await gallery(t, {pages: 2, perPage: 10, size: 1000, latency: 20});
	const out = await tempDir(t);
	await scrape({urls: [server.template], pages: '1-2', out, concurrency: 6, pageConcurrency: 2});
	assert.equal(server.stats().image.peakInFlight, 6);
});

test('--rate N spaces the requests to a host 1000/N ms apart', async t => {
	const server = await gallery(t, {pages: 1, perPage: 6, size: 1000, recordRequests: true});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1', out, concurrency: 6, rate: 20});
	assert.equal(report.downloaded, 6);
	const requests = server.requests();
	assert.deepEqual(requests.map(request => request.url).slice(0, 2), ['/robots.txt', '/index.html']);
	assert.equal(requests.length, 8);
	assertSpaced(requests, 50);
});

test('--delay with --per-host 1: one request at a time, and the delay between them', async t => {
	const server = await gallery(t, {pages: 2, perPage: 3, size: 1000, recordRequests: true});
	const {code, stderr} = await runCli([server.template, '--pages', '1-2', '-o', await tempDir(t), '-q', '--per-host', '1', '--delay', '40']);
	assert.equal(code, 0, stderr);
	assert.equal(server.stats().peakInFlight, 1);
	assert.equal(server.requests().length, 1 + 2 + 6);
	assertSpaced(server.requests(), 40);
});

test('a robots.txt Crawl-delay is a floor under --delay for its host', async t => {
	const server = await gallery(t, {pages: 1, perPage: 4, size: 1000, recordRequests: true, robots: 'User-agent: *\nCrawl-delay: 0.06\n'});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1', out, delay: 10});
	assert.equal(report.downloaded, 4);
	assertSpaced(server.requests(), 60);
});

test('cancelling the run ends waits at the gate: nothing waiting is sent', async t => {
	const server = await gallery(t, {pages: 1, perPage: 5, size: 1000});
	const controller = new AbortController();
	// A minute between requests: the run can only end this soon if the waits give way to the abort.
	const report = await scrape({
		urls: [server.template],
		pages: '1',
		out: await tempDir(t),
		delay: 60_000,
		robots: 'ignore',
		signal: controller.signal,
		onEvent(event) {
			if (event.type === 'page') {
				controller.abort();
			}
		},
	});
	assert.equal(report.aborted, true);
	assert.equal(report.downloaded, 0);
	assert.equal(report.failed, 0, 'cancelled waits are not failures');
	assert.equal(server.stats().image.requests, 0);
});

test('politeness options are checked up front and named', async () => {
	for (const [args, message] of [
		[['--per-host', '0'], /--per-host.*got `0`/],
		[['--rate', '0'], /--rate.*above 0.*got `0`/],
		[['--rate', 'fast'], /--rate: expected a number, got `fast`/],
		[['--delay', '-5'], /--delay.*got `-5`/],
		[['--robots', 'maybe'], /robots/],
		[['--robots', 'strict', '--ignore-robots'], /--ignore-robots contradicts --robots strict/],
	] as const) {
		const {code, stderr} = await runCli(['http://127.0.0.1:1/', ...args]);
		assert.equal(code, 2, args.join(' '));
		assert.match(stderr, message);
		assert.equal(stderr.trim().split('\n')[0]!.includes('    at '), false, 'no stack trace');
	}
});
