/**
The retry decision and the wait between attempts, kept pure so they can be
tested row by row; `attempt()` is the one loop that applies them to pages and
images alike.
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
	/** Time allowed for one attempt at an item, body included, in ms; 0 for none. */
	deadline: number;
}

/** No single backoff wait, without a Retry-After, grows past this. */
export const maxBackoffMs = 30_000;

/**
Retries after running out of file descriptors, which do not count against
`retries`: the client lowers its concurrency on each, so the next try runs
with more descriptors free.
*/
export const maxExhaustedRetries = 10;

/** What an item's failed attempts have come to so far, the one in hand included. */
export interface RetryTally {
	/** Failed attempts that count against `retries`. */
	counted: number;
	/** Failed attempts that ran out of file descriptors. */
	exhausted: number;
}

/**
Whether to try again after `error`. Only errors the server or the network
might not repeat are retried: network errors, timeouts, truncated bodies and
408, 425, 429, 500, 502, 503, 504, each up to `retries` times; running out of
file descriptors up to {@link maxExhaustedRetries} times besides.
*/
export function shouldRetry(error: ScrapeError, tally: RetryTally, retries: number): boolean {
	if (error.exhausted) {
		return tally.exhausted <= maxExhaustedRetries;
	}

	return error.retryable && tally.counted <= retries;
}

/** Count one more failed attempt into `tally`. */
function tallied(tally: RetryTally, error: ScrapeError): RetryTally {
	return error.exhausted ? {...tally, exhausted: tally.exhausted + 1} : {...tally, counted: tally.counted + 1};
}

/**
How long to wait before retry number `attempt + 1`. A server's Retry-After
wins, capped by `maxRetryAfter`; otherwise exponential backoff with full jitter
(a uniform draw from 0 up to `retryDelay * 2^attempt`, capped at
{@link maxBackoffMs}), so many clients that failed together do not return
together. https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
*/
export function backoff(attempt: number, retryAfterMs: number | undefined, policy: Pick<RetryPolicy, 'retryDelay' | 'maxRetryAfter'>, random: () => number = Math.random): number {
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
items leave neither timers nor listeners behind.
*/
function attemptSignal(run: AbortSignal, deadline: number): AttemptSignal {
	if (deadline <= 0) {
		return {signal: run, timedOut: () => false, dispose() {}};
	}

	const controller = new AbortController();
	let timedOut = false;
	const forward = () => controller.abort(run.reason);
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort(new DOMException(`no complete answer within ${deadline} ms`, 'TimeoutError'));
	}, deadline);
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
attempt gets its own signal bounded by the deadline; an attempt cut short by
the deadline fails as `timeout`, one cut short by the run as `aborted`.
*/
export async function attempt<T>(
	url: string,
	task: (signal: AbortSignal) => Promise<T>,
	options: RetryPolicy & {signal: AbortSignal; onRetry?: (info: RetryInfo) => void},
): Promise<T> {
	let tally: RetryTally = {counted: 0, exhausted: 0};
	for (let tries = 0; ; tries++) {
		const current = attemptSignal(options.signal, options.deadline);
		let error: ScrapeError;
		try {
			return await task(current.signal);
		} catch (thrown) {
			if (options.signal.aborted) {
				throw new ScrapeError('aborted', 'aborted', {url, cause: thrown});
			}

			error = current.timedOut()
				? new ScrapeError('timeout', `no complete answer within the ${options.deadline} ms deadline`, {url, cause: thrown})
				: toScrapeError(thrown, url);
		} finally {
			current.dispose();
		}

		tally = tallied(tally, error);
		if (!shouldRetry(error, tally, options.retries)) {
			throw error;
		}

		// The backoff grows with the retries that count: running out of descriptors waits for a place instead.
		const delayMs = backoff(Math.max(0, tally.counted - 1), error.retryAfterMs, options);
		options.onRetry?.({attempt: tries + 1, code: error.code, delayMs});
		try {
			await sleep(delayMs, options.signal);
		} catch (reason) {
			throw new ScrapeError('aborted', 'aborted', {url, cause: reason});
		}
	}
}
