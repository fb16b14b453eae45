import assert from 'node:assert/strict';
import {once} from 'node:events';
import net, {type AddressInfo} from 'node:net';
import {PassThrough, Readable} from 'node:stream';
import {test, type TestContext} from 'node:test';
import {main} from '../src/cli/main.js';
import {exitCodeFor} from '../src/cli/exit-code.js';
import {exitCodes} from '../src/cli/io.js';
import {scrape, type ScrapeEvent} from '../src/index.js';
import {formatReport} from '../src/report/format.js';
import {runCli} from './helpers/cli.js';
import {faultPage, quickRetries} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

/*
A listener that throws is code the run did not expect, like a bug of its own:
it is the one way to put a bug in a real run from outside.
*/

test('a bug while one image is handled fails that image as internal, unretried and not blamed on the network; the rest is saved', async t => {
	const server = await gallery(t, {recordRequests: true});
	const out = await tempDir(t);
	const page = faultPage(server, ['/fault/status/503,200/retried.jpg', '/fault/ok/started.jpg', '/fault/ok/fine.jpg']);
	const report = await scrape({
		...quickRetries,
		urls: [page],
		out,
		onEvent(event: ScrapeEvent) {
			// Inside the retry loop: a bug there must neither pass for a network failure nor be retried.
			if (event.type === 'retry') {
				throw new TypeError('listener bug on retry');
			}

			// Before the download's own error handling: only the run's last resort catches it.
			if (event.type === 'image-start' && event.url.endsWith('/started.jpg')) {
				throw new TypeError('listener bug on start');
			}
		},
	});
	assert.deepEqual(report.failuresByCategory, {internal: 2});
	assert.deepEqual(report.failures.map(failure => [new URL(failure.url).pathname, failure.message]).sort(), [
		['/fault/ok/started.jpg', 'TypeError: listener bug on start'],
		['/fault/status/503,200/retried.jpg', 'TypeError: listener bug on retry'],
	]);
	assert.equal(report.downloaded, 1);
	assert.deepEqual(await listFiles(out), ['fine.jpg']);
	const asked = (name: string) => server.requests().filter(request => request.url.endsWith(name)).length;
	assert.equal(asked('/retried.jpg'), 1, 'the 503 was not asked again after the bug');
	assert.equal(asked('/started.jpg'), 0, 'the bug came before the request');
	assert.equal(exitCodeFor(report), exitCodes.internal);
	assert.match(formatReport(report), /^ {2}2 internal errors \(a bug, please report it\): TypeError: listener bug on /m);
});

test('a bug while one page is handled fails that page as internal; the other pages, and those it had found, go on', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const child = faultPage(server, ['/fault/ok/child.jpg']);
	const broken = `${faultPage(server, ['/fault/ok/never.jpg'])}&href=${encodeURIComponent(child)}`;
	const healthy = faultPage(server, ['/fault/ok/healthy.jpg'], 'ok/healthy.html');
	const report = await scrape({
		...quickRetries,
		urls: [broken, healthy],
		out,
		next: 'a',
		onEvent(event: ScrapeEvent) {
			if (event.type === 'page-queued' && event.url === child) {
				throw new TypeError('listener bug on a found page');
			}
		},
	});
	assert.equal(report.pagesFailed, 1);
	assert.deepEqual(
		report.failures.map(failure => [failure.url, failure.code, failure.message]),
		[[broken, 'internal', 'TypeError: listener bug on a found page']],
	);
	// The found page was in the frontier before the listener threw: it is a page of the crawl like any other.
	assert.equal(report.pages, 2);
	assert.deepEqual(await listFiles(out), ['child.jpg', 'healthy.jpg']);
	assert.equal(exitCodeFor(report), exitCodes.internal);
});

test('exit codes: interrupted outranks a bug, a bug outranks failures', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const base = await scrape({urls: [server.template], pages: '1', out: await tempDir(t)});
	assert.equal(exitCodeFor(base), exitCodes.ok);
	assert.equal(exitCodeFor({...base, failed: 1, failuresByCategory: {'http-404': 1}}), exitCodes.someFailed);
	assert.equal(exitCodeFor({...base, failed: 2, failuresByCategory: {'http-404': 1, internal: 1}}), exitCodes.internal);
	assert.equal(exitCodeFor({...base, aborted: true, failed: 1, failuresByCategory: {internal: 1}}), exitCodes.interrupted);
});

