/**
`-c auto`: the download concurrency found while the run goes, the question
`imgscrape bench` answers offline. It starts low and doubles while nothing
pushes back, then climbs one at a time. A server that says it is overloaded
(a 429 or 503, or a timeout) halves it; a latency jump (the median of a round
of downloads twice that at a lower concurrency) or throughput that no longer
rises steps it back. Either of the first two sets a ceiling it never passes
again, so against a server with a limit it settles at that limit; a plateau
only holds it, and it probes upward again after a few rounds.

It watches the run's own events (`image-start`, `retry`, `image-done`,
`image-failed`) and changes nothing itself: the run applies each change to
its download pool. One controller serves the whole pool, so the first host to
push back sets the pace for all; `--per-host` still caps each host.
*/

import {median} from '../report/stats.js';
import type {ScrapeEvent} from '../types.js';

/** Why the concurrency changed, or why it stands where it does. */
export type ConcurrencyReason = 'start' | 'rising' | 'overload' | 'latency' | 'plateau' | 'probe' | 'max';

export interface ConcurrencyChange {
	from: number;
	to: number;
	reason: ConcurrencyReason;
	/** What was seen, in words: `http-503`, `median 212 ms against 51 ms at 4` ... */
	detail: string;
}

export interface AutoConcurrencyOptions {
	/** The highest it may go: `--max-concurrency`, lowered by a finite `--per-host`. */
	max: number;
	/** Where it starts. @default 2 */
	start?: number;
	onChange(change: ConcurrencyChange): void;
	now?: () => number;
}

/** Codes that mean the server wants fewer requests. */
const overloadCodes = new Set(['http-429', 'http-503', 'timeout']);
/** A round's median latency past this multiple of the best round's (and past it by `latencyMarginMs`) is a jump. */
const latencyFactor = 2;
/** Below this many milliseconds a doubling is noise (loopback, CPU), not a jump. */
const latencyMarginMs = 5;
/** A higher concurrency must bring this much more throughput to count as rising. */
const risingGain = 1.05;
/** Rounds held on a plateau before one step up is tried again. */
const probeAfter = 4;
/** Fewest downloads a round is judged on. */
const minRound = 4;

interface Round {
	/** The concurrency the round ran at; downloads started before it are not its. */
	level: number;
	generation: number;
	started: number;
	done: number;
	latencies: number[];
	/** Latency jumps seen in a row: one round is noise, two are a signal. */
	jumps: number;
}

export class AutoConcurrency {
	readonly #options: AutoConcurrencyOptions;
	readonly #now: () => number;
	#current: number;
	#ceiling: number;
	#slowStart = true;
	#generation = 0;
	/** The generation each image in flight started in. */
	readonly #started = new Map<string, number>();
	/** Images that met an overload: their latency says nothing about the level. */
	readonly #pushedBack = new Set<string>();
	#round: Round;
	/** The lowest round median seen, and the level it came at. */
	#baseline = {ms: Number.POSITIVE_INFINITY, level: 0};
	/** Throughput of the best round so far, per level. */
	#best = {perSecond: 0, level: 0};
	#held = 0;
	#jumps = 0;
	#last: ConcurrencyChange;
	/** What set the ceiling, once something did. */
	#ceilingSetBy: ConcurrencyChange | undefined;
	/** Set while it holds on a plateau. */
	#plateau: ConcurrencyChange | undefined;

	constructor(options: AutoConcurrencyOptions) {
		this.#options = options;
		this.#now = options.now ?? (() => performance.now());
		this.#ceiling = options.max;
		this.#current = Math.min(options.start ?? 2, options.max);
		this.#last = {from: this.#current, to: this.#current, reason: 'start', detail: `starting at ${this.#current}`};
		this.#round = this.#newRound();
	}

	get current(): number {
		return this.#current;
	}

	/** Why it stands where it does: what set the ceiling it reached, a plateau, or the last change. */
	get why(): ConcurrencyChange {
		if (this.#current >= this.#ceiling) {
			return this.#ceilingSetBy ?? {from: this.#current, to: this.#current, reason: 'max', detail: `the most allowed, ${this.#options.max}`};
		}

		return this.#plateau ?? this.#last;
	}

