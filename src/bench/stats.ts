/**
The bench's arithmetic: the ideal bound of a scenario, efficiency against it,
the knee of a throughput curve. Pure functions over plain numbers.
*/

import {imageCount, type Scenario} from './scenarios.js';

/** The pools' bounds at one point of the sweep. */
export interface Limits {
	concurrency: number;
	pageConcurrency: number;
}

/** The ideal bound of a run and the two terms it is the larger of. */
export interface IdealBound {
	/** L x (ceil(P / Cp) + ceil(N / C)): rounds of page fetches, then rounds of downloads, each one latency long. */
	latencyMs: number;
	/** (N x S + P x page bytes) / loopback throughput: the time to move the bytes at all. */
	bandwidthMs: number;
	/** max(latencyMs, bandwidthMs). */
	idealMs: number;
}

/**
The time a run of `scenario` cannot beat by much, with `bytesPerSecond` the
loopback throughput measured on the same machine. When latency dominates the
run is rounds of requests, each a latency long (mean latency: L + jitter / 2);
when bandwidth does, it is the bytes over the measured throughput.
*/
export function idealBound(scenario: Scenario, limits: Limits, bytesPerSecond: number): IdealBound {
	const latency = scenario.latency + scenario.jitter / 2;
	const latencyMs = latency * (Math.ceil(scenario.pages / limits.pageConcurrency) + Math.ceil(imageCount(scenario) / limits.concurrency));
	const bytes = imageCount(scenario) * scenario.size + scenario.pages * scenario.pageBytes;
	const bandwidthMs = bytesPerSecond > 0 ? (bytes / bytesPerSecond) * 1000 : 0;
	return {latencyMs, bandwidthMs, idealMs: Math.max(latencyMs, bandwidthMs)};
}

/** Ideal time over measured time: 1 is the bound itself, 0.5 took twice as long. */
export function efficiency(idealMs: number, measuredMs: number): number {
	return measuredMs > 0 ? idealMs / measuredMs : 0;
}

/** A point of a throughput curve. */
export interface CurvePoint {
	concurrency: number;
	/** Images per second (the median of the point's repeats). */
	throughput: number;
}

/**
The knee: the smallest concurrency whose throughput reaches `fraction` (95 %)
of the best throughput of the curve. Undefined for an empty curve.
*/
export function findKnee(points: readonly CurvePoint[], fraction = 0.95): CurvePoint | undefined {
	if (points.length === 0) {
		return undefined;
	}

	const best = Math.max(...points.map(point => point.throughput));
	return [...points].sort((a, b) => a.concurrency - b.concurrency).find(point => point.throughput >= fraction * best);
}

/** Smallest and largest sample. */
export function spread(samples: readonly number[]): {min: number; max: number} {
	return samples.length === 0 ? {min: 0, max: 0} : {min: Math.min(...samples), max: Math.max(...samples)};
}
