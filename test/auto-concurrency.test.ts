import assert from 'node:assert/strict';
import {test} from 'node:test';
import {scrape} from '../src/index.js';
import {parseArgs} from '../src/cli/parse-args.js';
import {resolveOptions} from '../src/resolve-options.js';
import {AutoConcurrency} from '../src/scraper/auto-concurrency.js';
import type {ConcurrencyChange} from '../src/types.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

/**
A download pool driven by hand against a model server: `capacity` requests in
flight answer in `latency` ms, each one over answers 503 (`refuse`) or takes
`overloadMs` more per request over (`slow`). Time is a counter, so the
controller is judged on the model alone.
*/
function simulate(options: {max: number; capacity: number; latency: number; mode: 'refuse' | 'slow' | 'none'; images: number; overloadMs?: number}) {
	let clock = 0;
	const changes: ConcurrencyChange[] = [];
	const auto = new AutoConcurrency({max: options.max, now: () => clock, onChange: change => changes.push(change)});
	interface Running {
		url: string;
		ends: number;
		refused: boolean;
		started: number;
	}
	let running: Running[] = [];
	let next = 0;
	let retries = 0;
	const waiting: string[] = [];
	const start = (url: string, retry: boolean) => {
		const over = running.length + 1 - options.capacity;
		const refused = options.mode === 'refuse' && over > 0;
		const extra = options.mode === 'slow' && over > 0 ? over * (options.overloadMs ?? 200) : 0;
		if (!retry) {
			auto.observe({type: 'image-start', url, page: 'p'});
		}

		running.push({url, ends: clock + (refused ? 1 : options.latency + extra), refused, started: clock});
	};

	while (next < options.images || running.length > 0 || waiting.length > 0) {
		while (running.length < auto.current && (waiting.length > 0 || next < options.images)) {
			const retry = waiting.length > 0;
			start(retry ? waiting.shift()! : `u${next++}`, retry);
		}

		running.sort((a, b) => a.ends - b.ends);
		const done = running.shift()!;
		clock = done.ends;
		if (done.refused) {
			retries++;
			auto.observe({type: 'retry', url: done.url, page: 'p', attempt: 1, code: 'http-503', delayMs: 0});
			waiting.push(done.url);
		} else {
			auto.observe({type: 'image-done', url: done.url, page: 'p', location: done.url, bytes: 1, ms: clock - done.started});
		}

		running = [...running];
	}

	return {auto, changes, retries};
}

test('-c auto doubles while nothing pushes back, up to --max-concurrency', () => {
	const {auto, changes} = simulate({max: 64, capacity: 1000, latency: 50, mode: 'none', images: 2000});
	assert.equal(auto.current, 64, JSON.stringify(changes));
	assert.deepEqual(
		changes.map(change => change.to),
		[4, 8, 16, 32, 64],
	);
	assert.equal(auto.why.reason, 'max');
});

test('-c auto settles at the limit of a server that answers 503 above it, and names the 503', () => {
	for (const capacity of [3, 6, 10, 20]) {
		const {auto, retries, changes} = simulate({max: 64, capacity, latency: 50, mode: 'refuse', images: 1000});
		assert.equal(auto.current, capacity, `capacity ${capacity}: ${JSON.stringify(changes)}`);
		assert.equal(auto.why.reason, 'overload');
		assert.match(auto.why.detail, /^http-503 at \d+ in flight$/);
		assert.ok(retries > 0);
	}
});

test('a run that ends while -c auto climbs back after a 503 reports the level it climbs back to, not the halved one', () => {
	let endedInClimb = 0;
	for (let images = 40; images <= 400; images += 3) {
		const {auto, changes} = simulate({max: 64, capacity: 6, latency: 50, mode: 'refuse', images});
		// Once a 503 met it just past the limit, the ceiling is the limit.
		const overloads = changes.filter(change => change.reason === 'overload');
		if (overloads.at(-1)?.detail !== 'http-503 at 7 in flight') {
			continue;
		}

		if (auto.current < auto.found) {
			endedInClimb++;
		}

		assert.ok(auto.found >= auto.current);
		assert.ok(Math.abs(auto.found - 6) <= 1, `${images} images: found ${auto.found}, at ${auto.current}: ${JSON.stringify(changes)}`);
		assert.equal(auto.why.reason, 'overload', `${images} images`);
	}

	// Some of the runs must end mid-climb, or this says nothing about it.
	assert.ok(endedInClimb > 0);
});

