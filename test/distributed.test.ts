import assert from 'node:assert/strict';
import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import type {FixtureServer} from '../src/fixture-server/index.js';
import {bin, noConfigHome, runCli} from './helpers/cli.js';
import {scanKeys, startRedis} from './helpers/redis.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

interface Worker {
	child: ChildProcess;
	stdout(): string;
	stderr(): string;
	exit: Promise<number | null>;
}

/** A worker as a user starts one: the bin in a child process. */
function worker(args: string[]): Worker {
	const child = spawn(process.execPath, [bin, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, XDG_CONFIG_HOME: noConfigHome}});
	let stdout = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exit = once(child, 'exit').then(([code]) => code as number | null);
	return {child, stdout: () => stdout, stderr: () => stderr, exit};
}

/** Image requests the server received, by path. */
function imageRequests(server: FixtureServer): Map<string, number> {
	const counts = new Map<string, number>();
	for (const request of server.requests()) {
		const url = request.url.replace(/\?.*$/, '');
		if (/\.(jpg|png)$/.test(url)) {
			counts.set(url, (counts.get(url) ?? 0) + 1);
		}
	}

	return counts;
}

/** The image files of the workers' folders, by name, with how many folders hold each. */
async function savedFiles(folders: readonly string[]): Promise<Map<string, number>> {
	const files = new Map<string, number>();
	for (const folder of folders) {
		for (const name of await readdir(folder).catch(() => [] as string[])) {
			if (!name.startsWith('.')) {
				files.set(name, (files.get(name) ?? 0) + 1);
			}
		}
	}

	return files;
}

async function waitFor(condition: () => boolean): Promise<void> {
	while (!condition()) {
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

async function folders(t: Parameters<typeof tempDir>[0], count: number): Promise<string[]> {
	return Promise.all(Array.from({length: count}, async () => path.join(await tempDir(t), 'img')));
}

test('three workers share a crawl: every image is fetched once and saved once across their folders; status counts it; forget leaves no key', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 6, perPage: 10, size: 1500, latency: 20, recordRequests: true});
	const out = await folders(t, 3);
	const common = ['--redis', redis.url, '--lease', '2000', '-q', '-c', '3'];
	const first = worker([server.template, '--pages', '1-6', '--crawl', 'three', '-o', out[0]!, ...common, '--json']);
	const others = [worker(['join', 'three', '-o', out[1]!, ...common]), worker(['join', 'three', '-o', out[2]!, ...common])];
	const codes = await Promise.all([first.exit, ...others.map(other => other.exit)]);
	assert.deepEqual(codes, [0, 0, 0], first.stderr() + others.map(other => other.stderr()).join(''));

	const requests = imageRequests(server);
	assert.equal(requests.size, 60, 'every image was fetched');
	assert.deepEqual(
		[...requests.values()].filter(count => count !== 1),
		[],
		'each exactly once',
	);
	const files = await savedFiles(out);
	assert.equal(files.size, 60);
	assert.ok(
		[...files.values()].every(count => count === 1),
		'each file in one folder only',
	);
	const report = JSON.parse(first.stdout()) as {downloaded: number};
	assert.ok(report.downloaded <= 60);

	const status = await runCli(['status', 'three', '--redis', redis.url, '--json']);
	assert.equal(status.code, 0, status.stderr);
	const merged = JSON.parse(status.stdout) as {
		complete: boolean;
		pages: number;
		images: number;
		downloaded: number;
		failed: number;
		bytes: number;
		workers: Array<{saved: number; pid: number}>;
	};
	assert.equal(merged.complete, true);
	assert.equal(merged.pages, 6);
	assert.equal(merged.images, 60);
	assert.equal(merged.downloaded, 60);
	assert.equal(merged.downloaded, server.stats().image.requests, "status's total is the server's");
	assert.equal(merged.failed, 0);
	assert.equal(merged.bytes, 60 * 1500);
	assert.equal(merged.workers.length, 3);
	assert.equal(
		merged.workers.reduce((sum, row) => sum + row.saved, 0),
		60,
	);
	const manifest = await runCli(['status', 'three', '--redis', redis.url, '--manifest']);
	assert.equal(manifest.stdout.trim().split('\n').length, 60);

	assert.ok((await scanKeys(redis.client, 'imgscrape:three:*')).length > 0);
	const forget = await runCli(['forget', 'three', '--redis', redis.url]);
	assert.equal(forget.code, 0, forget.stderr);
	assert.deepEqual(await scanKeys(redis.client, '*'), []);
	const gone = await runCli(['status', 'three', '--redis', redis.url]);
	assert.equal(gone.code, 2);
	assert.match(gone.stderr, /no crawl three/);
});

