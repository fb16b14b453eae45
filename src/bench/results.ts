/*
What a sweep yields, and what its points say: the series, their knees, and
whether a preset's targets held. Pure functions over the figures, apart from
the running in sweep.ts.
*/
import type {Scenario, Targets} from './scenarios.js';
import {findKnee, type IdealBound} from './stats.js';

/** One run of one point. */
export interface Sample {
	/** In-process wall time, from the report. */
	elapsedMs: number;
	/** Whole-process wall time, spawn to exit. */
	processMs: number;
	imagesPerSecond: number;
	megabytesPerSecond: number;
	firstImageMs: number | null;
	peakRssBytes: number;
	downloaded: number;
	failed: number;
	bytes: number;
	/** The fixture server's counters for the run; null against `--url`. */
	server: {imageRequests: number; pageRequests: number; imagePeakInFlight: number; pagePeakInFlight: number} | null;
}

/** Median and range of a figure over the repeats. */
export interface Summary {
	median: number;
	min: number;
	max: number;
}

/** One point of the sweep: its settings, every sample, and the figures derived from them. */
export interface PointResult {
	scenario: string;
	concurrency: number;
	pageConcurrency: number;
	parseWorkers: number | null;
	samples: Sample[];
	elapsedMs: Summary;
	processMs: Summary;
	imagesPerSecond: Summary;
	megabytesPerSecond: number;
	/** The largest peak RSS of the repeats. */
	peakRssBytes: number;
	/** The most requests the server saw in flight at once over the repeats; null against `--url`. */
	serverPeakInFlight: {image: number; page: number} | null;
	ideal: IdealBound;
	/** ideal / median in-process wall time. */
	efficiency: number;
	/** Median wall time at concurrency 1 over this point's, in the same series; null when 1 was not swept. */
	speedup: number | null;
	/** Every repeat saved every image and failed none. */
	complete: boolean;
}

/** The knee of one series (one page concurrency and parse worker count). */
export interface Knee {
	pageConcurrency: number;
	parseWorkers: number | null;
	concurrency: number;
	imagesPerSecond: number;
	bestImagesPerSecond: number;
	/**
	False when only the sweep's last point reaches the knee's share of the best:
	throughput was still rising where the sweep ended, so no knee was found
	within it (the true one lies further out, if anywhere).
	*/
	withinSweep: boolean;
	/** The sweep's last point is its best: throughput still rose at the end, if only a little. */
	rising: boolean;
}

/** A target of the issue and whether it held. */
export interface TargetCheck {
	what: string;
	target: string;
	measured: string;
	ok: boolean;
}

export interface ScenarioResult {
	scenario: Scenario;
	images: number;
	points: PointResult[];
	knees: Knee[];
	/** For presets with a scale check: the same shape, `factor` times smaller, and the growth ratio. */
	scale?: {factor: number; points: PointResult[]; ratios: Array<{concurrency: number; ratio: number}>};
	targets: TargetCheck[];
}

export interface BenchResult {
	machine: {cpus: number; model: string; memoryBytes: number; platform: string; node: string; loadAverage: number[]};
	/** `imgscrape --version` spawned, spawn to exit. */
	versionMs: Summary;
	/** Loopback throughput measured against the gallery process, bytes per second. */
	loopbackBytesPerSecond: number;
	repeat: number;
	workDir: string;
	scenarios: ScenarioResult[];
}

/** The points grouped by series (page concurrency and parse workers), each in sweep order. */
export function seriesOf(points: readonly PointResult[]): PointResult[][] {
	const groups = new Map<string, PointResult[]>();
	for (const point of points) {
		const key = `${point.pageConcurrency}/${point.parseWorkers}`;
		const group = groups.get(key);
		if (group === undefined) {
			groups.set(key, [point]);
		} else {
			group.push(point);
		}
	}

	return [...groups.values()];
}

/** The knee of each series. */
export function kneesOf(points: readonly PointResult[]): Knee[] {
	const knees: Knee[] = [];
	for (const series of seriesOf(points)) {
		const point = series[0]!;
		const curve = series.map(other => ({concurrency: other.concurrency, throughput: other.imagesPerSecond.median}));
		const knee = findKnee(curve);
		const last = curve.reduce((latest, each) => (each.concurrency > latest.concurrency ? each : latest), curve[0]!);
		if (knee !== undefined) {
			knees.push({
				pageConcurrency: point.pageConcurrency,
				parseWorkers: point.parseWorkers,
				concurrency: knee.concurrency,
				imagesPerSecond: knee.throughput,
				bestImagesPerSecond: Math.max(...curve.map(each => each.throughput)),
				withinSweep: knee.concurrency !== last.concurrency,
				rising: last.throughput >= Math.max(...curve.map(each => each.throughput)),
			});
		}
	}

	return knees;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
/** Milliseconds as seconds to the millisecond, as the targets and progress lines print them. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** Check a preset's targets at its target concurrency, on the best series there (lowest median whole-process time). */
export function checkTargets(targets: Targets, points: readonly PointResult[], scale?: ScenarioResult['scale']): TargetCheck[] {
	const atTarget = points.filter(point => point.concurrency === targets.concurrency);
	if (atTarget.length === 0) {
		return [];
	}

	const point = atTarget.reduce((best, each) => (each.processMs.median < best.processMs.median ? each : best));
	const where = `-c ${point.concurrency}${point.parseWorkers === null ? '' : ` --parse-workers ${point.parseWorkers}`}`;
	const checks: TargetCheck[] = [];
	if (targets.idealRatio !== undefined) {
		const ratio = point.elapsedMs.median / point.ideal.idealMs;
		checks.push({
			what: `in-process wall / ideal at ${where}`,
			target: `<= ${targets.idealRatio}x`,
			measured: `${ratio.toFixed(2)}x (${seconds(point.elapsedMs.median)} / ${seconds(point.ideal.idealMs)})`,
			ok: ratio <= targets.idealRatio,
		});
	}

	if (targets.processMs !== undefined) {
		checks.push({
			what: `whole-process wall at ${where}`,
			target: `<= ${seconds(targets.processMs)}`,
			measured: seconds(point.processMs.median),
			ok: point.processMs.median <= targets.processMs,
		});
	}

	if (targets.speedup !== undefined) {
		checks.push({
			what: `speedup at ${where} over -c 1`,
			target: `>= ${targets.speedup}x`,
			measured: point.speedup === null ? 'not measured (-c 1 not swept)' : `${point.speedup.toFixed(1)}x`,
			ok: point.speedup !== null && point.speedup >= targets.speedup,
		});
	}

	if (targets.rssBytes !== undefined) {
		checks.push({
			what: `peak RSS at ${where}`,
			target: `< ${mb(targets.rssBytes)}`,
			measured: mb(point.peakRssBytes),
			ok: point.peakRssBytes < targets.rssBytes,
		});
	}

	if (targets.linearRatio !== undefined && scale !== undefined) {
		const ratio = scale.ratios.find(each => each.concurrency === targets.concurrency);
		if (ratio !== undefined) {
			checks.push({
				what: `wall / (${scale.factor} x wall of a ${scale.factor}x smaller crawl) at ${where}`,
				target: `<= ${targets.linearRatio}x`,
				measured: `${ratio.ratio.toFixed(2)}x`,
				ok: ratio.ratio <= targets.linearRatio,
			});
		}
	}

	return checks;
}
