import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {test} from 'node:test';
import {bin} from './helpers/cli.js';
import {scrapeWithEvents} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

// Each of these would hang (or take minutes) without its bound: the outer timeout only catches that.
const hang = {timeout: 60_000};

test('a followed page whose redirect leaves the crawl\'s hosts fails as redirect with the chain; one that stays is followed', hang, async t => {
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
	assert.equal(failed?.message, `redirect leaves the crawl's hosts: ${server.url}${outside.slice(1)} -> http://localhost:${server.port}/fault/ok/outside.html?src=${encodeURIComponent('/fault/ok/outside.jpg')}`);
	assert.equal(report.downloaded, 1);
	assert.deepEqual(await listFiles(out), ['inside.jpg']);
	const paths = server.requests().map(request => request.url.replace(/\?.*/, ''));
	assert.ok(!paths.includes('/fault/ok/outside.html') && !paths.includes('/fault/ok/outside.jpg'), paths.join(' '));
});

test('out of file descriptors (ulimit -n 200, -c 300): every image is saved, none fails as fs', {...hang, skip: process.platform === 'win32'}, async t => {
	const server = await gallery(t, {pages: 1, perPage: 600, size: 1000, latency: 20});
	const out = await tempDir(t);
	// The shell lowers the limit for the bin alone; the server runs in this process, unaffected.
	const child = spawn('bash', ['-c', 'ulimit -n 200 && exec "$@"', 'bash', process.execPath, bin, server.pageUrls()[0]!, '-c', '300', '-o', out, '--json', '-q', '--ignore-robots'], {stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const [code] = await once(child, 'exit') as [number | null];
	assert.equal(code, 0, stderr + stdout.slice(0, 2000));
	const report = JSON.parse(stdout) as {downloaded: number; failed: number; retries: number; failuresByCategory: Record<string, number>};
	assert.equal(report.downloaded, 600);
	assert.equal(report.failed, 0);
	assert.ok(report.retries > 0, 'the run did run short of descriptors, and retried');
	assert.equal((await listFiles(out)).length, 600);
});

