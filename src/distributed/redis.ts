/**
The crawl's Redis: the connection, and the names of every key a crawl owns.
ioredis and BullMQ are imported here, dynamically, and only by the
distributed commands: a local run loads neither and needs no Redis.
*/

import {UsageError} from '../errors.js';

export type Bull = typeof import('bullmq');
export type RedisClient = import('ioredis').Redis;

/** A crawl name: what its keys are built from, so it must be a plain word. */
const crawlName = /^[\w.-]{1,100}$/;

export function checkCrawlName(name: string | undefined): string {
	if (name === undefined || !crawlName.test(name)) {
		throw new UsageError(`a crawl name is 1 to 100 letters, digits, '.', '_' or '-' (got ${JSON.stringify(name ?? '')})`);
	}

	return name;
}

/** Every key of crawl NAME starts with this; BullMQ's queues take it as their prefix. */
export function crawlPrefix(name: string): string {
	return `imgscrape:${name}`;
}

/** The keys of one crawl besides BullMQ's own. */
export function crawlKeys(name: string) {
	const prefix = crawlPrefix(name);
	return {
		prefix,
		/** The crawl's identity: its options and start pages, as JSON. */
		options: `${prefix}:options`,
		/** Page URL -> its crawl-wide number. */
		pageIndex: `${prefix}:page-index`,
		/** Listing pages counted against maxPages: URL -> 1. */
		listing: `${prefix}:listing`,
		/** Page URL -> how it ended (JSON), for status. */
		pageEnds: `${prefix}:page-ends`,
		/** Image URL -> how it ended: the manifest record, a skip or a failure (JSON). */
		images: `${prefix}:image-ends`,
		/** sha256 -> the location first saved with it (dedupeContent only). */
		owners: `${prefix}:owners`,
		/** Counters: downloaded, bytes, skipped:REASON, failed:CODE, pages, pagesFailed ... */
		counts: `${prefix}:counts`,
		/** Worker id -> its row (JSON). */
		workers: `${prefix}:workers`,
		/** Per-host gate: `${gate}:HOST` (a hash) and `${gate}:HOST:leases` (a sorted set). */
		gate: `${prefix}:gate`,
		/** robots.txt per host, fetched once per crawl. */
		robots: `${prefix}:robots`,
		/** File name (lower-cased, relative to a worker's folder) -> the image URL it belongs to, crawl-wide. */
		names: `${prefix}:names`,
	};
}

export type CrawlKeys = ReturnType<typeof crawlKeys>;

/** The Redis URL from `--redis`, else `IMGSCRAPE_REDIS`. */
export function redisUrl(flag: string | undefined, env: Record<string, string | undefined>): string {
	const url = flag ?? env.IMGSCRAPE_REDIS;
	if (url === undefined || url === '') {
		throw new UsageError('a crawl needs Redis: --redis redis://HOST:PORT (or IMGSCRAPE_REDIS)');
	}

	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new UsageError(`--redis ${url} is not a URL (redis://HOST:PORT)`);
	}

	if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
		throw new UsageError(`--redis ${url} is not a redis:// or rediss:// URL`);
	}

	return url;
}

export interface Connection {
	redis: RedisClient;
	bull: Bull;
	/** What BullMQ's queues and workers connect with: the same server, their own sockets. */
	connection: import('bullmq').ConnectionOptions;
	close(): Promise<void>;
}

/**
Connect, and check the server answers before anything else happens: an
unreachable Redis is a usage error (one line, exit 2). Once connected, a
server that goes away is waited for: ioredis reconnects and replays.
*/
export async function connect(url: string): Promise<Connection> {
	const [{Redis}, bull] = await Promise.all([import('ioredis'), import('bullmq')]);
	// Until the first answer, fail fast; after it, retry forever (a restarted Redis is waited for).
	let connected = false;
	const options = {
		maxRetriesPerRequest: null,
		enableOfflineQueue: true,
		lazyConnect: true,
		retryStrategy: (times: number) => (connected ? Math.min(times * 200, 2000) : null),
	};
	const redis = new Redis(url, options);
	redis.on('error', () => {
		// Reported through the commands that fail; a reconnect is silent.
	});
	try {
		await redis.connect();
		await redis.ping();
	} catch (error) {
		redis.disconnect();
		throw new UsageError(`cannot reach Redis at ${url}: ${(error as Error).message}`);
	}

	connected = true;
	const parsed = new URL(url);
	const connection = {
		url,
		host: parsed.hostname,
		port: Number(parsed.port || 6379),
		...(parsed.password === '' ? {} : {password: decodeURIComponent(parsed.password)}),
		...(parsed.username === '' ? {} : {username: decodeURIComponent(parsed.username)}),
		...(parsed.pathname.length > 1 ? {db: Number(parsed.pathname.slice(1))} : {}),
		...(parsed.protocol === 'rediss:' ? {tls: {}} : {}),
		maxRetriesPerRequest: null,
		retryStrategy: (times: number) => Math.min(times * 200, 2000),
	};
	return {
		redis,
		bull,
		connection,
		async close() {
			await redis.quit().catch(() => redis.disconnect());
		},
	};
}

/** Delete every key of a crawl; resolves with how many there were. */
export async function deleteCrawl(redis: RedisClient, name: string): Promise<number> {
	let deleted = 0;
	let cursor = '0';
	do {
		const [next, keys] = await redis.scan(cursor, 'MATCH', `${crawlPrefix(name)}:*`, 'COUNT', 1000);
		cursor = next;
		if (keys.length > 0) {
			deleted += await redis.unlink(...keys);
		}
	} while (cursor !== '0');
	return deleted;
}
