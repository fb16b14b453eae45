/**
One BullMQ queue of a crawl, as the crawl uses it: jobs whose ids come from
their URL (so a URL is queued once per crawl, and a finished job is kept for
the crawl's life so a rediscovered URL is not queued again), and a worker
whose jobs are leased for `lease` ms, renewed while they run and handed to
another worker when a process dies and its lease runs out.
*/

import {createHash} from 'node:crypto';
import type {Job, Queue, Worker} from 'bullmq';
import type {Connection} from './redis.js';
import {sleep} from '../http/retry.js';

/** BullMQ's event stream per queue is capped at this many entries: Redis stays bounded whatever the crawl's size. */
const eventsKept = 100;
/** How often a process waiting for the whole crawl to drain asks Redis. */
const drainPollMs = 150;

/** The job id of a URL: its canonical form (no fragment) hashed, with a letter for the queue. */
export function jobId(kind: 'p' | 'i', url: string): string {
	const canonical = url.split('#', 1)[0]!;
	return kind + createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

export interface LeasedQueueOptions {
	connection: Connection;
	/** BullMQ's key prefix: the crawl's. */
	prefix: string;
	name: 'pages' | 'images';
	/** Milliseconds a worker may go silent before its jobs go to others. */
	lease: number;
}

/**
What a handler says of a job: acknowledged; handed back to the queue for
another process (this one is stopping); or parked: delayed for `parkFor` ms,
for whichever process is free then, because its host will not take it sooner.
*/
export type JobEnd = 'settled' | 'returned' | {parkFor: number};

export class LeasedQueue<T> {
	readonly queue: Queue;
	readonly #options: LeasedQueueOptions;
	#worker: Worker | undefined;
	#active = 0;
	#idle: (() => void) | undefined;

	constructor(options: LeasedQueueOptions) {
		this.#options = options;
		const {Queue} = options.connection.bull;
		this.queue = new Queue(options.name, {
			connection: options.connection.connection,
			prefix: options.prefix,
			streams: {events: {maxLen: eventsKept}},
		});
		this.queue.on('error', () => {
			// A lost connection is retried by ioredis; the calls that need it wait.
		});
	}

	/** Queue jobs; a job whose id the queue holds in any state (done included) is left as it is. */
	async add(jobs: ReadonlyArray<{id: string; data: T}>): Promise<void> {
		if (jobs.length === 0) {
			return;
		}

		await this.queue.addBulk(jobs.map(({id, data}) => ({name: this.#options.name, data, opts: {jobId: id, removeOnComplete: false, removeOnFail: false}})));
	}

	/** Start the worker: up to `concurrency` jobs leased at once, each handed to `handle`. */
	consume(handle: (data: T, id: string) => Promise<JobEnd>, concurrency: number): void {
		const {Worker, DelayedError} = this.#options.connection.bull;
		const {lease} = this.#options;
		this.#worker = new Worker(
			this.#options.name,
			async (job: Job, token?: string) => {
				this.#active++;
				let end: JobEnd;
				try {
					end = await handle(job.data as T, job.id!);
				} finally {
					this.#active--;
					if (this.#active === 0) {
						this.#idle?.();
					}
				}

				if (end !== 'settled') {
					// Back to the queue, at once or when its host will take it, for any process, without counting as an attempt.
					await job.moveToDelayed(Date.now() + (end === 'returned' ? 0 : end.parkFor), token);
					throw new DelayedError();
				}
			},
			{
				connection: this.#options.connection.connection,
				prefix: this.#options.prefix,
				concurrency,
				lockDuration: lease,
				// The check for jobs whose lease ran out: at least once per lease.
				stalledInterval: lease,
				// A job is handed on however often its takers die: a crash loses nothing.
				maxStalledCount: Number.MAX_SAFE_INTEGER,
				drainDelay: 1,
			},
		);
		this.#worker.on('error', () => {
			// As for the queue: the connection is retried.
		});
	}

	/** Take no more jobs; those running go on to their end. */
	async stop(): Promise<void> {
		await this.#worker?.close();
	}

	/** Jobs queued, delayed or in progress anywhere in the crawl. */
	async pending(): Promise<number> {
		const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
		return Object.values(counts).reduce((sum, count) => sum + count, 0);
	}

	/** Every job the crawl holds, in any state: the URLs it found. */
	async total(): Promise<number> {
		const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed');
		return Object.values(counts).reduce((sum, count) => sum + count, 0);
	}

	/** Resolves once nothing is pending anywhere; on abort, once this process's own handlers have ended. */
	async drained(signal: AbortSignal): Promise<void> {
		while (!signal.aborted && (await this.pending()) > 0) {
			// An abort ends the wait early; the loop then stops asking.
			await sleep(drainPollMs, signal).catch(() => {});
		}

		if (this.#active > 0) {
			await new Promise<void>(resolve => {
				this.#idle = resolve;
			});
		}
	}

	async close(): Promise<void> {
		await this.#worker?.close();
		await this.queue.close();
	}
}