test('kill -9 of a worker mid-crawl loses nothing: at most its in-flight images are fetched twice', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 4, perPage: 20, size: 1500, latency: 40, recordRequests: true});
	const out = await folders(t, 3);
	const common = ['--redis', redis.url, '--lease', '1000', '-q'];
	const victim = worker([server.template, '--pages', '1-4', '--crawl', 'crash', '-o', out[0]!, ...common, '-c', '4']);
	await waitFor(() => (server.stats().image.requests ?? 0) >= 8);
	const others = [worker(['join', 'crash', '-o', out[1]!, ...common, '-c', '2']), worker(['join', 'crash', '-o', out[2]!, ...common, '-c', '2'])];
	await waitFor(() => server.stats().image.requests >= 20);
	victim.child.kill('SIGKILL');
	assert.equal(await victim.exit, null);
	const codes = await Promise.all(others.map(other => other.exit));
	assert.deepEqual(codes, [0, 0], others.map(other => other.stderr()).join(''));

	const requests = imageRequests(server);
	assert.equal(requests.size, 80, 'every image was fetched');
	const twice = [...requests.values()].filter(count => count > 1);
	assert.ok(
		twice.every(count => count === 2),
		'none more than twice',
	);
	// The victim held at most -c 4 images in flight, and its pages' images were only queued.
	assert.ok(twice.length <= 4, `${twice.length} images fetched twice`);
	const files = await savedFiles(out);
	assert.equal(files.size, 80, 'every image is saved somewhere');
	const status = JSON.parse((await runCli(['status', 'crash', '--redis', redis.url, '--json'])).stdout) as {
		downloaded: number;
		skipped: number;
		complete: boolean;
	};
	assert.equal(status.complete, true);
	assert.equal(status.downloaded + status.skipped, 80);

	// Everyone is gone; a new worker on the same crawl re-fetches nothing.
	const before = server.stats().image.requests;
	const late = await runCli(['join', 'crash', '--redis', redis.url, '-o', out[1]!, '-q']);
	assert.equal(late.code, 0, late.stderr);
	assert.equal(server.stats().image.requests, before);
});

test('kill every worker and resume with new ones: nothing saved is fetched again', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 3, perPage: 15, size: 1500, latency: 30, recordRequests: true});
	const out = await folders(t, 2);
	const common = ['--redis', redis.url, '--lease', '1000', '-q', '-c', '4'];
	const lone = worker([server.template, '--pages', '1-3', '--crawl', 'again', '-o', out[0]!, ...common]);
	await waitFor(() => server.stats().image.requests >= 15);
	lone.child.kill('SIGKILL');
	await lone.exit;
	const fresh = await runCli(['join', 'again', '-o', out[1]!, ...common]);
	assert.equal(fresh.code, 0, fresh.stderr);
	const requests = imageRequests(server);
	assert.equal(requests.size, 45);
	const twice = [...requests.values()].filter(count => count > 1);
	assert.ok(twice.length <= 4 && twice.every(count => count === 2), `${twice.length} fetched twice`);
	assert.equal((await savedFiles(out)).size, 45);
});

