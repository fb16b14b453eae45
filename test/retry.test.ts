import assert from 'node:assert/strict';
import {getEventListeners} from 'node:events';
import {test} from 'node:test';
import {ScrapeError, type ErrorCode} from '../src/errors.js';
import {attempt, backoff, maxBackoffMs, maxExhaustedRetries, shouldRetry, sleep} from '../src/http/retry.js';

test('shouldRetry: network errors, timeouts, truncated bodies and 408/425/429/5xx, within the retry budget', () => {
	// [code, retries made before this failure, the budget, retried?]
	const rows: Array<[ErrorCode, number, number, boolean]> = [
		['network', 0, 3, true],
		['timeout', 2, 3, true],
		['truncated', 0, 1, true],
		['http-408', 0, 3, true],
		['http-425', 0, 3, true],
		['http-429', 0, 3, true],
		['http-500', 0, 3, true],
		['http-502', 0, 3, true],
		['http-503', 0, 3, true],
		['http-504', 0, 3, true],
		['network', 3, 3, false],
		['http-503', 0, 0, false],
		['http-404', 0, 3, false],
		['http-403', 0, 3, false],
		['http-501', 0, 3, false],
		['not-an-image', 0, 3, false],
		['redirect', 0, 3, false],
		['too-large', 0, 3, false],
		['aborted', 0, 3, false],
		['fs', 0, 3, false],
	];
	for (const [code, tries, retries, expected] of rows) {
		const tally = {counted: tries + 1, timeouts: code === 'timeout' ? 1 : 0, exhausted: 0};
		assert.equal(shouldRetry(new ScrapeError(code, code), tally, retries), expected, `${code} after attempt ${tries} of ${retries}`);
	}
});

test('shouldRetry: a timeout is retried once whatever the budget; running out of descriptors apart from it', () => {
	const timeout = new ScrapeError('timeout', 'slow');
	assert.equal(shouldRetry(timeout, {counted: 1, timeouts: 1, exhausted: 0}, 10), true);
	assert.equal(shouldRetry(timeout, {counted: 2, timeouts: 2, exhausted: 0}, 10), false, 'the second timeout ends it');
	assert.equal(shouldRetry(new ScrapeError('http-503', 'busy'), {counted: 3, timeouts: 1, exhausted: 0}, 10), true, 'other failures keep their budget');
	for (const code of ['network', 'fs'] as const) {
		const exhausted = new ScrapeError(code, 'EMFILE', {exhausted: true});
		assert.equal(exhausted.retryable, true, code);
		assert.equal(shouldRetry(exhausted, {counted: 0, timeouts: 0, exhausted: 1}, 0), true, `${code}: not counted against retries`);
		assert.equal(shouldRetry(exhausted, {counted: 0, timeouts: 0, exhausted: maxExhaustedRetries}, 0), true);
		assert.equal(shouldRetry(exhausted, {counted: 0, timeouts: 0, exhausted: maxExhaustedRetries + 1}, 3), false, `${code}: bounded`);
	}
});

test('backoff: full jitter under an exponential ceiling; Retry-After wins, capped', () => {
	const policy = {retryDelay: 100, maxRetryAfter: 5000};
	const top = () => 0.999_999;
	assert.equal(
		backoff(0, undefined, policy, () => 0),
		0,
	);
	assert.equal(backoff(0, undefined, policy, top), 99);
	assert.equal(backoff(1, undefined, policy, top), 199);
	assert.equal(backoff(3, undefined, policy, top), 799);
	assert.equal(
		backoff(3, undefined, policy, () => 0.5),
		400,
	);
	assert.equal(backoff(30, undefined, policy, top), maxBackoffMs - 1, 'the ceiling stops growing');
	assert.equal(backoff(0, 2000, policy, top), 2000);
	assert.equal(backoff(5, 0, policy, top), 0);
	assert.equal(backoff(0, 120_000, policy, top), 5000, 'a Retry-After over the cap waits the cap');
});

