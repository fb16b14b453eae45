import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {request} from 'undici';
import {median} from '../report/stats.js';
import {forkGalleryProcess, type GalleryProcess, type RemoteGallery} from './gallery-process.js';
import {checkTargets, kneesOf, seconds, type BenchResult, type PointResult, type Sample, type ScenarioResult, type Summary} from './results.js';
import {defaultSweep, imageCount, scaledDown, type Preset, type Scenario} from './scenarios.js';
import {spawnCli, spawnScrape} from './spawn-cli.js';
import {efficiency, idealBound, spread} from './stats.js';

/** What to sweep. */
export interface SweepOptions {
	/** The scenarios, each with its preset when it came from one. */
	scenarios: Array<{scenario: Scenario; preset?: Preset | undefined}>;
	/** Download concurrencies; undefined: each preset's own sweep, or the default one. */
	concurrency?: readonly number[] | undefined;
	pageConcurrency: readonly number[];
	/** Parse worker counts; undefined leaves the scraper's default and passes no flag. */
	parseWorkers?: readonly number[] | undefined;
	repeat: number;
	/** Base URL of a running fixture gallery (`imgscrape serve`) instead of starting one per scenario. */
	url?: string | undefined;
	/** Where each point's fresh output folder is made (and deleted after). */
	workDir: string;
	/** One line per finished sample, for progress on stderr. */
	onProgress?: (line: string) => void;
	signal?: AbortSignal | undefined;
}

function summarise(samples: readonly number[]): Summary {
	return {median: median(samples), ...spread(samples)};
}

/** The default work folder: tmpfs when the machine has it, so the disk is not what is measured. */
export function defaultWorkDir(): string {
	return os.platform() === 'linux' ? '/dev/shm' : os.tmpdir();
}

/** Rendered images the gallery keeps in memory, so serving costs what a static file server's would: no rendering. */
export const imageCacheBytes = 512 * 1024 * 1024;

/**
Loopback throughput, measured the way the scraper moves bytes: undici GETs of
1 MB images from the gallery process's memory, several at once, bodies
discarded. One round to fill the cache, then the best of three.
*/
async function measureLoopback(galleries: GalleryProcess): Promise<number> {
	const size = 1024 * 1024;
	const count = 32;
	const gallery = await galleries.start({pages: 1, perPage: count, size, imageCache: imageCacheBytes});
	const fetchAll = async () =>
		Promise.all(
			Array.from({length: count}, async (_, index) => {
				const response = await request(`${gallery.url}uploads/allimg/p1-${String(index + 1).padStart(2, '0')}.jpg`);
				for await (const chunk of response.body) {
					void chunk;
				}
			}),
		);
	try {
		await fetchAll();
		let best = 0;
		for (let round = 0; round < 3; round++) {
			const started = performance.now();
			await fetchAll();
			best = Math.max(best, (size * count) / ((performance.now() - started) / 1000));
		}

		return best;
	} finally {
		await gallery.stop();
	}
}

async function measureVersion(repeat: number): Promise<Summary> {
	const times: number[] = [];
	for (let run = 0; run < Math.max(3, repeat); run++) {
		times.push((await spawnCli(['--version'])).processMs);
	}

	return summarise(times);
}

interface Setting {
	concurrency: number;
	pageConcurrency: number;
	parseWorkers: number | null;
}

async function runSample(scenario: Scenario, template: string, gallery: RemoteGallery | undefined, setting: Setting, workDir: string): Promise<Sample> {
	const out = await mkdtemp(path.join(workDir, 'imgscrape-bench-'));
	try {
		await gallery?.resetStats();
		const {report, processMs} = await spawnScrape([
			template,
			'--pages',
			`1-${scenario.pages}`,
			'-c',
			String(setting.concurrency),
			'--page-concurrency',
			String(setting.pageConcurrency),
			...(setting.parseWorkers === null ? [] : ['--parse-workers', String(setting.parseWorkers)]),
			'-o',
			out,
		]);
		const stats = await gallery?.stats();
		return {
			elapsedMs: report.elapsedMs,
			processMs,
			imagesPerSecond: report.imagesPerSecond,
			megabytesPerSecond: report.megabytesPerSecond,
			firstImageMs: report.firstImageMs,
			peakRssBytes: report.peakRssBytes,
			downloaded: report.downloaded,
			failed: report.failed + report.pagesFailed,
			bytes: report.bytes,
			server:
				stats === undefined
					? null
					: {
							imageRequests: stats.image.requests,
							pageRequests: stats.page.requests,
							imagePeakInFlight: stats.image.peakInFlight,
							pagePeakInFlight: stats.page.peakInFlight,
						},
		};
	} finally {
		await rm(out, {recursive: true, force: true});
	}
}

function settings(concurrency: readonly number[], options: SweepOptions): Setting[] {
	const list: Setting[] = [];
	for (const pageConcurrency of options.pageConcurrency) {
		for (const parseWorkers of options.parseWorkers ?? [null]) {
			for (const each of concurrency) {
				list.push({concurrency: each, pageConcurrency, parseWorkers});
			}
		}
	}

	return list;
}

function sameSeries(a: Setting, b: Setting): boolean {
	return a.pageConcurrency === b.pageConcurrency && a.parseWorkers === b.parseWorkers;
}

function describeSetting(setting: Setting): string {
	return `-c ${setting.concurrency} --page-concurrency ${setting.pageConcurrency}${setting.parseWorkers === null ? '' : ` --parse-workers ${setting.parseWorkers}`}`;
}

