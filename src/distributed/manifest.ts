/**
The crawl's manifest: the `Manifest` port over the image ends in Redis
(`records.ts` writes them), answering asynchronously, with each process's
local JSON-lines manifest beside it so every output folder stays
self-describing. `add` is called before an image becomes visible: it writes
the local line at once and holds the record until the image's end is written
to Redis, after the file is in place, so the shared manifest never names a
file that is not there.
*/

import type {JsonlManifest} from '../download/manifest.js';
import type {Manifest, ManifestRecord} from '../ports.js';
import type {ImageEnd} from './ends.js';
import type {Connection, CrawlKeys} from './redis.js';

export class RedisManifest implements Manifest {
	readonly #connection: Connection;
	readonly #keys: CrawlKeys;
	readonly #local: JsonlManifest;
	/** Records added whose image has not ended yet, by URL. */
	readonly #pending = new Map<string, ManifestRecord>();
	/** Whether the crawl keeps identical bytes once (`dedupeContent`): only then are sha256 owners kept. */
	readonly dedupes: boolean;

	constructor(connection: Connection, keys: CrawlKeys, local: JsonlManifest, dedupes: boolean) {
		this.#connection = connection;
		this.#keys = keys;
		this.#local = local;
		this.dedupes = dedupes;
	}

	async lookup(url: string): Promise<ManifestRecord | undefined> {
		const local = this.#local.lookup(url);
		if (local !== undefined) {
			return local;
		}

		const value = await this.#connection.redis.hget(this.#keys.images, url);
		if (value === null) {
			return undefined;
		}

		const end = JSON.parse(value) as ImageEnd;
		if (end.loc === undefined || end.b === undefined || end.sha === undefined) {
			return undefined;
		}

		return {url, location: end.loc, bytes: end.b, sha256: end.sha, page: end.pg, width: end.w, height: end.h};
	}

	async ownerOf(sha256: string): Promise<string | undefined> {
		return this.#local.ownerOf(sha256) ?? (await this.#connection.redis.hget(this.#keys.owners, sha256)) ?? undefined;
	}

	add(record: ManifestRecord): void {
		this.#local.add(record);
		this.#pending.set(record.url, record);
	}

	/** The record added for an image that has now ended, to go with its end into Redis. */
	take(url: string): ManifestRecord | undefined {
		const record = this.#pending.get(url);
		this.#pending.delete(url);
		return record;
	}

	async close(): Promise<void> {
		await this.#local.close();
	}
}
