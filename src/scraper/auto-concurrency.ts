/**
`-c auto`: the download concurrency found while the run goes, the question
`imgscrape bench` answers offline. It starts low and doubles while nothing
pushes back, then climbs one at a time. A server that says it is overloaded
(a 429 or 503, or a timeout) halves it; a latency jump (the median of a round
of downloads three times that at a lower concurrency) or throughput that no longer
rises steps it back. Either of the first two sets a ceiling it never passes
again, so against a server with a limit it settles at that limit; a plateau
only holds it, and it probes upward again after a few rounds.

It watches the run's own events (`image-start`, `retry`, `image-done`,
`image-failed`) and changes nothing itself: the run applies each change to
its download pool. `--page-concurrency auto` runs a second one over the page
fetches (page-concurrency.ts), told of each through `started`, `pushedBack`
and `finished`. One controller serves the whole pool, so the first host to
push back sets the pace for all; `--per-host` still caps each host.
*/

import {median} from '../report/stats.js';
import type {ConcurrencyChange, ConcurrencyReason, ScrapeEvent} from '../types.js';

export interface AutoConcurrencyOptions {
	/** The highest it may go: `--max-concurrency`, lowered by a finite `--per-host`. */
	max: number;
	/** Where it starts. @default 2 */
	start?: number;
	onChange(change: ConcurrencyChange): void;
	now?: () => number;
	/** What it counts, for the details it gives: `images` or `pages`. @default 'images' */
	unit?: string | undefined;
}

/** Codes that mean the server wants fewer requests. */
const overloadCodes = new Set(['http-429', 'http-503', 'timeout']);
/** A round's median latency past this multiple of the best round's (and past it by `latencyMarginMs`) is a jump. */
const latencyFactor = 3;
/** Below this many milliseconds a doubling is noise (loopback, CPU), not a jump. */
const latencyMarginMs = 20;
/** A step up must bring at least this share of the throughput it would bring if the server kept pace, to count as rising. */
const risingShare = 0.5;
/** Rounds held on a plateau before one step up is tried again. */
const probeAfter = 4;
/** Fewest downloads a round is judged on. */
const minRound = 4;

/**
One round of judging a level: the first downloads started at it (its
cohort), judged once all of them are over. Waiting for those, not for the
first to finish, keeps the slow ones in the median.
*/
interface Round {
	level: number;
	/** When the first of the cohort started. */
	started: number | undefined;
	/** `#completions` when the first of the cohort started. */
	completedBefore: number;
	size: number;
	cohort: Set<string>;
	pending: number;
	latencies: number[];
	/** The first round after a change, which is not judged. */
	settling: boolean;
}