test('an image on pages that different workers fetch is downloaded once', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {recordRequests: true});
	const page = (name: string, images: string[]) => `${server.url}fault/ok/${name}.html?${images.map(image => `src=${encodeURIComponent(image)}`).join('&')}`;
	const shared = ['/fault/ok/s1.jpg', '/fault/ok/s2.jpg', '/fault/ok/s3.jpg'];
	const pages = Array.from({length: 6}, (_, index) => page(`p${index}`, [...shared, `/fault/ok/own${index}.jpg`]));
	const out = await folders(t, 3);
	const common = ['--redis', redis.url, '--lease', '2000', '-q', '--page-concurrency', '1'];
	const first = worker([...pages, '--crawl', 'dedupe', '-o', out[0]!, ...common]);
	const others = [worker(['join', 'dedupe', '-o', out[1]!, ...common]), worker(['join', 'dedupe', '-o', out[2]!, ...common])];
	assert.deepEqual(await Promise.all([first.exit, ...others.map(other => other.exit)]), [0, 0, 0], first.stderr());
	const requests = imageRequests(server);
	assert.equal(requests.size, 9);
	assert.deepEqual(
		[...requests.values()].filter(count => count !== 1),
		[],
	);
	assert.equal((await savedFiles(out)).size, 9);
});

test('--max-pages is exact across workers', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 10, perPage: 2, size: 1000, recordRequests: true});
	const out = await folders(t, 3);
	const common = ['--redis', redis.url, '--lease', '2000', '-q', '--page-concurrency', '4'];
	const first = worker([server.pageUrls()[0]!, '--next', 'auto', '--max-pages', '4', '--crawl', 'budget', '-o', out[0]!, ...common]);
	const others = [worker(['join', 'budget', '-o', out[1]!, ...common]), worker(['join', 'budget', '-o', out[2]!, ...common])];
	assert.deepEqual(await Promise.all([first.exit, ...others.map(other => other.exit)]), [0, 0, 0], first.stderr());
	const listing = server.requests().filter(request => /index(_\d+)?\.html$/.test(request.url));
	assert.equal(listing.length, 4);
	assert.equal((await savedFiles(out)).size, 8);
});

test('--per-host holds across the workers: the server never sees more than the crawl allows', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 3, perPage: 8, size: 1000, latency: 30, robots: 'User-agent: *\nAllow: /\n', recordRequests: true});
	const out = await folders(t, 3);
	const common = ['--redis', redis.url, '--lease', '2000', '-q', '-c', '8', '--page-concurrency', '3'];
	const first = worker([server.template, '--pages', '1-3', '--crawl', 'polite', '--per-host', '2', '-o', out[0]!, ...common]);
	const others = [worker(['join', 'polite', '-o', out[1]!, ...common]), worker(['join', 'polite', '-o', out[2]!, ...common])];
	const codes = await Promise.all([first.exit, ...others.map(other => other.exit)]);
	assert.deepEqual(codes, [0, 0, 0], first.stderr());
	assert.equal((await savedFiles(out)).size, 24);
	assert.ok(server.stats().peakInFlight <= 2, `peak in flight ${server.stats().peakInFlight}`);
	assert.ok(server.stats().peakInFlight >= 1);
	assert.equal(server.requests().filter(request => request.url === '/robots.txt').length, 1, 'robots.txt is fetched once for the crawl');
});

