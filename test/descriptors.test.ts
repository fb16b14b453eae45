import assert from 'node:assert/strict';
import {getEventListeners} from 'node:events';
import {test} from 'node:test';
import {toScrapeError} from '../src/errors.js';
import {DescriptorLimit, type Permit} from '../src/http/descriptors.js';

/** An error as Node makes them: a code, a syscall, and a path for the file system's. */
function systemError(code: string, syscall: string, extra: Record<string, unknown> = {}): Error {
	return Object.assign(new Error(`${syscall} ${code}`), {code, syscall, errno: -24, ...extra});
}

test('toScrapeError: running out of descriptors is retried, as network for a socket and fs for a file; a failed connect is never fs', () => {
	const connect = toScrapeError(systemError('EMFILE', 'connect', {address: '127.0.0.1', port: 80}), 'http://h/a.jpg');
	assert.deepEqual([connect.code, connect.exhausted, connect.retryable], ['network', true, true]);
	const open = toScrapeError(systemError('ENFILE', 'open', {path: '/out/.part'}));
	assert.deepEqual([open.code, open.exhausted, open.retryable], ['fs', true, true]);
	const refused = toScrapeError(systemError('EADDRNOTAVAIL', 'connect'));
	assert.deepEqual([refused.code, refused.exhausted], ['network', false]);
	const full = toScrapeError(systemError('ENOSPC', 'write'));
	assert.deepEqual([full.code, full.retryable], ['fs', false], 'a full disk is not worth retrying');
});

test('DescriptorLimit: no limit until a shortage; then half of what was in flight, lowered once per shortage', async () => {
	const limit = new DescriptorLimit();
	const permits: Permit[] = [];
	for (let index = 0; index < 40; index++) {
		permits.push(await limit.acquire());
	}

	assert.equal(limit.limit, Number.POSITIVE_INFINITY);
	assert.equal(limit.release(permits.pop()!, true), true, 'the first shortage lowers the limit');
	assert.equal(limit.limit, 20);
	// The others that started under the old limit ran out too: that says nothing about the new one.
	for (let index = 0; index < 10; index++) {
		assert.equal(limit.release(permits.pop()!, true), false);
	}

	assert.equal(limit.limit, 20);
	assert.equal(limit.active, 29);
	// Full: the next one waits until enough places are given back.
	let granted: Permit | undefined;
	const waiting = limit.acquire().then(permit => {
		granted = permit;
	});
	for (let index = 0; index < 9; index++) {
		limit.release(permits.pop()!, false);
	}

	await Promise.resolve();
	assert.equal(granted, undefined, 'still 20 in flight');
	limit.release(permits.pop()!, false);
	await waiting;
	assert.ok(granted);
	assert.equal(limit.active, 20);
	// A shortage under the new limit lowers it again.
	assert.equal(limit.release(granted, true), true);
	assert.equal(limit.limit, 10);
});

test('DescriptorLimit: climbs back by one per limit-many good exchanges, never to where it ran out', async () => {
	const limit = new DescriptorLimit();
	const first = await limit.acquire();
	const others = [await limit.acquire(), await limit.acquire(), await limit.acquire()];
	limit.release(first, true);
	assert.equal(limit.limit, 2);
	for (const permit of others) {
		limit.release(permit, false);
	}

	for (let round = 0; round < 50; round++) {
		limit.release(await limit.acquire(), false);
	}

	assert.equal(limit.limit, 3, 'four in flight ran out: three at most');
});

test('DescriptorLimit: a waiter whose signal aborts leaves the queue and its listener', async () => {
	const limit = new DescriptorLimit();
	const held = [await limit.acquire(), await limit.acquire()];
	limit.release(held.pop()!, true);
	assert.equal(limit.limit, 1);
	const controller = new AbortController();
	const pending = limit.acquire(controller.signal);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
	controller.abort(new Error('stop'));
	await assert.rejects(pending, /stop/);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
	limit.release(held.pop()!, false);
	assert.equal(limit.active, 0, 'the aborted waiter took no place');
});
