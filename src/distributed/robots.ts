/**
robots.txt once per host for the whole crawl: the first process to need it
takes a short lock and fetches it, the others wait for its answer in Redis.
An HTTP status is kept like a body (a 404 means no rules for everyone); a
network failure is not kept, so the next request tries again.
*/

import {randomBytes} from 'node:crypto';
import {ScrapeError, toScrapeError} from '../errors.js';
import type {RobotsCache} from '../ports.js';
import type {Connection, CrawlKeys} from './redis.js';
import {sleep} from '../http/retry.js';

const waitMs = 25;

/** The answer as kept: the body (base64), or the HTTP failure's code and message. */
type Kept = {b: string} | {c: string; m: string};

export function createRedisRobots(connection: Connection, keys: CrawlKeys, lease: number, signal: AbortSignal): RobotsCache {
	const {redis} = connection;
	return {
		async get(url, fetch) {
			const lock = `${keys.robots}:lock:${url}`;
			for (;;) {
				const kept = await redis.hget(keys.robots, url);
				if (kept !== null) {
					const answer = JSON.parse(kept) as Kept;
					if ('b' in answer) {
						return Buffer.from(answer.b, 'base64');
					}

					throw new ScrapeError(answer.c as ScrapeError['code'], answer.m, {url});
				}

				// The lock runs out with the lease: a process that dies while fetching holds nobody up for long.
				if ((await redis.set(lock, randomBytes(8).toString('base64url'), 'PX', lease, 'NX')) === 'OK') {
					return fetchAndKeep(url, fetch, lock);
				}

				await sleep(waitMs, signal);
			}
		},
	};

	async function fetchAndKeep(url: string, fetch: () => Promise<Uint8Array>, lock: string): Promise<Uint8Array> {
		try {
			const bytes = await fetch();
			await redis.hset(keys.robots, url, JSON.stringify({b: Buffer.from(bytes).toString('base64')} satisfies Kept));
			return bytes;
		} catch (error) {
			const {code, message} = toScrapeError(error, url);
			if (code.startsWith('http-')) {
				await redis.hset(keys.robots, url, JSON.stringify({c: code, m: message} satisfies Kept));
			}

			throw error;
		} finally {
			await redis.del(lock);
		}
	}
}
