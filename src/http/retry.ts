/**
The retry decision and the wait between attempts, kept pure so they can be
tested row by row; `attempt()` is the one loop that applies them to pages and
images alike.

Two rules keep a slow server from holding an item for long: a timeout is
retried once, not `retries` times (a server that could not answer in time
once seldom can the next second), and `deadline` bounds the item, every
attempt and wait included, so no retry starts another full-length wait.
*/

import {ScrapeError, toScrapeError} from '../errors.js';

/** How the loop retries; the values come from the resolved options. */
export interface RetryPolicy {
	/** Retries after the first attempt. */
	retries: number;
	/** Base of the exponential backoff, in ms. */
	retryDelay: number;
	/** The longest a server's Retry-After may make us wait, in ms. */
	maxRetryAfter: number;
	/** Time allowed for an item, all its attempts and the waits between them included, in ms; 0 for none. */
	deadline: number;
	/**
	A 429 or 503 is the server asking for fewer requests, which `-c auto` gives
	it: such answers are retried like running out of file descriptors, without
	counting against `retries`. @default false
	*/
	pushback?: boolean | undefined;
}

/** No single backoff wait, without a Retry-After, grows past this. */
export const maxBackoffMs = 30_000;

/** Retries after a timeout, whatever `retries` says. */
export const maxTimeoutRetries = 1;

/**
Retries after running out of file descriptors, which do not count against
`retries`: the client lowers its concurrency on each, so the next try runs
with more descriptors free.
*/
export const maxExhaustedRetries = 10;

/** Whether `error` is a server asking for fewer requests, under a policy that heeds it. */
function pushedBack(error: ScrapeError, pushback: boolean): boolean {
	return pushback && (error.code === 'http-429' || error.code === 'http-503');
}

/** What an item's failed attempts have come to so far, the one in hand included. */
export interface RetryTally {
	/** Failed attempts that count against `retries`. */
	counted: number;
	/** Failed attempts that were timeouts. */
	timeouts: number;
	/** Failed attempts that ran out of file descriptors. */
	exhausted: number;
	/** Failed attempts that were a 429 or 503 under `pushback`. */
	pushedBack?: number | undefined;
}

/**
Whether to try again after `error`. Only errors the server or the network
might not repeat are retried: network errors, timeouts, truncated bodies and
408, 425, 429, 500, 502, 503, 504, each up to `retries` times, timeouts at
most {@link maxTimeoutRetries} times; running out of file descriptors up to
{@link maxExhaustedRetries} times besides, as are a 429 and a 503 under
`pushback`.
*/
export function shouldRetry(error: ScrapeError, tally: RetryTally, retries: number, pushback = false): boolean {
	if (error.exhausted) {
		return tally.exhausted <= maxExhaustedRetries;
	}

	if (pushedBack(error, pushback)) {
		return (tally.pushedBack ?? 0) <= maxExhaustedRetries;
	}

	if (!error.retryable || tally.counted > retries) {
		return false;
	}

	return error.code !== 'timeout' || tally.timeouts <= maxTimeoutRetries;
}

/** Count one more failed attempt into `tally`. */
function tallied(tally: RetryTally, error: ScrapeError, pushback: boolean): RetryTally {
	if (error.exhausted) {
		return {...tally, exhausted: tally.exhausted + 1};
	}

	if (pushedBack(error, pushback)) {
		return {...tally, pushedBack: (tally.pushedBack ?? 0) + 1};
	}

	return {...tally, counted: tally.counted + 1, timeouts: tally.timeouts + (error.code === 'timeout' ? 1 : 0)};
}

/**
How long to wait before retry number `attempt + 1`. A server's Retry-After
wins, capped by `maxRetryAfter`; otherwise exponential backoff with full jitter
(a uniform draw from 0 up to `retryDelay * 2^attempt`, capped at
{@link maxBackoffMs}), so many clients that failed together do not return
together. https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
*/
export function backoff(
	attempt: number,
	retryAfterMs: number | undefined,
	policy: Pick<RetryPolicy, 'retryDelay' | 'maxRetryAfter'>,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined) {
		return Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfter);
	}

	const ceiling = Math.min(maxBackoffMs, policy.retryDelay * 2 ** attempt);
	return Math.floor(random() * ceiling);
}

