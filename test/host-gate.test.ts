import assert from 'node:assert/strict';
import {getEventListeners} from 'node:events';
import {test} from 'node:test';
import {createHostGate, type GateClock, type Release} from '../src/http/host-gate.js';

/** A clock that moves only when the test says so, firing due timers in order. */
function fakeClock(): GateClock & {advance(ms: number): Promise<void>; timers(): number} {
	let now = 0;
	let nextId = 0;
	const timers = new Map<number, {at: number; callback: () => void}>();
	const settle = async () => {
		for (let i = 0; i < 10; i++) {
			await Promise.resolve();
		}
	};

	return {
		now: () => now,
		setTimeout(callback, ms) {
			timers.set(++nextId, {at: now + ms, callback});
			return nextId;
		},
		clearTimeout(handle) {
			timers.delete(handle as number);
		},
		async advance(ms) {
			// Grants already made are observed at the time they were made.
			await settle();
			const target = now + ms;
			for (;;) {
				const due = [...timers.entries()].filter(([, timer]) => timer.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
				if (due === undefined) {
					break;
				}

				timers.delete(due[0]);
				now = due[1].at;
				due[1].callback();
				await settle();
			}

			now = target;
			await settle();
		},
		timers: () => timers.size,
	};
}

/** Acquire, and note the fake time each grant came at. */
function track(
	gate: ReturnType<typeof createHostGate>,
	clock: GateClock,
	host: string,
	grants: Array<{n: number; at: number; release: Release}>,
	n: number,
	signal?: AbortSignal,
) {
	return gate.acquire(host, signal).then(release => {
		grants.push({n, at: clock.now(), release});
		return release;
	});
}

test('per host, at most perHost hold the gate; other hosts are not held up; a release lets the next in, in order', async () => {
	const clock = fakeClock();
	const gate = createHostGate({perHost: 2, interval: 0}, clock);
	const grants: Array<{n: number; at: number; release: Release}> = [];
	for (let n = 1; n <= 5; n++) {
		void track(gate, clock, 'a:80', grants, n);
	}

	const other = await gate.acquire('b:80');
	await clock.advance(0);
	assert.deepEqual(
		grants.map(grant => grant.n),
		[1, 2],
	);
	assert.equal(gate.waiting('a:80'), 3);

	grants[0]!.release();
	grants[0]!.release(); // twice frees one place only
	await clock.advance(0);
	assert.deepEqual(
		grants.map(grant => grant.n),
		[1, 2, 3],
	);
	grants[1]!.release();
	grants[2]!.release();
	await clock.advance(0);
	assert.deepEqual(
		grants.map(grant => grant.n),
		[1, 2, 3, 4, 5],
	);
	other();
});

test('the interval spaces the starts to one host exactly, and a Crawl-delay floor raises it', async () => {
	const clock = fakeClock();
	const gate = createHostGate({perHost: Number.POSITIVE_INFINITY, interval: 100}, clock);
	const grants: Array<{n: number; at: number; release: Release}> = [];
	for (let n = 1; n <= 3; n++) {
		void track(gate, clock, 'a:80', grants, n);
	}

	await clock.advance(99);
	assert.deepEqual(
		grants.map(grant => [grant.n, grant.at]),
		[[1, 0]],
	);
	await clock.advance(1);
	assert.deepEqual(
		grants.map(grant => [grant.n, grant.at]),
		[
			[1, 0],
			[2, 100],
		],
	);
	gate.setMinimumInterval('a:80', 250);
	gate.setMinimumInterval('a:80', 50); // never lowers it
	await clock.advance(249);
	assert.equal(grants.length, 2);
	await clock.advance(1);
	assert.deepEqual(
		grants.map(grant => [grant.n, grant.at]),
		[
			[1, 0],
			[2, 100],
			[3, 350],
		],
	);
	assert.equal(clock.timers(), 0, 'no timer left once nobody waits');
});

test('aborting a waiter rejects it with the reason, removes its listener and timer, and keeps the queue going', async () => {
	const clock = fakeClock();
	const gate = createHostGate({perHost: 1, interval: 10}, clock);
	const first = await gate.acquire('a:80');
	const controller = new AbortController();
	const waiting = gate.acquire('a:80', controller.signal);
	const grants: Array<{n: number; at: number; release: Release}> = [];
	void track(gate, clock, 'a:80', grants, 3);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 1);

	const reason = new DOMException('stop', 'AbortError');
	controller.abort(reason);
	await assert.rejects(waiting, error => error === reason);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
	assert.equal(gate.waiting('a:80'), 1);

	first();
	await clock.advance(10);
	assert.deepEqual(
		grants.map(grant => grant.n),
		[3],
	);

	await assert.rejects(gate.acquire('a:80', AbortSignal.abort()), {name: 'AbortError'});
	grants[0]!.release();
	const lone = new AbortController();
	const pending = gate.acquire('a:80', lone.signal);
	lone.abort();
	await assert.rejects(pending);
	assert.equal(clock.timers(), 0, 'the interval timer goes with the last waiter');
});

test('a granted request no longer listens to its signal', async () => {
	const clock = fakeClock();
	const gate = createHostGate({perHost: 1, interval: 0}, clock);
	const release = await gate.acquire('a:80');
	const controller = new AbortController();
	const next = gate.acquire('a:80', controller.signal);
	release();
	(await next)();
	assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});

test('a wait longer than a timer can hold is taken in steps a timer can hold', async () => {
	const clock = fakeClock();
	const asked: number[] = [];
	const recording: typeof clock = {
		...clock,
		setTimeout(callback, ms) {
			asked.push(ms);
			return clock.setTimeout(callback, ms);
		},
	};
	const gate = createHostGate({perHost: Number.POSITIVE_INFINITY, interval: 0}, recording);
	const grants: Array<{n: number; at: number; release: Release}> = [];
	void track(gate, recording, 'a:80', grants, 1);
	await recording.advance(0);
	gate.setMinimumInterval('a:80', 3_000_000_000);
	void track(gate, recording, 'a:80', grants, 2);
	await recording.advance(2_999_999_999);
	assert.equal(grants.length, 1);
	await recording.advance(1);
	assert.deepEqual(
		grants.map(grant => [grant.n, grant.at]),
		[
			[1, 0],
			[2, 3_000_000_000],
		],
	);
	assert.ok(asked.length >= 2 && asked.every(ms => ms <= 2_147_483_647), `timers of ${asked.join(', ')} ms`);
});