test("a 429's Retry-After holds the host for every worker, not just the one that got it", async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {recordRequests: true});
	const images = ['/fault/ok/a.jpg', '/fault/retry-after/1/b.jpg', '/fault/ok/c.jpg', '/fault/ok/d.jpg', '/fault/ok/e.jpg', '/fault/ok/f.jpg'];
	const page = `${server.url}fault/ok/page.html?${images.map(image => `src=${encodeURIComponent(image)}`).join('&')}`;
	const out = await folders(t, 2);
	const common = ['--redis', redis.url, '--lease', '2000', '-q', '-c', '3'];
	const first = worker([page, '--crawl', 'slow', '--per-host', '1', '--retry-delay', '1', '-o', out[0]!, ...common]);
	const other = worker(['join', 'slow', '-o', out[1]!, ...common]);
	assert.deepEqual(await Promise.all([first.exit, other.exit]), [0, 0], first.stderr() + other.stderr());
	assert.equal((await savedFiles(out)).size, 6);
	const requests = server.requests().sort((a, b) => a.arrivedMs - b.arrivedMs);
	const refused = requests.findIndex(request => request.url.startsWith('/fault/retry-after/'));
	const next = requests[refused + 1];
	assert.ok(next !== undefined);
	// A lower bound: the next request of either worker starts a second after the 429, less the slack of the two clocks.
	assert.ok(
		next.arrivedMs - requests[refused]!.arrivedMs >= 900,
		`the next request came after ${Math.round(next.arrivedMs - requests[refused]!.arrivedMs)} ms`,
	);
});

test("an image whose host is held by a Retry-After is parked, and other hosts' images take its place meanwhile", async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const held = await gallery(t, {recordRequests: true});
	// Slow enough that the 429 and its hold are in Redis before the first image of the other host is done.
	const free = await gallery(t, {recordRequests: true, latency: 300});
	const images = [
		`${held.url}fault/retry-after/4/held.jpg`,
		`${free.url}fault/ok/b1.jpg`,
		`${held.url}fault/ok/a2.jpg`,
		...[2, 3, 4].map(n => `${free.url}fault/ok/b${n}.jpg`),
	];
	const page = `${held.url}fault/ok/page.html?${images.map(image => `src=${encodeURIComponent(image)}`).join('&')}`;
	const [out] = await folders(t, 1);
	// Two download places: the 429's own retry holds one; without parking, a2 waiting out the hold would hold the other.
	const one = worker([
		page,
		'--crawl',
		'parked',
		'--redis',
		redis.url,
		'--lease',
		'2000',
		'-q',
		'-c',
		'2',
		'--per-host',
		'1',
		'--retry-delay',
		'1',
		'-o',
		out!,
	]);
	assert.equal(await one.exit, 0, one.stderr());
	assert.equal((await savedFiles([out!])).size, 6);
	const a2 = held.requests().filter(request => request.url.startsWith('/fault/ok/a2.jpg'));
	assert.equal(a2.length, 1, 'parked, then fetched once');
	const others = free.requests().filter(request => /\/fault\/ok\/b[234]\.jpg/.test(request.url));
	assert.equal(others.length, 3);
	assert.ok(
		others.every(request => request.arrivedMs < a2[0]!.arrivedMs),
		"the other host's images were fetched while a2 was parked",
	);
});

test('file names are reserved across the crawl: images of the same name saved by different workers never share one', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {recordRequests: true});
	// Ten pairs of different images with one file name each: two workers take them as they come, so pairs are split between them.
	const images = Array.from({length: 10}, (_, n) => [`/fault/ok/x${n}/same${n}.jpg?seed=x${n}`, `/fault/ok/y${n}/same${n}.jpg?seed=y${n}`]).flat();
	const page = `${server.url}fault/ok/page.html?${images.map(image => `src=${encodeURIComponent(image)}`).join('&')}`;
	const out = await folders(t, 2);
	const common = ['--redis', redis.url, '--lease', '2000', '-q', '-c', '1'];
	const first = worker([page, '--crawl', 'names', '-o', out[0]!, ...common]);
	const other = worker(['join', 'names', '-o', out[1]!, ...common]);
	assert.deepEqual(await Promise.all([first.exit, other.exit]), [0, 0], first.stderr() + other.stderr());
	const saved = await savedFiles(out);
	assert.equal(saved.size, 20, [...saved.keys()].join(', '));
	assert.deepEqual(
		[...saved].filter(([, count]) => count > 1),
		[],
		'no name stands in both folders',
	);
	assert.equal(
		[...imageRequests(server).values()].reduce((sum, count) => sum + count, 0),
		20,
		'each image fetched once',
	);
});