/** Wait `ms`, or reject with the signal's reason as soon as it aborts; the listener is always removed. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) {
		throw signal.reason;
	}

	return new Promise((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal!.reason);
		};

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, {once: true});
	});
}

/** A signal for one attempt: aborted by the run's signal or when the deadline passes. */
interface AttemptSignal {
	signal: AbortSignal;
	/** True when the deadline, not the run, ended the attempt. */
	timedOut(): boolean;
	dispose(): void;
}

/**
Like `AbortSignal.any([run, AbortSignal.timeout(ms)])`, but the timer is
cleared and the listener removed as soon as the attempt ends, so thousands of
items leave neither timers nor listeners behind. `left` is what remains of
the item's `deadline`.
*/
function attemptSignal(run: AbortSignal, deadline: number, left: number): AttemptSignal {
	if (deadline <= 0) {
		return {signal: run, timedOut: () => false, dispose() {}};
	}

	const controller = new AbortController();
	let timedOut = false;
	const forward = () => controller.abort(run.reason);
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort(new DOMException(`no complete answer within ${deadline} ms`, 'TimeoutError'));
	}, left);
	if (run.aborted) {
		forward();
	}

	run.addEventListener('abort', forward, {once: true});
	return {
		signal: controller.signal,
		timedOut: () => timedOut && !run.aborted,
		dispose() {
			clearTimeout(timer);
			run.removeEventListener('abort', forward);
		},
	};
}

/** What the loop reports before each wait. */
export interface RetryInfo {
	/** The retry about to happen: 1 for the first. */
	attempt: number;
	/** Why: the error code of the failed attempt. */
	code: string;
	delayMs: number;
}

/**
Run `task` until it succeeds, fails for good, or the run is cancelled. Each
attempt gets its own signal, bounded by what is left of the item's deadline;
an attempt cut short by the deadline fails as `timeout` (and is not retried:
no time is left), one cut short by the run as `aborted`. A retry whose wait
would outlast the deadline is not made: the last error stands.
*/
export async function attempt<T>(
	url: string,
	task: (signal: AbortSignal) => Promise<T>,
	options: RetryPolicy & {signal: AbortSignal; onRetry?: (info: RetryInfo) => void},
): Promise<T> {
	const {deadline} = options;
	const started = performance.now();
	let tally: RetryTally = {counted: 0, timeouts: 0, exhausted: 0};
	for (let tries = 0; ; tries++) {
		const current = attemptSignal(options.signal, deadline, deadline - (performance.now() - started));
		let error: ScrapeError;
		try {
			return await task(current.signal);
		} catch (thrown) {
			if (options.signal.aborted) {
				throw new ScrapeError('aborted', 'aborted', {url, cause: thrown});
			}

			error = current.timedOut()
				? new ScrapeError('timeout', `no complete answer within the ${deadline} ms deadline`, {url, cause: thrown})
				: toScrapeError(thrown, url);
		} finally {
			current.dispose();
		}

		const pushback = options.pushback ?? false;
		tally = tallied(tally, error, pushback);
		if (current.timedOut() || !shouldRetry(error, tally, options.retries, pushback)) {
			throw error;
		}

		// The backoff grows with the retries that count: running out of descriptors waits for a place instead.
		const delayMs = backoff(Math.max(0, tally.counted + (tally.pushedBack ?? 0) - 1), error.retryAfterMs, options);
		if (deadline > 0 && performance.now() - started + delayMs >= deadline) {
			throw error;
		}

		options.onRetry?.({attempt: tries + 1, code: error.code, delayMs});
		try {
			await sleep(delayMs, options.signal);
		} catch (reason) {
			throw new ScrapeError('aborted', 'aborted', {url, cause: reason});
		}
	}
}