	observe(event: ScrapeEvent): void {
		switch (event.type) {
			case 'image-start': {
				this.#started.set(event.url, this.#generation);
				break;
			}

			case 'retry': {
				if (this.#started.has(event.url)) {
					this.#signal(event.url, event.code);
				}

				break;
			}

			case 'image-done': {
				this.#finish(event.url, event.ms);
				break;
			}

			case 'image-failed': {
				this.#signal(event.failure.url, event.failure.code);
				this.#finish(event.failure.url, undefined);
				break;
			}

			case 'image-skipped': {
				this.#finish(event.url, undefined);
				break;
			}

			default:
		}
	}

	#newRound(): Round {
		return {level: this.#current, generation: this.#generation, started: this.#now(), done: 0, latencies: [], jumps: 0};
	}

	#change(to: number, reason: ConcurrencyReason, detail: string): void {
		const from = this.#current;
		this.#current = to;
		this.#generation++;
		this.#round = this.#newRound();
		this.#plateau = undefined;
		this.#last = {from, to, reason, detail};
		if (to !== from) {
			this.#options.onChange(this.#last);
		}
	}

	/** A download met a sign of overload: acted on once per level, and only for downloads started at it. */
	#signal(url: string, code: string): void {
		if (!overloadCodes.has(code)) {
			return;
		}

		this.#pushedBack.add(url);
		if (this.#started.get(url) !== this.#generation) {
			return;
		}

		this.#slowStart = false;
		this.#ceiling = Math.max(1, Math.min(this.#ceiling, this.#current - 1));
		this.#change(Math.max(1, Math.floor(this.#current / 2)), 'overload', `${code} at ${this.#current} in flight`);
		this.#ceilingSetBy = this.#last;
	}

	#finish(url: string, ms: number | undefined): void {
		const generation = this.#started.get(url);
		this.#started.delete(url);
		const pushedBack = this.#pushedBack.delete(url);
		if (generation !== this.#round.generation) {
			return;
		}

		this.#round.done++;
		if (ms !== undefined && !pushedBack) {
			this.#round.latencies.push(ms);
		}

		if (this.#round.done >= Math.max(minRound, this.#round.level)) {
			this.#judge();
		}
	}

	/** A round is over: go up, hold, or step back. */
	#judge(): void {
		const round = this.#round;
		const elapsed = Math.max(1, this.#now() - round.started);
		const perSecond = (round.done * 1000) / elapsed;
		const latency = round.latencies.length > 0 ? median(round.latencies) : undefined;
		if (latency !== undefined && latency < this.#baseline.ms) {
			this.#baseline = {ms: latency, level: round.level};
		}

		const jumped =
			latency !== undefined &&
			round.level > this.#baseline.level &&
			latency > latencyFactor * this.#baseline.ms &&
			latency > this.#baseline.ms + latencyMarginMs;
		this.#jumps = jumped ? this.#jumps + 1 : 0;
		if (this.#jumps >= 2) {
			this.#jumps = 0;
			this.#slowStart = false;
			this.#ceiling = Math.max(1, Math.min(this.#ceiling, round.level - 1));
			const detail = `median ${Math.round(latency!)} ms against ${Math.round(this.#baseline.ms)} ms at ${this.#baseline.level}`;
			this.#change(this.#ceiling, 'latency', detail);
			this.#ceilingSetBy = this.#last;
			return;
		}

		if (jumped) {
			// Hold for one more round at this level to confirm.
			this.#round = this.#newRound();
			return;
		}

		const rising = perSecond >= risingGain * this.#best.perSecond || round.level <= this.#best.level;
		if (perSecond > this.#best.perSecond) {
			this.#best = {perSecond, level: round.level};
		}

		if (round.level >= this.#ceiling) {
			this.#round = this.#newRound();
			return;
		}

		if (!rising) {
			this.#slowStart = false;
			if (++this.#held < probeAfter) {
				this.#plateau ??= {
					from: this.#current,
					to: this.#current,
					reason: 'plateau',
					detail: `${Math.round(perSecond)} images/s, no more than at ${this.#best.level}`,
				};
				this.#round = this.#newRound();
				return;
			}

			this.#held = 0;
			this.#change(Math.min(this.#ceiling, round.level + 1), 'probe', `trying ${round.level + 1} after ${probeAfter} rounds at ${round.level}`);
			return;
		}

		this.#held = 0;
		const next = Math.min(this.#ceiling, this.#slowStart ? round.level * 2 : round.level + 1);
		this.#change(next, 'rising', `${Math.round(perSecond)} images/s at ${round.level}`);
	}
}