test('--delay spaces the requests of all the workers together, not each worker alone', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 2, perPage: 4, size: 1000, recordRequests: true});
	const out = await folders(t, 3);
	const common = ['--redis', redis.url, '--lease', '2000', '-q', '-c', '4'];
	const first = worker([server.template, '--pages', '1-2', '--crawl', 'spaced', '--delay', '100', '-o', out[0]!, ...common]);
	const others = [worker(['join', 'spaced', '-o', out[1]!, ...common]), worker(['join', 'spaced', '-o', out[2]!, ...common])];
	assert.deepEqual(await Promise.all([first.exit, ...others.map(other => other.exit)]), [0, 0, 0], first.stderr());
	const arrivals = server
		.requests()
		.filter(request => request.url !== '/robots.txt')
		.map(request => request.arrivedMs)
		.sort((a, b) => a - b);
	assert.equal(arrivals.length, 10);
	// A lower bound only, which load can only lengthen: ten starts 100 ms apart span 900 ms, less one gap for the
	// time between a grant and its request's arrival. Each worker spacing only its own would span about a third.
	const span = arrivals.at(-1)! - arrivals[0]!;
	assert.ok(span >= 800, `10 requests in ${Math.round(span)} ms`);
});

test('the first command refuses a crawl that exists with other options (exit 2, naming them); other local flags resume it', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 2, perPage: 3, size: 1000});
	const [a, b] = await folders(t, 2);
	const base = [server.template, '--pages', '1-2', '--redis', redis.url, '--crawl', 'same', '-q'];
	const created = await runCli([...base, '-o', a!]);
	assert.equal(created.code, 0, created.stderr);
	const differ = await runCli([...base, '-o', b!, '--selector', 'img.big', '--delay', '10']);
	assert.equal(differ.code, 2);
	assert.match(differ.stderr, /crawl same exists with other options: --delay, --selector differ/);
	assert.equal(differ.stderr.trim().split('\n').length, 1);
	const resumed = await runCli([...base, '-o', b!, '-c', '2']);
	assert.equal(resumed.code, 0, resumed.stderr);
	assert.equal((await savedFiles([b!])).size, 0, 'everything was saved already');
});

test('join waits for its crawl to appear, then works on it', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 3, perPage: 5, size: 1000, latency: 20});
	const [a, b] = await folders(t, 2);
	const early = worker(['join', 'later', '--redis', redis.url, '-o', b!, '-q']);
	await new Promise(resolve => setTimeout(resolve, 300));
	assert.equal(early.child.exitCode, null, 'still waiting');
	const first = worker([server.template, '--pages', '1-3', '--redis', redis.url, '--crawl', 'later', '-o', a!, '-q']);
	assert.deepEqual(await Promise.all([first.exit, early.exit]), [0, 0]);
	assert.equal((await savedFiles([a!, b!])).size, 15);
});

test('a failed page makes every worker exit 1, counted once in status', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 2, perPage: 4, size: 1000});
	const [a, b] = await folders(t, 2);
	const first = worker([server.template, '--pages', '1-3', '--redis', redis.url, '--crawl', 'broken', '-o', a!, '-q']);
	const other = worker(['join', 'broken', '--redis', redis.url, '-o', b!, '-q']);
	const [firstCode, otherCode] = await Promise.all([first.exit, other.exit]);
	// The worker that met the 404 exits 1; the crawl's status says so whoever met it.
	assert.ok(firstCode === 1 || otherCode === 1, `${firstCode} ${otherCode}`);
	const status = JSON.parse((await runCli(['status', 'broken', '--redis', redis.url, '--json'])).stdout) as {
		pagesFailed: number;
		downloaded: number;
		failuresByCategory: Record<string, number>;
	};
	assert.equal(status.pagesFailed, 1);
	assert.equal(status.downloaded, 8);
	assert.deepEqual(status.failuresByCategory, {'http-404': 1});
});

