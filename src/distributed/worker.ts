/**
One worker of a shared crawl: the ordinary `scrape()` run, given the crawl's
Redis-backed parts (frontier, download queue, manifest, host gate) instead of
its own. It works until nothing is queued, delayed or in progress anywhere
(pages, then images), or until its signal aborts: then it takes no new jobs,
hands back what it had not finished, and reports.
*/

import {hostname} from 'node:os';
import {JsonlManifest} from '../download/manifest.js';
import {UsageError} from '../errors.js';
import type {ResolvedOptions} from '../options.js';
import type {ScrapeReport} from '../report/report.js';
import {CrawlRules} from '../scraper/frontier.js';
import {hostLimits} from '../scraper/run-http.js';
import {runResolved} from '../scraper/scrape.js';
import type {ScrapeEvent} from '../types.js';
import {RedisFrontier} from './frontier.js';
import {createRedisHostGate} from './host-gate.js';
import {RedisImageQueue} from './images.js';
import {RedisManifest} from './manifest.js';
import {CrawlRecords} from './records.js';
import {createRedisRobots} from './robots.js';
import {type Connection, crawlKeys} from './redis.js';
import {crawlStore} from './store.js';

export interface WorkerOptions {
	connection: Connection;
	name: string;
	/** Milliseconds this process may go silent before its jobs go to others. */
	lease: number;
}

/** A worker's row in `status`. */
export interface WorkerRow {
	id: string;
	host: string;
	pid: number;
	saved: number;
	/** When it last said it was alive, ISO 8601. */
	lastSeen: string;
	/** Its output folder. */
	out: string;
}

/** Options a shared crawl cannot honour: refused before anything starts. */
export function checkCrawlOptions(options: ResolvedOptions): void {
	if (!options.download) {
		throw new UsageError('a crawl downloads: `list` cannot share one');
	}

	const refused = [
		options.autoConcurrency ? '-c auto (give each worker a count)' : undefined,
		options.range === undefined ? undefined : '--range and --limit (positions in page order need one process)',
		options.abort === undefined ? undefined : '--abort',
		options.openPages === undefined ? undefined : 'an open-ended --pages N-',
	].filter(reason => reason !== undefined);
	if (refused.length > 0) {
		throw new UsageError(`a crawl shared over Redis cannot take ${refused.join(', ')}`);
	}
}

/** An image whose host would keep it waiting this long is parked: half a lease, at most 10 s. */
export function parkAfter(lease: number): number {
	return Math.min(lease / 2, 10_000);
}

export async function runWorker(resolved: ResolvedOptions, {connection, name, lease}: WorkerOptions): Promise<ScrapeReport> {
	checkCrawlOptions(resolved);
	const keys = crawlKeys(name);
	const signal = resolved.signal ?? new AbortController().signal;
	const rules = new CrawlRules(resolved.pageUrls, {
		follow: resolved.extract.follow !== undefined,
		depth: resolved.depth,
		next: resolved.extract.next !== undefined,
		maxPages: resolved.maxPages,
		allowHost: resolved.allowHost,
	});
	const local = await JsonlManifest.open(resolved.files.manifest);
	const store = crawlStore({out: resolved.out, name: resolved.files.name, overwrite: resolved.overwrite}, connection, keys);
	local.start();
	const manifest = new RedisManifest(connection, keys, local, resolved.files.dedupeContent);
	const records = new CrawlRecords(connection, keys, manifest);
	const frontier = new RedisFrontier({connection, keys, rules, concurrency: resolved.pageConcurrency, lease, signal});
	const hostGate = createRedisHostGate(connection, keys, hostLimits(resolved), lease);
	const images = new RedisImageQueue(connection, keys, lease, async () => records.flush(), {
		delayOf: async host => hostGate.delayOf(host),
		after: parkAfter(lease),
	});
	const robots = createRedisRobots(connection, keys, lease, signal);
	const row: WorkerRow = {id: `${hostname()}:${process.pid}`, host: hostname(), pid: process.pid, saved: 0, lastSeen: '', out: resolved.out};
	const beat = async () => {
		row.saved = records.saved;
		row.lastSeen = new Date().toISOString();
		await connection.redis.hset(keys.workers, row.id, JSON.stringify(row)).catch(() => {});
	};

	await beat();
	const heartbeat = setInterval(() => void beat(), Math.min(lease / 3, 2000));
	const onEvent = (event: ScrapeEvent) => {
		records.record(event);
		if (event.type === 'page') {
			frontier.ended(event.result.url, records.flush());
		}

		resolved.onEvent(event);
	};

	frontier.start();
	try {
		return await runResolved({...resolved, onEvent}, {frontier, images, manifest, store, hostGate, robots});
	} finally {
		clearInterval(heartbeat);
		await records.flush().catch(() => {});
		await Promise.all([frontier.close(), images.close()]);
		await beat();
	}
}
