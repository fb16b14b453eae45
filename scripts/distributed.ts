/**
A shared crawl on 1, 2 and 4 worker processes against one latency-bound
fixture gallery (served from its own process), on a redis-server of its own:
wall time from the first spawn to the last exit, images per second, the ratio
to one worker, Redis commands per image (INFO commandstats, which counts the commands run
inside Lua scripts too), and Redis bytes per image (MEMORY USAGE of every key
of the crawl once it is done, all kept as they are for the crawl's life).

  npm run bench:distributed [-- IMAGES_PER_PAGE PAGES LATENCY_MS]   (default 100 20 50)

Not a test: the figures depend on the machine (and on how many cores it has
for the workers). Needs redis-server on PATH.
*/

import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {Redis} from 'ioredis';
import {forkGalleryProcess} from '../src/bench/gallery-process.js';
import {binPath} from '../src/bench/spawn-cli.js';
import {findExecutable} from '../src/executables.js';

const perPage = Number(process.argv[2] ?? 100);
const pages = Number(process.argv[3] ?? 20);
const latency = Number(process.argv[4] ?? 50);
const images = perPage * pages;
const workerCounts = [1, 2, 4];
/** Downloads per worker: the gallery's latency, not the worker, is what bounds one worker. */
const concurrency = 16;

async function freePort(): Promise<number> {
	const server = createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address() as {port: number};
	server.close();
	return port;
}

function run(args: string[]): {child: ChildProcess; exit: Promise<number | null>} {
	const child = spawn(process.execPath, [binPath, ...args], {stdio: 'ignore'});
	return {child, exit: once(child, 'exit').then(([code]) => code as number | null)};
}

async function commandCalls(client: Redis): Promise<number> {
	const info = await client.info('commandstats');
	return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/** What the crawl's keys hold, by MEMORY USAGE (every element counted): the scripts BullMQ loads are a fixed cost, not per image. */
async function crawlBytes(client: Redis, name: string): Promise<{bytes: number; keys: number}> {
	let bytes = 0;
	let keys = 0;
	let cursor = '0';
	do {
		const [next, batch] = await client.scan(cursor, 'MATCH', `imgscrape:${name}:*`, 'COUNT', 1000);
		cursor = next;
		for (const key of batch) {
			bytes += Number(await client.memory('USAGE', key, 'SAMPLES', 0));
			keys++;
		}
	} while (cursor !== '0');
	return {bytes, keys};
}

const binary = findExecutable('redis-server', '/usr/bin/redis-server');
if (!binary) {
	console.error('bench:distributed needs redis-server (apt-get install -y redis-server)');
	process.exit(2);
}

const dir = await mkdtemp(path.join(tmpdir(), 'imgscrape-bench-distributed-'));
const port = await freePort();
const redisProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {stdio: 'ignore'});
const url = `redis://127.0.0.1:${port}`;
const client = new Redis(url);
// Until the server is up, and once it is stopped at the end, a refused connection is expected.
client.on('error', () => {});
await client.ping();
const galleries = await forkGalleryProcess();
const gallery = await galleries.start({pages, perPage, size: 2000, latency, imageCache: 64 * 1024 * 1024});
console.error(`${pages} pages of ${perPage} images, ${latency} ms latency each; -c ${concurrency} per worker`);
const rows: string[] = [];
let single = 0;
try {
	for (const count of workerCounts) {
		const name = `bench-${count}`;
		await client.flushall();
		const callsBefore = await commandCalls(client);
		const outs = await Promise.all(Array.from({length: count}, async () => mkdtemp(path.join(dir, 'out-'))));
		const started = performance.now();
		const common = ['--redis', url, '-q', '-c', String(concurrency)];
		const workers = [
			run([gallery.template, '--pages', `1-${pages}`, '--crawl', name, '-o', outs[0]!, ...common]),
			...Array.from({length: count - 1}, (_, index) => run(['join', name, '-o', outs[index + 1]!, ...common])),
		];
		const codes = await Promise.all(workers.map(async worker => worker.exit));
		const ms = performance.now() - started;
		if (codes.some(code => code !== 0)) {
			throw new Error(`a worker exited ${codes.join(', ')}`);
		}

		const calls = (await commandCalls(client)) - callsBefore;
		const {bytes} = await crawlBytes(client, name);
		const rate = images / (ms / 1000);
		single ||= rate;
		rows.push(
			`${String(count).padStart(7)}  ${(ms / 1000).toFixed(2).padStart(7)} s  ${rate.toFixed(0).padStart(8)}/s  ${(rate / single).toFixed(2).padStart(5)}x  ${(calls / images).toFixed(1).padStart(8)}  ${(bytes / images).toFixed(0).padStart(9)} B`,
		);
		await Promise.all(outs.map(async out => rm(out, {recursive: true, force: true})));
	}
} finally {
	await galleries.close();
	client.disconnect();
	redisProcess.kill('SIGKILL');
	await rm(dir, {recursive: true, force: true});
}

console.log(`workers     wall      images   ratio  cmds/img  Redis/img\n${rows.join('\n')}`);
