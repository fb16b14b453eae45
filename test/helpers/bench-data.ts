/** Made-up sweeps for the chart tests: shapes chosen to test the layout, not measured. */
import {type BenchResult, kneesOf, type PointResult, type ScenarioResult} from '../../src/bench/results.js';

export const concurrencies = [1, 2, 4, 8, 16, 32, 64];

/** A point of a made-up sweep: `rate` images/s at the median, a spread of ±10 % over 3 repeats. */
export function point(concurrency: number, rate: number, pageConcurrency = 4, parseWorkers: number | null = null): PointResult {
	const sample = {
		elapsedMs: 1000,
		processMs: 1100,
		imagesPerSecond: rate,
		megabytesPerSecond: 1,
		firstImageMs: 10,
		peakRssBytes: 80e6,
		downloaded: 400,
		failed: 0,
		bytes: 4e6,
		server: null,
	};
	return {
		scenario: 'wide',
		concurrency,
		pageConcurrency,
		parseWorkers,
		samples: [sample, sample, sample],
		elapsedMs: {median: 400_000 / rate, min: 360_000 / rate, max: 440_000 / rate},
		processMs: {median: 1100, min: 1000, max: 1200},
		imagesPerSecond: {median: rate, min: rate * 0.9, max: rate * 1.1},
		megabytesPerSecond: 1,
		peakRssBytes: 80e6,
		serverPeakInFlight: null,
		ideal: {latencyMs: 2000 / concurrency, bandwidthMs: 50, idealMs: Math.max(2000 / concurrency / (pageConcurrency / 4), 50)},
		efficiency: 0.8,
		speedup: null,
		complete: true,
	};
}

export function scenario(points: PointResult[]): ScenarioResult {
	return {
		scenario: {name: 'wide', pages: 10, perPage: 40, size: 10_000, latency: 20, jitter: 0, pageBytes: 0},
		images: 400,
		points,
		knees: kneesOf(points),
		targets: [{what: 'wall at -c 16', target: '<= 1.10x', measured: '1.30x', ok: false}],
	};
}

export function bench(scenarios: ScenarioResult[]): BenchResult {
	return {
		machine: {cpus: 2, model: 'test cpu', memoryBytes: 4e9, platform: 'linux', node: '20.19.0', loadAverage: [1, 1, 1]},
		versionMs: {median: 60, min: 55, max: 70},
		loopbackBytesPerSecond: 1e9,
		repeat: 3,
		workDir: '/tmp',
		scenarios,
	};
}

/** Still rising at 64: the knee would be the last point. */
export const rising = scenario(concurrencies.map(c => point(c, 20 * c)));
/** Three series (parse workers 0, 1, 2) that level off at 16: one ideal bound, knees at the same concurrency. */
export const multi = scenario([0, 1, 2].flatMap(workers => concurrencies.map(c => point(c, 100 * Math.min(c, 16) + workers, 4, workers))));
/** Two page concurrencies: two distinct ideal bounds. */
export const twoBounds = scenario([4, 8].flatMap(cp => concurrencies.map(c => point(c, 50 * Math.min(c, 8) + cp, cp))));
