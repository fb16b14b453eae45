/**
The crawl's download queue: the `ImageQueue` port on a BullMQ queue. Each
image URL is one job for the whole crawl (its id comes from the URL, and done
jobs are kept), so an image found on pages in several processes is fetched
once; a job is acknowledged only once its end is recorded, so a process
killed mid-download has its images handed to another after the lease.
*/

import {hostKey} from '../http/host-gate.js';
import type {ImageJob, ImageJobEnd, ImageQueue} from '../ports.js';
import {jobId, LeasedQueue} from './leased-queue.js';
import type {Connection, CrawlKeys} from './redis.js';

/** How the queue parks an image whose host would keep it waiting: asked before the image is handled. */
export interface Parking {
	/** How long the host of `url` would keep a request waiting now (the crawl's gate). */
	delayOf(host: string): Promise<number>;
	/** A wait at least this long parks the job rather than holding one of the process's download places. */
	after: number;
}

export class RedisImageQueue implements ImageQueue {
	readonly #queue: LeasedQueue<ImageJob>;
	/** Resolves once the ends recorded so far are in Redis: awaited before a job is acknowledged. */
	readonly #flush: () => Promise<void>;
	readonly #parking: Parking | undefined;

	constructor(connection: Connection, keys: CrawlKeys, lease: number, flush: () => Promise<void>, parking?: Parking) {
		this.#queue = new LeasedQueue<ImageJob>({connection, prefix: keys.prefix, name: 'images', lease});
		this.#flush = flush;
		this.#parking = parking;
	}

	async add(images: readonly ImageJob[]): Promise<void> {
		await this.#queue.add(images.map(image => ({id: jobId('i', image.url), data: compact(image)})));
	}

	consume(handle: (job: ImageJob) => Promise<ImageJobEnd>, concurrency: number): void {
		const parking = this.#parking;
		this.#queue.consume(async job => {
			// A host held by a Retry-After (or spaced far apart) would hold this place for as long: other hosts' images take it meanwhile.
			const wait = parking === undefined || job.url.startsWith('data:') ? 0 : await parking.delayOf(hostKey(job.url));
			if (parking !== undefined && wait >= parking.after) {
				return {parkFor: wait};
			}

			const end = await handle(job);
			if (end === 'settled') {
				await this.#flush();
			}

			return end;
		}, concurrency);
	}

	stop(): void {
		void this.#queue.stop();
	}

	async drained(signal: AbortSignal): Promise<void> {
		await this.#queue.drained(signal);
	}

	/** Images the crawl holds in any state: every distinct image URL it found. */
	async total(): Promise<number> {
		return this.#queue.total();
	}

	async close(): Promise<void> {
		await this.#queue.close();
	}
}

/** The job without its empty fields: each byte is kept for the crawl's life, once per image. */
function compact(image: ImageJob): ImageJob {
	return Object.fromEntries(Object.entries(image).filter(([, value]) => value !== undefined && value !== '')) as unknown as ImageJob;
}