/** Run the CLI in-process with a stdout that breaks as nothing should: what escapes a command. */
async function runWithBrokenStdout(args: string[], env: Record<string, string | undefined>) {
	const stdout = new PassThrough();
	stdout.write = () => {
		throw new TypeError('stdout is not what it seems');
	};

	const stderr = new PassThrough();
	let err = '';
	stderr.on('data', (chunk: Buffer) => {
		err += chunk.toString();
	});
	const code = await main(args, {stdout, stderr, stdin: Readable.from(['']), env});
	return {code, stderr: err};
}

test('a bug that escapes a command is one line naming it as a bug, exit 70; IMGSCRAPE_DEBUG=1 adds its stack', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const args = [server.template, '--pages', '1', '-o', await tempDir(t), '--json', '-q'];
	const plain = await runWithBrokenStdout(args, {});
	assert.equal(plain.code, 70);
	assert.equal(plain.stderr, 'imgscrape: internal error (a bug, please report it): TypeError: stdout is not what it seems\n');

	const debug = await runWithBrokenStdout([...args.slice(0, 4), await tempDir(t), '--json', '-q'], {IMGSCRAPE_DEBUG: '1'});
	assert.equal(debug.code, 70);
	const [line, ...stack] = debug.stderr.trimEnd().split('\n');
	assert.equal(line, 'imgscrape: internal error (a bug, please report it): TypeError: stdout is not what it seems');
	assert.equal(stack[0], 'TypeError: stdout is not what it seems');
	assert.match(stack[1] ?? '', /^ {4}at /);
});

test('a port in use is the environment, not a bug: one line, exit 2', async t => {
	const taken = await gallery(t, {pages: 1, perPage: 1, size: 1000});
	const {code, stderr} = await runCli(['serve', '--port', String(taken.port)]);
	assert.equal(code, 2);
	assert.match(stderr, /^imgscrape: Cannot listen on port `\d+` \(--port\): it is in use by another program; [^\n]*\n$/);
});

/** A server on loopback that answers each path with the raw bytes given, whatever HTTP says. */
async function rawServer(t: TestContext, answers: Record<string, string>): Promise<{url: string; asked: Map<string, number>}> {
	const asked = new Map<string, number>();
	const server = net.createServer(socket => {
		let head = '';
		socket.on('error', () => {});
		socket.on('data', chunk => {
			head += chunk.toString('latin1');
			if (!head.includes('\r\n\r\n')) {
				return;
			}

			const path = head.split(' ')[1] ?? '';
			asked.set(path, (asked.get(path) ?? 0) + 1);
			socket.end(answers[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	t.after(() => server.close());
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, asked};
}

test("a server that breaks HTTP/1.1 fails as network and is retried: undici's parser errors are the server's, not a bug", async t => {
	const page = '<img src="/garbage.jpg"><img src="/chunk.jpg"><img src="/lf.jpg">';
	const server = await rawServer(t, {
		'/': `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\n\r\n${page}`,
		'/garbage.jpg': 'garbage\r\n\r\n',
		'/chunk.jpg': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
		'/lf.jpg': 'HTTP/1.1 200 OK\nContent-Length: 3\n\nabc',
	});
	const report = await scrape({...quickRetries, urls: [server.url], out: await tempDir(t), retries: 1});
	assert.deepEqual(report.failuresByCategory, {network: 3});
	assert.ok(
		report.failures.every(failure => failure.message.startsWith('Response does not match the HTTP/1.1 protocol')),
		JSON.stringify(report.failures),
	);
	assert.deepEqual(
		['/garbage.jpg', '/chunk.jpg', '/lf.jpg'].map(path => server.asked.get(path)),
		[2, 2, 2],
	);
	assert.equal(exitCodeFor(report), exitCodes.someFailed);
});