test('-c auto settles at the limit of a server whose latency jumps above it', () => {
	for (const capacity of [4, 6, 12]) {
		const {auto, changes} = simulate({max: 64, capacity, latency: 50, mode: 'slow', images: 1000, overloadMs: 200});
		assert.equal(auto.current, capacity, `capacity ${capacity}: ${JSON.stringify(changes)}`);
		assert.equal(auto.why.reason, 'latency');
	}
});

test('-c auto never goes past --max-concurrency, nor past a finite --per-host', () => {
	const {auto} = simulate({max: 5, capacity: 1000, latency: 50, mode: 'none', images: 500});
	assert.equal(auto.current, 5);
	assert.equal(resolveOptions({urls: ['http://127.0.0.1/'], concurrency: 'auto'}).concurrency, 64);
	assert.equal(resolveOptions({urls: ['http://127.0.0.1/'], concurrency: 'auto', perHost: 3}).concurrency, 3);
	assert.equal(resolveOptions({urls: ['http://127.0.0.1/'], concurrency: 'auto', maxConcurrency: 12}).concurrency, 12);
	assert.equal(resolveOptions({urls: ['http://127.0.0.1/'], concurrency: 'auto'}).autoConcurrency, true);
	assert.equal(resolveOptions({urls: ['http://127.0.0.1/']}).autoConcurrency, false);
});

test('-c takes a count or auto, and nothing else', async () => {
	const options = async (args: string[]) => {
		const {invocation} = await parseArgs(args);
		assert.equal(invocation?.command, 'scrape');
		return (invocation as {options: {concurrency?: unknown; maxConcurrency?: unknown}}).options;
	};
	assert.equal((await options(['http://127.0.0.1/', '-c', 'auto'])).concurrency, 'auto');
	assert.equal((await options(['http://127.0.0.1/', '-c', '8'])).concurrency, 8);
	assert.equal((await options(['http://127.0.0.1/', '-c', 'auto', '--max-concurrency', '20'])).maxConcurrency, 20);
	assert.throws(
		() => resolveOptions({urls: ['http://127.0.0.1/'], concurrency: 'fast' as 'auto'}),
		/`concurrency` to be a whole number from 1 and up or `auto`, got `fast`/,
	);
	assert.throws(() => resolveOptions({urls: ['http://127.0.0.1/'], concurrency: 0}), /`concurrency`/);
	assert.throws(() => resolveOptions({urls: ['http://127.0.0.1/'], concurrency: 'auto', maxConcurrency: 0}), /maxConcurrency/);
});

test('a real run with -c auto against a gallery that answers 503 above 6 images in flight: every image saved, settled within one step of 6', async t => {
	const server = await gallery(t, {pages: 5, perPage: 60, size: 2000, latency: 40, imageCapacity: 6, overload: 'refuse'});
	const out = await tempDir(t);
	const changes: ConcurrencyChange[] = [];
	const report = await scrape({
		urls: [server.template],
		pages: '1-5',
		out,
		concurrency: 'auto',
		robots: 'ignore',
		onEvent(event) {
			if (event.type === 'concurrency') changes.push(event);
		},
	});
	assert.equal(report.downloaded, 300);
	assert.equal(report.failed, 0, JSON.stringify(report.failures));
	assert.ok(server.stats().refused > 0, 'the run went past the limit at least once');
	const settled = report.autoConcurrency!;
	assert.ok(Math.abs(settled.settled - 6) <= 1, `settled at ${settled.settled}: ${JSON.stringify(changes)}`);
	assert.equal(changes.at(-1)?.settled, true);
	assert.equal(settled.changes, changes.length - 1);
});

test('a real run with -c auto against a gallery that slows down above 6 images in flight settles within one step of 6', async t => {
	const server = await gallery(t, {pages: 5, perPage: 60, size: 2000, latency: 40, imageCapacity: 6, overload: 'slow', overloadLatency: 300});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-5', out, concurrency: 'auto', robots: 'ignore'});
	assert.equal(report.downloaded, 300);
	assert.equal(report.failed, 0);
	const settled = report.autoConcurrency!;
	assert.ok(Math.abs(settled.settled - 6) <= 1, `settled at ${settled.settled} (${settled.reason}: ${settled.detail})`);
	assert.equal(settled.reason, 'latency');
});

test('a fixed -c has no autoConcurrency in the report, and a 503 there still counts against --retries', async t => {
	const server = await gallery(t, {pages: 1, perPage: 8, size: 2000, latency: 20, imageCapacity: 2, overload: 'refuse'});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1', out, concurrency: 8, robots: 'ignore', retries: 0});
	assert.equal(report.autoConcurrency, undefined);
	assert.ok(report.failuresByCategory['http-503']! > 0);
});