export class AutoConcurrency {
	readonly #options: AutoConcurrencyOptions;
	readonly #now: () => number;
	readonly #unit: string;
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
	/** The last round median at each level, to step back to the highest level that was fine. */
	readonly #medians = new Map<number, number>();
	/** The first round warms connections up: its latency is no baseline. */
	#warm = false;
	/** The last round judged at another level than the current one: the step to judge against. */
	#previous = {perSecond: 0, level: 0};
	/** The last round judged, to tell when the level moved. */
	#judged = {perSecond: 0, level: 0};
	/** Downloads over, whatever level they started at: the pool's real throughput. */
	#completions = 0;
	/** The highest level judged fine; after an overload it climbs back to it by doubling, then one at a time. */
	#good = 0;
	#recover = 0;
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
		this.#unit = options.unit ?? 'images';
		this.#ceiling = options.max;
		this.#current = Math.min(options.start ?? 2, options.max);
		this.#last = {from: this.#current, to: this.#current, reason: 'start', detail: `starting at ${this.#current}`};
		this.#round = this.#newRound();
	}

	get current(): number {
		return this.#current;
	}

	/**
	The level it has found: where it stands, or, while it climbs back after an
	overload halved it, the level it climbs back to (the highest judged fine,
	below the one that was pushed back). A run that ends in that climb found
	its answer already; the halving is only how it backs off.
	*/
	get found(): number {
		return this.#slowStart || this.#current >= this.#recover ? this.#current : Math.min(this.#recover, this.#ceiling);
	}

	/** Why it stands where it does (or climbs back to): what set the ceiling it reached, a plateau, or the last change. */
	get why(): ConcurrencyChange {
		if (this.found >= this.#ceiling) {
			return this.#ceilingSetBy ?? {from: this.#current, to: this.#current, reason: 'max', detail: `the most allowed, ${this.#options.max}`};
		}

		return this.#plateau ?? this.#last;
	}

	observe(event: ScrapeEvent): void {
		switch (event.type) {
			case 'image-start': {
				this.started(event.url);
				break;
			}

			case 'retry': {
				this.pushedBack(event.url, event.code);
				break;
			}

			case 'image-done': {
				this.finished(event.url, event.ms);
				break;
			}

			case 'image-failed': {
				this.pushedBack(event.failure.url, event.failure.code);
				this.finished(event.failure.url, undefined);
				break;
			}

			case 'image-skipped': {
				this.finished(event.url, undefined);
				break;
			}

			default:
		}
	}

	/** A request started (not a retry of one): `key` names it until it is finished. */
	started(key: string): void {
		this.#started.set(key, this.#generation);
		const round = this.#round;
		if (round.cohort.size < round.size) {
			if (round.started === undefined) {
				round.started = this.#now();
				round.completedBefore = this.#completions;
			}

			round.cohort.add(key);
			round.pending++;
		}
	}

	/** An attempt of a started request failed with `code`: a 429, 503 or timeout is the server pushing back. */
	pushedBack(key: string, code: string): void {
		if (this.#started.has(key)) {
			this.#signal(key, code);
		}
	}

	/** A started request is over: with its latency in ms when it succeeded, undefined when it failed or was skipped. */
	finished(key: string, ms: number | undefined): void {
		this.#finish(key, ms);
	}

	#newRound(): Round {
		return {
			level: this.#current,
			started: undefined,
			completedBefore: 0,
			size: Math.max(minRound, this.#current),
			cohort: new Set(),
			pending: 0,
			latencies: [],
			settling: true,
		};
	}

	/** Another round at the same level, judged. */
	#steadyRound(): Round {
		return {...this.#newRound(), settling: false};
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
		this.#recover = Math.min(this.#ceiling, this.#good);
		this.#change(Math.max(1, Math.floor(this.#current / 2)), 'overload', `${code} at ${this.#current} in flight`);
		this.#ceilingSetBy = this.#last;
	}

	#finish(url: string, ms: number | undefined): void {
		if (this.#started.delete(url)) {
			this.#completions++;
		}

		const pushedBack = this.#pushedBack.delete(url);
		const round = this.#round;
		if (!round.cohort.has(url)) {
			return;
		}

		round.pending--;
		if (ms !== undefined && !pushedBack) {
			round.latencies.push(ms);
		}

		if (round.pending === 0 && round.cohort.size === round.size) {
			this.#judge();
		}
	}

	#isJump(ms: number): boolean {
		return ms > latencyFactor * this.#baseline.ms && ms > this.#baseline.ms + latencyMarginMs;
	}

	/** A round is over: go up, hold, or step back. */
	#judge(): void {
		const round = this.#round;
		if (round.settling) {
			// The first round at a level shares the pool with downloads of the last one: judge the next.
			this.#round = this.#steadyRound();
			return;
		}
		const elapsed = Math.max(1, this.#now() - (round.started ?? 0));
		const perSecond = ((this.#completions - round.completedBefore) * 1000) / elapsed;
		if (round.level !== this.#judged.level) {
			this.#previous = this.#judged;
		}

		this.#judged = {perSecond, level: round.level};
		const latency = round.latencies.length > 0 && this.#warm ? median(round.latencies) : undefined;
		this.#warm = true;
		if (latency !== undefined) {
			this.#medians.set(round.level, latency);
			if (latency < this.#baseline.ms) {
				this.#baseline = {ms: latency, level: round.level};
			}
		}

		const jumped = latency !== undefined && round.level > this.#baseline.level && this.#isJump(latency);
		this.#jumps = jumped ? this.#jumps + 1 : 0;
		if (this.#jumps >= 2) {
			this.#jumps = 0;
			this.#slowStart = false;
			this.#ceiling = Math.max(1, Math.min(this.#ceiling, round.level - 1));
			const detail = `median ${Math.round(latency!)} ms at ${round.level} against ${Math.round(this.#baseline.ms)} ms at ${this.#baseline.level}`;
			// Back to the highest level below that was fine, then climb again to the ceiling.
			let back = this.#baseline.level;
			for (const [level, ms] of this.#medians) {
				if (level > back && level <= this.#ceiling && !this.#isJump(ms)) {
					back = level;
				}
			}

			this.#change(back, 'latency', detail);
			this.#ceilingSetBy = this.#last;
			return;
		}

		if (jumped) {
			// Hold for one more round at this level to confirm.
			this.#round = this.#steadyRound();
			return;
		}

		this.#good = Math.max(this.#good, round.level);
		const previous = this.#previous;
		const rising =
			previous.level === 0 ||
			round.level <= previous.level ||
			perSecond >= previous.perSecond * (1 + (risingShare * (round.level - previous.level)) / previous.level);

		if (round.level >= this.#ceiling) {
			this.#round = this.#steadyRound();
			return;
		}

		if (!rising) {
			// One round short of the gain can be noise (a burst of slow answers): doubling ends only when two in a row are.
			if (this.#held > 0) {
				this.#slowStart = false;
			}

			if (++this.#held < probeAfter) {
				this.#plateau ??= {
					from: this.#current,
					to: this.#current,
					reason: 'plateau',
					detail: `${Math.round(perSecond)} ${this.#unit}/s at ${round.level}, ${Math.round(previous.perSecond)} at ${previous.level}`,
				};
				this.#round = this.#steadyRound();
				return;
			}

			this.#held = 0;
			this.#change(Math.min(this.#ceiling, round.level + 1), 'probe', `trying ${round.level + 1} after ${probeAfter} rounds at ${round.level}`);
			return;
		}

		this.#held = 0;
		const fast = this.#slowStart || round.level < this.#recover;
		const next = Math.min(this.#ceiling, fast ? Math.min(round.level * 2, this.#slowStart ? Number.POSITIVE_INFINITY : this.#recover) : round.level + 1);
		this.#change(next, 'rising', `${Math.round(perSecond)} ${this.#unit}/s at ${round.level}`);
	}
}

/** A pool `AutoConcurrency` can steer: p-queue's `concurrency` may be set while it runs. */
export interface SteeredPool {
	concurrency: number;
}

/**
Put a pool under `-c auto`: it starts at the controller's level and follows
each change. `report` hears every change, and once more at `settle()` with
where it ended and why.
*/
export function steer(pool: SteeredPool, max: number, report: (change: ConcurrencyChange) => void, unit?: string | undefined) {
	const auto = new AutoConcurrency({
		max,
		unit,
		onChange(change) {
			pool.concurrency = change.to;
			report(change);
		},
	});
	pool.concurrency = auto.current;
	return {
		auto,
		observe: (event: ScrapeEvent) => {
			auto.observe(event);
		},
		settle() {
			report({...auto.why, from: auto.current, to: auto.found, settled: true});
		},
	};
}