test('sleep resolves, rejects with the reason on abort, and always removes its listener', async () => {
	const controller = new AbortController();
	await sleep(1, controller.signal);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
	const pending = sleep(60_000, controller.signal);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
	controller.abort(new Error('stop'));
	await assert.rejects(pending, /stop/);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
	await assert.rejects(sleep(1, AbortSignal.abort(new Error('already'))), /already/);
});

test('attempt retries retryable failures, reports each retry, and leaves no listener behind', async () => {
	const run = new AbortController();
	const retries: Array<[number, string]> = [];
	let calls = 0;
	const result = await attempt(
		'http://h/x',
		async () => {
			calls++;
			if (calls < 3) {
				throw new ScrapeError(calls === 1 ? 'http-503' : 'network', 'flaky');
			}

			return 'ok';
		},
		{retries: 3, retryDelay: 1, maxRetryAfter: 10, deadline: 1000, signal: run.signal, onRetry: info => retries.push([info.attempt, info.code])},
	);
	assert.equal(result, 'ok');
	assert.equal(calls, 3);
	assert.deepEqual(retries, [
		[1, 'http-503'],
		[2, 'network'],
	]);
	assert.equal(getEventListeners(run.signal, 'abort').length, 0);
});

test('attempt: a non-retryable failure is thrown at once; an exhausted budget throws the last error', async () => {
	const signal = new AbortController().signal;
	const rows: Array<[code: string, retries: number, calls: number, why: string]> = [
		['http-404', 5, 1, 'a 404 is not retried'],
		['network', 2, 3, 'a network error takes the whole budget'],
		['timeout', 5, 2, 'a timeout is retried once'],
	];
	for (const [code, retries, expected, why] of rows) {
		let calls = 0;
		await assert.rejects(
			attempt(
				'http://h/x',
				async () => {
					calls++;
					throw new ScrapeError(code as ScrapeError['code'], 'failed');
				},
				{retries, retryDelay: 1, maxRetryAfter: 10, deadline: 0, signal},
			),
			{code},
		);
		assert.equal(calls, expected, why);
	}
});

test('attempt: the deadline bounds the item, retries included: a retry that cannot start in time is not made', async () => {
	const signal = new AbortController().signal;
	let calls = 0;
	const retries: number[] = [];
	// Retry-After asks for more than is left of the deadline: the 503 stands, with no wait.
	await assert.rejects(
		attempt(
			'http://h/x',
			async () => {
				calls++;
				throw new ScrapeError('http-503', 'busy', {retryAfterMs: 60_000});
			},
			{retries: 3, retryDelay: 1, maxRetryAfter: 60_000, deadline: 5000, signal, onRetry: info => retries.push(info.delayMs)},
		),
		{code: 'http-503'},
	);
	assert.equal(calls, 1);
	assert.deepEqual(retries, []);
	// An attempt ended by the deadline is not retried: nothing is left of it.
	calls = 0;
	const hang = async (attemptSignal: AbortSignal) =>
		new Promise<never>((_, reject) => {
			calls++;
			attemptSignal.addEventListener('abort', () => reject(attemptSignal.reason), {once: true});
		});
	await assert.rejects(attempt('http://h/x', hang, {retries: 3, retryDelay: 1, maxRetryAfter: 10, deadline: 30, signal}), {
		code: 'timeout',
		message: /30 ms deadline/,
	});
	assert.equal(calls, 1);
});

test("attempt: the deadline ends an attempt as `timeout`; the run's signal ends it as `aborted`", async () => {
	const hang = async (signal: AbortSignal) =>
		new Promise<never>((_, reject) => {
			signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), {once: true});
		});
	await assert.rejects(attempt('http://h/x', hang, {retries: 0, retryDelay: 1, maxRetryAfter: 10, deadline: 30, signal: new AbortController().signal}), {
		code: 'timeout',
		message: /30 ms deadline/,
	});
	const run = new AbortController();
	const pending = attempt('http://h/x', hang, {retries: 3, retryDelay: 1, maxRetryAfter: 10, deadline: 60_000, signal: run.signal});
	run.abort();
	await assert.rejects(pending, {code: 'aborted'});
	assert.equal(getEventListeners(run.signal, 'abort').length, 0);
});