/**
Run every setting `repeat` times against one scenario. Repeats go round the
whole sweep rather than point by point, so a slow spell on a shared machine
spreads over the points instead of landing on one.
*/
async function sweepScenario(
	scenario: Scenario,
	list: readonly Setting[],
	options: SweepOptions,
	galleries: GalleryProcess,
	bytesPerSecond: number,
): Promise<PointResult[]> {
	const gallery =
		options.url === undefined
			? await galleries.start({
					pages: scenario.pages,
					perPage: scenario.perPage,
					size: scenario.size,
					latency: scenario.latency,
					jitter: scenario.jitter,
					pageBytes: scenario.pageBytes,
					imageCache: imageCacheBytes,
				})
			: undefined;
	const template = `${gallery?.url ?? options.url!.replace(/\/?$/, '/')}index{_page}.html`;
	const samples = list.map(() => [] as Sample[]);
	try {
		// One unmeasured run at the highest concurrency fills the gallery's caches and the OS's.
		const warmUp = list.reduce((best, each) => (each.concurrency > best.concurrency ? each : best));
		await runSample(scenario, template, gallery, warmUp, options.workDir);
		for (let repeat = 0; repeat < options.repeat; repeat++) {
			for (const [index, setting] of list.entries()) {
				options.signal?.throwIfAborted();
				const sample = await runSample(scenario, template, gallery, setting, options.workDir);
				samples[index]!.push(sample);
				options.onProgress?.(
					`${scenario.name} ${describeSetting(setting)} #${repeat + 1}: ${(sample.elapsedMs / 1000).toFixed(3)} s in process, ${(sample.processMs / 1000).toFixed(3)} s whole, ${sample.imagesPerSecond.toFixed(0)} images/s`,
				);
			}
		}
	} finally {
		await gallery?.stop();
	}

	const images = imageCount(scenario);
	const points = list.map((setting, index): PointResult => {
		const pointSamples = samples[index]!;
		const elapsedMs = summarise(pointSamples.map(sample => sample.elapsedMs));
		const ideal = idealBound(scenario, setting, bytesPerSecond);
		const servers = pointSamples.flatMap(sample => (sample.server === null ? [] : [sample.server]));
		return {
			scenario: scenario.name,
			...setting,
			samples: pointSamples,
			elapsedMs,
			processMs: summarise(pointSamples.map(sample => sample.processMs)),
			imagesPerSecond: summarise(pointSamples.map(sample => sample.imagesPerSecond)),
			megabytesPerSecond: median(pointSamples.map(sample => sample.megabytesPerSecond)),
			peakRssBytes: Math.max(...pointSamples.map(sample => sample.peakRssBytes)),
			serverPeakInFlight:
				servers.length === 0
					? null
					: {
							image: Math.max(...servers.map(server => server.imagePeakInFlight)),
							page: Math.max(...servers.map(server => server.pagePeakInFlight)),
						},
			ideal,
			efficiency: efficiency(ideal.idealMs, elapsedMs.median),
			speedup: null,
			complete: pointSamples.every(sample => sample.downloaded === images && sample.failed === 0),
		};
	});
	for (const point of points) {
		const base = points.find(other => other.concurrency === 1 && sameSeries(other, point));
		point.speedup = base === undefined ? null : base.elapsedMs.median / point.elapsedMs.median;
	}

	return points;
}

/** Run the whole bench: the gallery process, the loopback and startup measurements, then every scenario's sweep. */
export async function runSweep(options: SweepOptions): Promise<BenchResult> {
	const galleries = await forkGalleryProcess();
	try {
		const loopbackBytesPerSecond = await measureLoopback(galleries);
		const versionMs = await measureVersion(options.repeat);
		options.onProgress?.(`loopback ${(loopbackBytesPerSecond / 1e6).toFixed(0)} MB/s; imgscrape --version ${seconds(versionMs.median)}`);
		const scenarios: ScenarioResult[] = [];
		for (const {scenario, preset} of options.scenarios) {
			const sweep = options.concurrency ?? preset?.sweep ?? defaultSweep;
			// The point a preset's targets speak of is always measured.
			const concurrency = [...new Set([...sweep, ...(preset ? [preset.targets.concurrency] : [])])].sort((a, b) => a - b);
			const list = settings(concurrency, options);
			const points = await sweepScenario(scenario, list, options, galleries, loopbackBytesPerSecond);
			let scale: ScenarioResult['scale'];
			if (preset?.scaleCheck !== undefined && options.url === undefined) {
				const factor = preset.scaleCheck;
				const small = await sweepScenario(scaledDown(scenario, factor), list, options, galleries, loopbackBytesPerSecond);
				scale = {
					factor,
					points: small,
					ratios: points.map((point, index) => ({concurrency: point.concurrency, ratio: point.elapsedMs.median / (factor * small[index]!.elapsedMs.median)})),
				};
			}

			scenarios.push({
				scenario,
				images: imageCount(scenario),
				points,
				knees: kneesOf(points),
				...(scale ? {scale} : {}),
				targets: preset ? checkTargets(preset.targets, points, scale) : [],
			});
		}

		const cpus = os.cpus();
		return {
			machine: {
				cpus: cpus.length,
				model: cpus[0]?.model ?? 'unknown',
				memoryBytes: os.totalmem(),
				platform: `${os.platform()} ${os.release()}`,
				node: process.version,
				loadAverage: os.loadavg(),
			},
			versionMs,
			loopbackBytesPerSecond,
			repeat: options.repeat,
			workDir: options.workDir,
			scenarios,
		};
	} finally {
		await galleries.close();
	}
}
