/**
The crawl's frontier in Redis: the `Frontier` port on a BullMQ queue shared
by every process of the crawl. A page job is leased while its page runs and
acknowledged only once the page's children and images are queued and its end
is recorded, so a process killed at any moment loses no page: its jobs are
re-delivered after the lease, and the re-run re-adds the children, which the
URL-derived job ids make idempotent (never "seen but lost").
*/

import type {Frontier, PageJob, PageRequest} from '../ports.js';
import type {CrawlRules} from '../scraper/frontier.js';
import {type JobEnd, jobId, LeasedQueue} from './leased-queue.js';
import type {Connection, CrawlKeys} from './redis.js';

/**
A page's crawl-wide number, claimed once per URL, and the listing-page budget
(`maxPages`) counted exactly across processes: a listing page is counted once
whoever adds it, and a next-page link past the budget is refused (-1).
*/
const claimPage = `
local index = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '1' and redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
	if ARGV[3] == '1' and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then
		return -1
	end
	redis.call('HSET', KEYS[2], ARGV[1], 1)
end
if index then
	return tonumber(index)
end
index = redis.call('HINCRBY', KEYS[3], 'pageNumbers', 1) - 1
redis.call('HSET', KEYS[1], ARGV[1], index)
return index
`;

interface Leased {
	job: PageJob;
	/** Ends the BullMQ job: acknowledged, or handed back. */
	end(how: JobEnd): void;
}

export interface RedisFrontierOptions {
	connection: Connection;
	keys: CrawlKeys;
	rules: CrawlRules;
	/** Pages leased at once: the page pool's size. */
	concurrency: number;
	lease: number;
	/** Once aborted, pages that ended without a result are handed back rather than acknowledged. */
	signal: AbortSignal;
}

export class RedisFrontier implements Frontier {
	readonly #options: RedisFrontierOptions;
	readonly #queue: LeasedQueue<PageJob>;
	/** Jobs the queue has leased to this process that the run has not taken yet. */
	readonly #ready: Leased[] = [];
	/** Jobs the run has taken, by id. */
	readonly #taken = new Map<string, Leased>();
	/** Pages whose end (a result) the run reported, with its record being written. */
	readonly #ended = new Map<string, Promise<unknown>>();

	constructor(options: RedisFrontierOptions) {
		this.#options = options;
		this.#queue = new LeasedQueue<PageJob>({connection: options.connection, prefix: options.keys.prefix, name: 'pages', lease: options.lease});
		options.signal.addEventListener(
			'abort',
			() => {
				// Leased but never started: another process takes them.
				for (const leased of this.#ready.splice(0)) {
					leased.end('returned');
				}

				void this.#queue.stop();
			},
			{once: true},
		);
	}

	/** Start leasing jobs: after the start pages are added, so the first command's pages are there to take. */
	start(): void {
		this.#queue.consume(
			async job =>
				new Promise<JobEnd>(resolve => {
					if (this.#options.signal.aborted) {
						resolve('returned');
						return;
					}

					this.#ready.push({job, end: resolve});
				}),
			this.#options.concurrency,
		);
	}

	async add(requests: readonly PageRequest[]): Promise<PageJob[]> {
		const {rules, keys, connection} = this.#options;
		const {options} = rules;
		const jobs: Array<{id: string; data: PageJob}> = [];
		for (const request of requests) {
			if (request.via !== 'start' && (!rules.inScope(request.url) || request.depth > options.depth)) {
				continue;
			}

			const url = request.url.split('#', 1)[0]!;
			const index = Number(
				await connection.redis.eval(
					claimPage,
					3,
					keys.pageIndex,
					keys.listing,
					keys.counts,
					url,
					request.depth === 0 ? '1' : '0',
					request.via === 'next' ? '1' : '0',
					String(options.maxPages),
				),
			);
			if (index < 0) {
				continue;
			}

			const id = jobId('p', url);
			jobs.push({id, data: {id, url: request.url, depth: request.depth, parent: request.parent, index}});
		}

		await this.#queue.add(jobs);
		// Any process may take them: the run reports each page as it ends rather than hold a place for it.
		return [];
	}

	async take(): Promise<PageJob | undefined> {
		const leased = this.#ready.shift();
		if (leased === undefined) {
			return undefined;
		}

		this.#taken.set(leased.job.id, leased);
		return leased.job;
	}

	/** The run reported the page's result: `record` writes its end, which is awaited before the job is acknowledged. */
	ended(url: string, record: Promise<unknown>): void {
		this.#ended.set(url, record);
	}

	async done(job: PageJob): Promise<void> {
		const leased = this.#taken.get(job.id);
		this.#taken.delete(job.id);
		const record = this.#ended.get(job.url);
		this.#ended.delete(job.url);
		if (record === undefined && this.#options.signal.aborted) {
			// Cut short by the stop: the page is another process's to do.
			leased?.end('returned');
			return;
		}

		await record;
		leased?.end('settled');
	}

	async isFinished(): Promise<boolean> {
		return this.#ready.length === 0 && this.#taken.size === 0 && (await this.#queue.pending()) === 0;
	}

	/** Pages the crawl holds in any state. */
	async total(): Promise<number> {
		return this.#queue.total();
	}

	async close(): Promise<void> {
		for (const leased of this.#ready.splice(0)) {
			leased.end('returned');
		}

		await this.#queue.close();
	}
}