test('SIGTERM stops one worker (exit 130) and the others finish the crawl', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 4, perPage: 10, size: 1000, latency: 40, recordRequests: true});
	const out = await folders(t, 2);
	const common = ['--redis', redis.url, '--lease', '1000', '-q', '-c', '2'];
	const stopped = worker([server.template, '--pages', '1-4', '--crawl', 'term', '-o', out[0]!, ...common]);
	const other = worker(['join', 'term', '-o', out[1]!, ...common]);
	await waitFor(() => server.stats().image.requests >= 6);
	stopped.child.kill('SIGTERM');
	assert.equal(await stopped.exit, 130, stopped.stderr());
	assert.equal(await other.exit, 0, other.stderr());
	assert.equal((await savedFiles(out)).size, 40);
	// The stopped worker's downloads in flight (-c 2) were cut and handed back: fetched again by the other, none more than twice.
	const twice = [...imageRequests(server).values()].filter(count => count > 1);
	assert.ok(twice.length <= 2 && twice.every(count => count === 2), `${twice.length} fetched twice`);
	assert.equal(imageRequests(server).size, 40);
});

test('Redis dropping every connection mid-crawl: the workers reconnect and go on, losing and duplicating nothing', async t => {
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const server = await gallery(t, {pages: 4, perPage: 10, size: 1000, latency: 30, recordRequests: true});
	const out = await folders(t, 2);
	const common = ['--redis', redis.url, '--lease', '2000', '-q', '-c', '3'];
	const first = worker([server.template, '--pages', '1-4', '--crawl', 'flaky', '-o', out[0]!, ...common]);
	const other = worker(['join', 'flaky', '-o', out[1]!, ...common]);
	await waitFor(() => server.stats().image.requests >= 10);
	const killed = Number(await redis.client.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'));
	assert.ok(killed > 0);
	assert.deepEqual(await Promise.all([first.exit, other.exit]), [0, 0], first.stderr() + other.stderr());
	assert.equal((await savedFiles(out)).size, 40);
	const requests = imageRequests(server);
	assert.equal(requests.size, 40);
	// A request cut by the drop is retried: at most the images in flight then (-c 3 each) come twice.
	const twice = [...requests.values()].filter(count => count > 1);
	assert.ok(twice.length <= 6, `${twice.length} fetched twice`);
});

test('bad input: an unreachable Redis, a bad URL, a crawl name, a missing crawl: one line, exit 2', async t => {
	const unreachable = await runCli(['status', 'x', '--redis', 'redis://127.0.0.1:1']);
	assert.equal(unreachable.code, 2);
	assert.match(unreachable.stderr, /^imgscrape: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
	const notUrl = await runCli(['forget', 'x', '--redis', 'http://127.0.0.1:1']);
	assert.equal(notUrl.code, 2);
	assert.match(notUrl.stderr, /not a redis:\/\//);
	const noRedis = await runCli(['join', 'x'], {env: {XDG_CONFIG_HOME: noConfigHome}});
	assert.equal(noRedis.code, 2);
	assert.match(noRedis.stderr, /IMGSCRAPE_REDIS/);
	const name = await runCli(['http://127.0.0.1:1/', '--crawl', 'a*b', '--redis', 'redis://127.0.0.1:1']);
	assert.equal(name.code, 2);
	assert.match(name.stderr, /crawl name/);
	const redis = await startRedis(t);
	if (redis === undefined) return;
	const missing = await runCli(['forget', 'nothing'], {env: {XDG_CONFIG_HOME: noConfigHome, IMGSCRAPE_REDIS: redis.url}});
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /no crawl nothing/);
});
