/**
The merged report of a whole crawl, counted from what Redis holds (the ends
recorded once per URL and their counters), never from workers' snapshots:
the same fields as a run's `--json` report, plus `complete` and the workers.
*/

import type {ScrapeReport} from '../report/report.js';
import type {SkipReason, Failure} from '../types.js';
import type {ManifestEntry} from '../download/manifest.js';
import {LeasedQueue} from './leased-queue.js';
import type {ImageEnd, PageEnd} from './ends.js';
import type {Connection, CrawlKeys} from './redis.js';
import type {WorkerRow} from './worker.js';

export type CrawlStatus = Omit<
	ScrapeReport,
	// Each worker's own (its clocks, memory, parse workers, auto settings), or counts no worker records (the selectors' matches).
	| 'phases'
	| 'peakRssBytes'
	| 'elapsedMs'
	| 'firstImageMs'
	| 'imagesPerSecond'
	| 'megabytesPerSecond'
	| 'render'
	| 'autoConcurrency'
	| 'autoPageConcurrency'
	| 'parseWorkers'
	| 'unmatched'
> & {
	crawl: string;
	/** Nothing is queued, delayed or in progress anywhere. */
	complete: boolean;
	/** Pages and images queued, delayed or in progress now. */
	pending: {pages: number; images: number};
	workers: WorkerRow[];
};

/** Every field of a hash, in batches (HSCAN), so a large crawl is read without one huge reply. */
export async function* scanHash(connection: Connection, key: string): AsyncGenerator<[string, string]> {
	let cursor = '0';
	do {
		const [next, flat] = await connection.redis.hscan(key, cursor, 'COUNT', 1000);
		cursor = next;
		for (let index = 0; index < flat.length; index += 2) {
			yield [flat[index]!, flat[index + 1]!];
		}
	} while (cursor !== '0');
}

function queues(connection: Connection, keys: CrawlKeys) {
	return {
		pages: new LeasedQueue({connection, prefix: keys.prefix, name: 'pages', lease: 1000}),
		images: new LeasedQueue({connection, prefix: keys.prefix, name: 'images', lease: 1000}),
	};
}

export async function crawlStatus(connection: Connection, keys: CrawlKeys, name: string): Promise<CrawlStatus> {
	const {pages, images} = queues(connection, keys);
	try {
		const [counts, pendingPages, pendingImages, imageJobs, workers] = await Promise.all([
			connection.redis.hgetall(keys.counts),
			pages.pending(),
			images.pending(),
			images.total(),
			connection.redis.hvals(keys.workers),
		]);
		const count = (field: string) => Number(counts[field] ?? 0);
		const skippedByReason: Partial<Record<SkipReason, number>> = {};
		const failuresByCategory: Record<string, number> = {};
		for (const [field, value] of Object.entries(counts)) {
			if (field.startsWith('skipped:')) {
				skippedByReason[field.slice('skipped:'.length) as SkipReason] = Number(value);
			} else if (field.startsWith('category:')) {
				failuresByCategory[field.slice('category:'.length)] = Number(value);
			}
		}

		const pageFailures: Failure[] = [];
		const pageResults: CrawlStatus['pageResults'] = [];
		for await (const [url, json] of scanHash(connection, keys.pageEnds)) {
			const end = JSON.parse(json) as PageEnd;
			if (end.error !== undefined) {
				pageFailures.push(end.error);
			}

			pageResults.push({url, depth: end.depth, ok: end.ok, images: end.images, newImages: end.newImages, ...(end.error ? {error: end.error.code} : {})});
		}

		const imageFailures: Failure[] = [];
		if (count('failed') > 0) {
			for await (const [url, json] of scanHash(connection, keys.images)) {
				const end = JSON.parse(json) as ImageEnd;
				if (end.s === 'f') {
					imageFailures.push({url, page: end.pg, code: end.r ?? 'internal', message: end.m ?? ''});
				}
			}
		}

		return {
			crawl: name,
			complete: pendingPages === 0 && pendingImages === 0,
			pending: {pages: pendingPages, images: pendingImages},
			pages: count('pages'),
			pagesFailed: count('pagesFailed'),
			pagesCapped: count('pagesCapped'),
			// Every distinct image URL found: one job each, and the excluded ones, which never became jobs.
			images: imageJobs + (skippedByReason.excluded ?? 0),
			downloaded: count('downloaded'),
			failed: count('failed'),
			skipped: count('skipped'),
			skippedByReason,
			retries: count('retries'),
			fallbacks: count('fallbacks'),
			dimensionsUnknown: count('dimensionsUnknown'),
			renamed: count('renamed'),
			bytes: count('bytes'),
			caughtUp: false,
			aborted: false,
			stoppedBy: null,
			failuresByCategory,
			failures: [...pageFailures, ...imageFailures],
			warnings: [],
			pageResults: pageResults.sort((a, b) => a.url.localeCompare(b.url)),
			workers: workers.map(row => JSON.parse(row) as WorkerRow).sort((a, b) => a.id.localeCompare(b.id)),
		};
	} finally {
		await Promise.all([pages.queue.close(), images.queue.close()]);
	}
}

/** The crawl's manifest as the local manifest's lines (`file` is the location a worker reported), for `status --manifest`. */
export async function* crawlManifest(connection: Connection, keys: CrawlKeys): AsyncGenerator<Omit<ManifestEntry, 'time'>> {
	for await (const [url, json] of scanHash(connection, keys.images)) {
		const end = JSON.parse(json) as ImageEnd;
		if (end.s !== 'f' && end.loc !== undefined && end.b !== undefined && end.sha !== undefined) {
			yield {
				url,
				file: end.loc,
				bytes: end.b,
				sha256: end.sha,
				...(end.pg === undefined ? {} : {page: end.pg}),
				...(end.w === undefined ? {} : {width: end.w, height: end.h}),
			};
		}
	}
}
