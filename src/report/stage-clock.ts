import {performance} from 'node:perf_hooks';
import {percentile} from './stats.js';

/** What the report says about one stage of the pipeline (page fetch, parse, download). */
export interface StageReport {
	/** Items that went through the stage, succeeded or not. */
	count: number;
	/** Wall time during which at least one item was in the stage. */
	busyMs: number;
	/** Sum of every item's time in the stage. */
	totalMs: number;
	/** Bytes the stage moved: page bodies fetched, HTML parsed, image bodies saved. */
	bytes: number;
	p50Ms: number;
	p90Ms: number;
	p99Ms: number;
	maxMs: number;
	/** Most items in the stage at once. */
	peakInFlight: number;
	/** The pool's bound, when the stage has one. */
	limit: number | null;
	/** totalMs / (limit x run wall time): how full the pool was kept, 0..1. */
	utilisation: number | null;
}

/**
Times one stage: how long each item took, how many were in it at once, and
how long it was busy at all. Only the scraper's main thread calls it, so plain
fields need no lock.
*/
export class StageClock {
	readonly #limit: number | null;
	readonly #durations: number[] = [];
	#inFlight = 0;
	#peak = 0;
	#busySince = 0;
	#busyMs = 0;
	#totalMs = 0;
	#bytes = 0;

	constructor(limit: number | null = null) {
		this.#limit = limit;
	}

	/** Mark an item entering the stage; call the returned function, with the bytes it moved if any, when it leaves. */
	start(): (bytes?: number) => number {
		const started = performance.now();
		if (this.#inFlight++ === 0) {
			this.#busySince = started;
		}

		this.#peak = Math.max(this.#peak, this.#inFlight);
		let ended = false;
		return (bytes = 0) => {
			const now = performance.now();
			const duration = now - started;
			if (ended) {
				return duration;
			}

			ended = true;
			this.#bytes += bytes;
			this.#durations.push(duration);
			this.#totalMs += duration;
			if (--this.#inFlight === 0) {
				this.#busyMs += now - this.#busySince;
			}

			return duration;
		};
	}

	/** Time `fn` as one item of the stage that moves `bytes`. */
	time<T>(fn: () => T, bytes = 0): T {
		const end = this.start();
		try {
			return fn();
		} finally {
			end(bytes);
		}
	}

	report(wallMs: number): StageReport {
		const sorted = [...this.#durations].sort((a, b) => a - b);
		const busyMs = this.#busyMs + (this.#inFlight > 0 ? performance.now() - this.#busySince : 0);
		return {
			count: sorted.length,
			busyMs,
			totalMs: this.#totalMs,
			bytes: this.#bytes,
			p50Ms: percentile(sorted, 50),
			p90Ms: percentile(sorted, 90),
			p99Ms: percentile(sorted, 99),
			maxMs: sorted.at(-1) ?? 0,
			peakInFlight: this.#peak,
			limit: this.#limit,
			utilisation: this.#limit === null || wallMs <= 0 ? null : this.#totalMs / (this.#limit * wallMs),
		};
	}
}
