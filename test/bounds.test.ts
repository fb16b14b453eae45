import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {ratioFloor} from '../src/http/exchange.js';
import {bin, runCli} from './helpers/cli.js';
import {faultPage, scrapeWithEvents} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

// Each of these would hang (or take minutes) without its bound: the outer timeout only catches that.
const hang = {timeout: 60_000};

function retryCodes(events: Awaited<ReturnType<typeof scrapeWithEvents>>['events']): string[] {
	return events.flatMap(event => (event.type === 'retry' ? [event.code] : []));
}

test('a body that drips under --min-speed fails as timeout within one window, and the timeout is retried once', hang, async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	// 20 bytes a second against a minimum of 1000 bytes/s over 300 ms windows; no deadline, so only the low-speed rule can end it.
	const {report, events} = await scrapeWithEvents({
		urls: [faultPage(server, ['/fault/drip/50/drip.jpg', '/fault/ok/fine.jpg'])],
		out,
		timeout: 300,
		deadline: 0,
		retries: 3,
	});
	assert.deepEqual(report.failuresByCategory, {timeout: 1});
	assert.match(report.failures[0]!.message, /slower than the 1000 bytes\/s minimum: \d+ bytes in 300 ms/);
	assert.deepEqual(retryCodes(events), ['timeout'], 'one retry, not three');
	assert.equal(server.stats().image.requests, 2 + 1, 'two attempts at the drip, one at the fine image');
	assert.ok(server.stats().bytesSent < 2 * 2000, `the drip's 2000 bytes were never all sent (${server.stats().bytesSent} bytes in all)`);
	assert.deepEqual(await listFiles(out), ['fine.jpg'], 'no partial or temporary file');
	// With the rule off, the same drip lasts until the deadline.
	const off = await scrapeWithEvents({urls: [faultPage(server, ['/fault/drip/50/slow.jpg'])], out, timeout: 300, deadline: 500, minSpeed: 0, retries: 3});
	assert.match(off.report.failures[0]!.message, /500 ms deadline/);
	assert.deepEqual(retryCodes(off.events), [], 'nothing is left of the deadline for a retry');
});

test('a server that never answers holds an item for two --timeout at most, whatever --retries says', hang, async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {report, events} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/hang/never.jpg'])], out, timeout: 200, deadline: 0, retries: 5});
	assert.deepEqual(report.failuresByCategory, {timeout: 1});
	assert.match(report.failures[0]!.message, /no response headers within 200 ms/);
	assert.deepEqual(retryCodes(events), ['timeout']);
	assert.equal(server.stats().image.requests, 2);
});

test('103 Early Hints do not restart the headers timeout', hang, async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	// A hint at once and every 50 ms: each would restart undici's own headers timer.
	const {report, events} = await scrapeWithEvents({urls: [faultPage(server, ['/fault/early-hints/50/hinted.jpg'])], out, timeout: 300, deadline: 0});
	assert.deepEqual(report.failuresByCategory, {timeout: 1});
	assert.match(report.failures[0]!.message, /no response headers within 300 ms \([1-9]\d* interim 1xx responses do not count\)/);
	assert.deepEqual(retryCodes(events), ['timeout']);
	assert.equal(server.stats().image.requests, 2);
});

test('a brotli bomb is stopped past 10 MiB decoded and skipped as too-large, leaving nothing; a page bomb fails; --max-ratio 0 lifts it', hang, async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const decoded = ratioFloor + 2 * 1024 * 1024;
	const {report, events} = await scrapeWithEvents({urls: [faultPage(server, [`/fault/bomb/${decoded}/bomb.jpg`, '/fault/br/fine.jpg'])], out});
	assert.deepEqual(report.skippedByReason, {'too-large': 1});
	assert.equal(report.failed, 0);
	assert.equal(report.downloaded, 1);
	assert.equal(server.stats().image.requests, 2, 'not retried');
	assert.deepEqual(await listFiles(out), ['fine.jpg'], 'no partial or temporary file');
	const skipped = events.find(event => event.type === 'image-skipped');
	assert.equal(skipped?.type === 'image-skipped' && path.basename(skipped.url), 'bomb.jpg');

	const page = await scrapeWithEvents({urls: [`${server.url}fault/bomb/${decoded}/list.html`], out});
	assert.equal(page.report.pagesFailed, 1);
	assert.equal(page.report.failures[0]?.code, 'too-large');
	const message = page.report.failures[0]!.message;
	assert.match(message, /decodes to more than 100 times the \d+ bytes received/);
	const stoppedAt = Number(/\((\d+) bytes so far\)/.exec(message)?.[1]);
	assert.ok(stoppedAt > ratioFloor && stoppedAt < ratioFloor + 1024 * 1024, `stopped at once, at ${stoppedAt} bytes`);

	const lifted = await tempDir(t);
	const off = await scrapeWithEvents({urls: [faultPage(server, [`/fault/bomb/${decoded}/bomb.jpg`])], out: lifted, maxRatio: 0});
	assert.equal(off.report.downloaded, 1, JSON.stringify(off.report.failures));
	assert.equal((await readFile(path.join(lifted, 'bomb.jpg'))).length, decoded);
});

