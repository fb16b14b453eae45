/**
`--page-concurrency auto`: the page pool's size found while the run goes, by
the same controller as `-c auto` (auto-concurrency.ts), fed with the page
fetches instead of the downloads. A fetch counts from its first attempt to its
bytes; a 429, 503 or timeout on any attempt is the server pushing back. Only
the fetch is watched: the wait for room in the download backlog before it, and
the parse after it, say nothing about the server.
*/
import type {ConcurrencyChange} from '../types.js';
import {type SteeredPool, steer} from './auto-concurrency.js';

export class PageConcurrency {
	readonly #steered: ReturnType<typeof steer>;
	readonly #started = new Map<string, number>();

	/**
	@param pool The page pool, whose `concurrency` is set at once to where the controller starts.
	@param max The most it may go: `--max-concurrency`, lowered by a finite `--per-host`.
	@param report Hears every change, marked as the page pool's, and the settled one at `settle()`.
	*/
	constructor(pool: SteeredPool, max: number, report: (change: ConcurrencyChange & {pool: 'pages'}) => void) {
		this.#steered = steer(pool, max, change => report({...change, pool: 'pages'}), 'pages');
	}

	/** A page's fetch begins; `key` names it (the job id) until it ends. */
	fetching(key: string): void {
		this.#started.set(key, performance.now());
		this.#steered.auto.started(key);
	}

	/** An attempt failed and is tried again. */
	retried(key: string, code: string): void {
		this.#steered.auto.pushedBack(key, code);
	}

	/** The page's bytes are in. */
	fetched(key: string): void {
		const started = this.#started.get(key);
		this.#started.delete(key);
		this.#steered.auto.finished(key, started === undefined ? undefined : performance.now() - started);
	}

	/** The fetch failed for good. */
	failed(key: string, code: string): void {
		this.#started.delete(key);
		this.#steered.auto.pushedBack(key, code);
		this.#steered.auto.finished(key, undefined);
	}

	/** The pages are done: report where it settled, and why. */
	settle(): void {
		this.#steered.settle();
	}
}
