/**
The per-host gate every request passes before it is sent: at most `perHost`
requests in flight to one host, and at least `interval` ms between the starts
of two requests to it. Both pools share the gate, so the limits hold across
pages, images and robots.txt alike.
*/

import {maxTimerMs} from '../validate.js';

/** What the gate enforces per host. */
export interface HostLimits {
	/** Requests in flight to one host at once; `Infinity` for no cap. */
	perHost: number;
	/** Least milliseconds between the starts of two requests to one host; 0 for none. */
	interval: number;
	/** Vary each interval between 0.5 and 1.5 times itself, as wget's --random-wait (a robots.txt Crawl-delay stays a floor). @default false */
	randomWait?: boolean | undefined;
	/** The random numbers of `randomWait`, in [0, 1); tests pass their own. @default Math.random */
	random?: (() => number) | undefined;
}

/** The clock the gate waits on; tests pass a fake one to step time by hand. */
export interface GateClock {
	now(): number;
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

/** Called once when a request's response is over (or it failed), to free its place. */
export type Release = () => void;

export interface HostGate {
	/**
	Wait for the host's turn, in arrival order. Resolves with the release to call
	once the response body is done; rejects with the signal's reason if it aborts
	first, leaving no listener or timer behind.
	*/
	acquire(host: string, signal?: AbortSignal): Promise<Release>;
	/** Raise one host's interval to at least `ms` (a robots.txt Crawl-delay). Never lowers it. */
	setMinimumInterval(host: string, ms: number): void;
	/** Requests waiting for a host's turn, for tests and progress. */
	waiting(host: string): number;
	/**
	A server asked for a pause (Retry-After on a 429 or 503): no request to the
	host starts for `ms`. Optional: the local gate leaves it to the retry's own
	wait; a gate shared by many processes holds the whole crawl back.
	*/
	holdFor?(host: string, ms: number): void;
}

interface Waiter {
	grant(release: Release): void;
}

interface Slot {
	active: number;
	/** The earliest time the next request to this host may start. */
	nextStart: number;
	floor: number;
	waiters: Waiter[];
	timer: unknown;
}

const systemClock: GateClock = {
	now: () => performance.now(),
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	clearTimeout: handle => {
		clearTimeout(handle as NodeJS.Timeout);
	},
};

/** The host key the gate and the README speak of: `host[:port]` as in the URL, lower-cased. */
export function hostKey(url: string | URL): string {
	return (typeof url === 'string' ? new URL(url) : url).host;
}

export function createHostGate(limits: HostLimits, clock: GateClock = systemClock): HostGate {
	const slots = new Map<string, Slot>();

	function slotFor(host: string): Slot {
		let slot = slots.get(host);
		if (slot === undefined) {
			slot = {active: 0, nextStart: Number.NEGATIVE_INFINITY, floor: 0, waiters: [], timer: undefined};
			slots.set(host, slot);
		}

		return slot;
	}

	function start(slot: Slot): Release {
		slot.active++;
		const interval = limits.randomWait === true ? limits.interval * (0.5 + (limits.random ?? Math.random)()) : limits.interval;
		slot.nextStart = clock.now() + Math.max(interval, slot.floor);
		let released = false;
		return () => {
			if (released) {
				return;
			}

			released = true;
			slot.active--;
			pump(slot);
		};
	}

	function stopTimer(slot: Slot): void {
		if (slot.timer !== undefined) {
			clock.clearTimeout(slot.timer);
			slot.timer = undefined;
		}
	}

	function pump(slot: Slot): void {
		while (slot.waiters.length > 0 && slot.active < limits.perHost) {
			const wait = slot.nextStart - clock.now();
			if (wait > 0) {
				// Capped to what a timer holds: a longer wait would fire at once, and the pump re-checks the time anyway.
				slot.timer ??= clock.setTimeout(
					() => {
						slot.timer = undefined;
						pump(slot);
					},
					Math.min(Math.ceil(wait), maxTimerMs),
				);
				return;
			}

			slot.waiters.shift()!.grant(start(slot));
		}

		if (slot.waiters.length === 0) {
			stopTimer(slot);
		}
	}

	return {
		async acquire(host, signal) {
			signal?.throwIfAborted();
			const slot = slotFor(host);
			if (slot.waiters.length === 0 && slot.active < limits.perHost && slot.nextStart <= clock.now()) {
				return start(slot);
			}

			return new Promise<Release>((resolve, reject) => {
				const onAbort = () => {
					const index = slot.waiters.indexOf(waiter);
					if (index !== -1) {
						slot.waiters.splice(index, 1);
					}

					if (slot.waiters.length === 0) {
						stopTimer(slot);
					}

					reject(signal!.reason);
				};

				const waiter: Waiter = {
					grant(release) {
						signal?.removeEventListener('abort', onAbort);
						resolve(release);
					},
				};
				signal?.addEventListener('abort', onAbort, {once: true});
				slot.waiters.push(waiter);
				pump(slot);
			});
		},
		setMinimumInterval(host, ms) {
			const slot = slotFor(host);
			if (ms > slot.floor) {
				// The request that just started keeps its place; the next ones wait the longer interval.
				slot.nextStart += ms - Math.max(limits.interval, slot.floor);
				slot.floor = ms;
			}
		},
		waiting(host) {
			return slots.get(host)?.waiters.length ?? 0;
		},
	};
}