test("a followed page whose redirect leaves the crawl's hosts fails as redirect with the chain; one that stays is followed", hang, async t => {
	const server = await gallery(t, {recordRequests: true});
	const out = await tempDir(t);
	const outside = `/fault/redirect-host/localhost/outside.html?src=${encodeURIComponent('/fault/ok/outside.jpg')}`;
	const inside = `/fault/redirect-host/127.0.0.1/inside.html?src=${encodeURIComponent('/fault/ok/inside.jpg')}`;
	const start = `${server.url}fault/ok/start.html?href=${encodeURIComponent(outside)}&href=${encodeURIComponent(inside)}`;
	const {report} = await scrapeWithEvents({urls: [start], out, follow: 'a'});
	assert.equal(report.pagesFailed, 1);
	assert.deepEqual(report.failuresByCategory, {redirect: 1});
	const failed = report.failures[0];
	assert.equal(failed?.url, `${server.url}${outside.slice(1)}`);
	assert.equal(
		failed?.message,
		`redirect leaves the crawl's hosts: ${server.url}${outside.slice(1)} -> http://localhost:${server.port}/fault/ok/outside.html?src=${encodeURIComponent('/fault/ok/outside.jpg')}`,
	);
	assert.equal(report.downloaded, 1);
	assert.deepEqual(await listFiles(out), ['inside.jpg']);
	const paths = server.requests().map(request => request.url.replace(/\?.*/, ''));
	assert.ok(!paths.includes('/fault/ok/outside.html') && !paths.includes('/fault/ok/outside.jpg'), paths.join(' '));
});

test('out of file descriptors (ulimit -n 200, -c 300): every image is saved, none fails as fs', {...hang, skip: process.platform === 'win32'}, async t => {
	const server = await gallery(t, {pages: 1, perPage: 600, size: 1000, latency: 20});
	const out = await tempDir(t);
	// The shell lowers the limit for the bin alone; the server runs in this process, unaffected.
	const child = spawn(
		'bash',
		['-c', 'ulimit -n 200 && exec "$@"', 'bash', process.execPath, bin, server.pageUrls()[0]!, '-c', '300', '-o', out, '--json', '-q', '--ignore-robots'],
		{stdio: ['ignore', 'pipe', 'pipe']},
	);
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const [code] = (await once(child, 'exit')) as [number | null];
	assert.equal(code, 0, stderr + stdout.slice(0, 2000));
	const report = JSON.parse(stdout) as {downloaded: number; failed: number; retries: number; failuresByCategory: Record<string, number>};
	assert.equal(report.downloaded, 600);
	assert.equal(report.failed, 0);
	assert.ok(report.retries > 0, 'the run did run short of descriptors, and retried');
	assert.equal((await listFiles(out)).length, 600);
});

test('--min-speed and --max-ratio reach scrape() from the command line', hang, async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const page = faultPage(server, ['/fault/drip/2/fast-drip.jpg?size=1500', `/fault/bomb/${ratioFloor + 1024 * 1024}/bomb.jpg`]);
	// 500 bytes/s passes the default minimum of 1000 bytes/s only when it is lowered. The window is
	// wide enough that a loaded machine's pauses in the drip never make an idle gap of its length.
	const {code, stdout, stderr} = await runCli([page, '-o', out, '--json', '--timeout', '2000', '--deadline', '0', '--min-speed', '100', '--max-ratio', '0']);
	assert.equal(code, 0, stderr);
	const report = JSON.parse(stdout) as {downloaded: number; retries: number};
	assert.equal(report.downloaded, 2);
	assert.equal(report.retries, 0);
	assert.deepEqual(await listFiles(out), ['bomb.jpg', 'fast-drip.jpg']);
});
