import {UsageError} from '../errors.js';
import {expected, isWholeNumber, wholeNumberRange} from '../validate.js';

/** The shape of a benchmark gallery: what the fixture server serves. */
export interface Scenario {
	/** Preset name, or `custom`. */
	name: string;
	/** Listing pages P. */
	pages: number;
	/** Images per page K; the run downloads N = P x K images. */
	perPage: number;
	/** Bytes per image S. */
	size: number;
	/** Milliseconds before each response starts. */
	latency: number;
	/** Up to this many extra milliseconds per response (mean jitter / 2). */
	jitter: number;
	/** Pad each listing page's HTML to about this many bytes (0: no padding). */
	pageBytes: number;
}

/** What a preset promises: the point the README's targets are checked at, and those targets. */
export interface Targets {
	/** The download concurrency the targets speak of; always swept. */
	concurrency: number;
	/** In-process wall time at most this multiple of the ideal bound. */
	idealRatio?: number;
	/** Whole-process wall time (spawn to exit) at most this, in ms. */
	processMs?: number;
	/** Speedup at `concurrency` over concurrency 1 at least this. */
	speedup?: number;
	/** Peak RSS of the scraping process below this. */
	rssBytes?: number;
	/** Wall time at most this multiple of `scaleCheck` times that of a crawl `scaleCheck` times smaller. */
	linearRatio?: number;
}

export interface Preset extends Scenario {
	about: string;
	/** The download concurrencies swept when `--concurrency` is not given; the default sweep otherwise. */
	sweep?: readonly number[];
	/** Also run a crawl this many times smaller (fewer pages, same shape), to check that cost grows linearly. */
	scaleCheck?: number;
	targets: Targets;
}

/** The default sweep of download concurrencies. */
export const defaultSweep: readonly number[] = [1, 2, 4, 8, 16, 32, 64];

const megabyte = 1_000_000;

/** The named scenarios of `imgscrape bench --preset`, with the performance targets of issue 7. */
export const presets: Readonly<Record<string, Preset>> = {
	seed: {
		name: 'seed',
		about: 'the seed article: 4 pages x 20 images x 200 kB, 50 ms latency',
		pages: 4,
		perPage: 20,
		size: 200_000,
		latency: 50,
		jitter: 0,
		pageBytes: 0,
		targets: {concurrency: 50, idealRatio: 1.3, processMs: 350, rssBytes: 150 * megabyte},
	},
	wide: {
		name: 'wide',
		about: 'many pages of small images: 50 x 40 x 30 kB, 20 ms latency',
		pages: 50,
		perPage: 40,
		size: 30_000,
		latency: 20,
		jitter: 0,
		pageBytes: 0,
		targets: {concurrency: 16, idealRatio: 1.15, processMs: 2850, speedup: 12, rssBytes: 150 * megabyte},
	},
	raw: {
		name: 'raw',
		about: 'bandwidth and overhead alone: 20 x 100 x 100 kB, no latency',
		pages: 20,
		perPage: 100,
		size: 100_000,
		latency: 0,
		jitter: 0,
		pageBytes: 0,
		targets: {concurrency: 8, processMs: 660, rssBytes: 150 * megabyte},
	},
	bigpage: {
		name: 'bigpage',
		about: 'parse-bound: 10 pages of ~2 MB HTML x 3,000 images x 2 kB, no latency',
		pages: 10,
		perPage: 3000,
		size: 2000,
		latency: 0,
		jitter: 0,
		pageBytes: 2 * megabyte,
		// 30,000 images a point: a shorter sweep keeps the default bench within minutes.
		sweep: [1, 4, 16, 64],
		targets: {concurrency: 16, processMs: 4000, rssBytes: 300 * megabyte},
	},
	huge: {
		name: 'huge',
		about: 'how cost grows: 2,000 pages x 50 images x 2 kB = 100,000 images, no latency',
		pages: 2000,
		perPage: 50,
		size: 2000,
		latency: 0,
		jitter: 0,
		pageBytes: 0,
		sweep: [16],
		scaleCheck: 50,
		targets: {concurrency: 16, rssBytes: 300 * megabyte, linearRatio: 1.3},
	},
};

/** Images downloaded by one run of the scenario. */
export function imageCount(scenario: Scenario): number {
	return scenario.pages * scenario.perPage;
}

/** The same gallery `factor` times smaller: fewer pages of the same shape. */
export function scaledDown(scenario: Scenario, factor: number): Scenario {
	return {...scenario, name: `${scenario.name}/${factor}`, pages: Math.max(1, Math.round(scenario.pages / factor))};
}

/** Parse a comma-separated list of presets. */
export function parsePresets(value: string): Preset[] {
	return value
		.split(',')
		.map(name => name.trim())
		.filter(name => name !== '')
		.map(name => {
			const preset = presets[name];
			if (preset === undefined) {
				throw new UsageError(`Unknown preset \`${name}\`; choose from ${Object.keys(presets).join(', ')}`);
			}

			return preset;
		});
}

/** Parse a comma-separated list of whole numbers from `min` up, such as `1,2,4,8`; sorted, without duplicates. */
export function parseCountList(name: string, value: unknown, min = 1): number[] {
	const items = String(value)
		.split(',')
		.map(item => item.trim());
	const numbers = items.map(Number);
	if (items.some(item => !/^\d+$/.test(item)) || !numbers.every(number => isWholeNumber(number, min))) {
		throw new UsageError(expected(name, `a comma-separated list of whole numbers ${wholeNumberRange(min)}`, value));
	}

	return [...new Set(numbers)].sort((a, b) => a - b);
}
