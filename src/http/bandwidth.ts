/**
A run's bandwidth limit (`limitRate`, bytes per second): one token bucket
shared by every body the run receives, pages and images alike, as wget's
--limit-rate. A chunk takes its bytes from the bucket; when the bucket is in
debt, the body that took them waits until the debt is paid back at the rate,
and its reading pauses meanwhile (the socket stops being read, so the sender
slows down too). The bucket holds one second's worth, so a quiet moment lets a
short burst through, but over any longer span the run stays at the rate.
*/

import {sleep} from './retry.js';

/** The clock the limit waits on; tests pass one that records the waits instead of sleeping. */
export interface BandwidthClock {
	now(): number;
	sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
}

export interface BandwidthLimit {
	/** Take `bytes` from the bucket: undefined to go on at once, or a promise of the wait the debt asks for. */
	take(bytes: number, signal?: AbortSignal): Promise<void> | undefined;
	/** Bytes taken so far. */
	readonly bytes: number;
	/** Waits asked for, in ms, in order: what the limit did. */
	readonly waits: readonly number[];
}

const systemClock: BandwidthClock = {now: () => performance.now(), sleep};

export function createBandwidthLimit(bytesPerSecond: number, clock: BandwidthClock = systemClock): BandwidthLimit {
	const capacity = bytesPerSecond;
	let tokens = capacity;
	let last = clock.now();
	let bytes = 0;
	const waits: number[] = [];
	return {
		take(taken, signal) {
			const now = clock.now();
			tokens = Math.min(capacity, tokens + ((now - last) * bytesPerSecond) / 1000);
			last = now;
			tokens -= taken;
			bytes += taken;
			if (tokens >= 0) {
				return undefined;
			}

			const wait = Math.ceil((-tokens * 1000) / bytesPerSecond);
			waits.push(wait);
			return clock.sleep(wait, signal);
		},
		get bytes() {
			return bytes;
		},
		get waits() {
			return waits;
		},
	};
}
