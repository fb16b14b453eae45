/**
How each page and image of the crawl ended, in Redis: one small JSON value
per URL (for images, the shared manifest itself) and the counters `status`
reports. An end is written once per URL (HSETNX), in the same script as its
counters, so a re-delivered job never counts twice, and it is written before
its job is acknowledged, so a killed process loses no end either.
*/

import type {ScrapeEvent} from '../types.js';
import type {ImageEnd, PageEnd} from './ends.js';
import type {RedisManifest} from './manifest.js';
import type {Connection, CrawlKeys} from './redis.js';

const recordEnd = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
	return 0
end
if ARGV[3] ~= '' then
	redis.call('HSETNX', KEYS[3], ARGV[3], ARGV[4])
end
for i = 5, #ARGV, 2 do
	redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 1
`;

export class CrawlRecords {
	readonly #connection: Connection;
	readonly #keys: CrawlKeys;
	readonly #manifest: RedisManifest;
	readonly #writes = new Set<Promise<unknown>>();
	/** Images this process saved, for its row in `status`. */
	saved = 0;

	constructor(connection: Connection, keys: CrawlKeys, manifest: RedisManifest) {
		this.#connection = connection;
		this.#keys = keys;
		this.#manifest = manifest;
	}

	/** Record what an event ends; the write is awaited by `flush`. */
	record(event: ScrapeEvent): void {
		switch (event.type) {
			case 'image-done': {
				this.saved++;
				const record = this.#manifest.take(event.url);
				const end: ImageEnd = {s: 'd', loc: event.location, b: event.bytes, sha: record?.sha256, pg: event.page, w: event.width, h: event.height};
				const counts = [
					'downloaded',
					1,
					'bytes',
					event.bytes,
					...(event.renamed ? ['renamed', 1] : []),
					...(event.width === undefined ? ['dimensionsUnknown', 1] : []),
				];
				this.#write(this.#keys.images, event.url, end, counts, record?.sha256, event.location);
				break;
			}

			case 'image-skipped': {
				const record = this.#manifest.take(event.url);
				const end: ImageEnd = {s: 's', r: event.reason, loc: event.location, b: record?.bytes, sha: record?.sha256, pg: event.page};
				this.#write(this.#keys.images, event.url, end, ['skipped', 1, `skipped:${event.reason}`, 1]);
				break;
			}

			case 'image-failed': {
				const {failure} = event;
				this.#manifest.take(failure.url);
				this.#write(this.#keys.images, failure.url, {s: 'f', r: failure.code, m: failure.message, pg: failure.page} satisfies ImageEnd, [
					'failed',
					1,
					`category:${failure.code}`,
					1,
				]);
				break;
			}

			case 'page': {
				const {result} = event;
				const end: PageEnd = {ok: result.ok, images: result.images.length, newImages: result.newImages, depth: result.depth};
				if (result.capped !== undefined) {
					end.capped = true;
				}

				if (result.error !== undefined) {
					end.error = result.error;
				}

				const counts = [
					result.ok ? 'pages' : 'pagesFailed',
					1,
					'images',
					result.newImages,
					...(result.capped === undefined ? [] : ['pagesCapped', 1]),
					...(result.error === undefined ? [] : [`category:${result.error.code}`, 1]),
				];
				this.#write(this.#keys.pageEnds, result.url, end, counts);
				break;
			}

			case 'retry':
			case 'image-fallback': {
				// Counted as they happen: a re-delivered job's retries count again.
				const write = this.#connection.redis
					.hincrby(this.#keys.counts, event.type === 'retry' ? 'retries' : 'fallbacks', 1)
					.finally(() => this.#writes.delete(write));
				this.#writes.add(write);
				break;
			}

			default: {
				break;
			}
		}
	}

	/** Resolves once every end recorded so far is in Redis. */
	async flush(): Promise<void> {
		await Promise.all(this.#writes);
	}

	#write(hash: string, url: string, end: object, counts: Array<string | number>, sha256?: string, location?: string): void {
		const owner = sha256 !== undefined && location !== undefined && this.#manifest.dedupes;
		const write = this.#connection.redis
			.eval(recordEnd, 3, hash, this.#keys.counts, this.#keys.owners, url, JSON.stringify(end), owner ? sha256 : '', location ?? '', ...counts.map(String))
			.finally(() => this.#writes.delete(write));
		this.#writes.add(write);
	}
}
