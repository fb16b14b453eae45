/**
The per-host gate of a whole crawl, in Redis: `--per-host`, `--rate`,
`--delay` and robots.txt's Crawl-delay hold across every process, not per
process. BullMQ's free edition has no per-group limits, so this is a small
Lua script: each request holds a lease in a sorted set per host (scored by
when it runs out, renewed while the request lasts), so a process that dies
frees its places after the lease; the earliest next start per host is kept
beside it. Times are Redis's own clock, the same for every machine.
*/

import {randomBytes} from 'node:crypto';
import type {HostGate, HostLimits} from '../http/host-gate.js';
import {sleep} from '../http/retry.js';
import type {Connection, CrawlKeys} from './redis.js';

/** Granted: 0; else how many ms to wait before asking again. */
const acquireScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local perHost = tonumber(ARGV[2])
if perHost > 0 and redis.call('ZCARD', KEYS[2]) >= perHost then
	return -1
end
local nextStart = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if nextStart > now then
	return nextStart - now
end
local floor = tonumber(redis.call('HGET', KEYS[1], 'floor') or '0')
redis.call('HSET', KEYS[1], 'next', now + math.max(tonumber(ARGV[3]), floor))
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]) * 2)
return 0
`;

/** Raise the floor (Crawl-delay) and push the next start out by the difference, as the local gate does. */
const floorScript = `
local floor = tonumber(redis.call('HGET', KEYS[1], 'floor') or '0')
local ms = tonumber(ARGV[1])
if ms > floor then
	local nextStart = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
	redis.call('HSET', KEYS[1], 'floor', ms, 'next', nextStart + ms - math.max(tonumber(ARGV[2]), floor))
end
return 0
`;

/** Push the next start out to at least now + ms (a Retry-After), for every process. */
const holdScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local resume = now + tonumber(ARGV[1])
if resume > tonumber(redis.call('HGET', KEYS[1], 'next') or '0') then
	redis.call('HSET', KEYS[1], 'next', resume)
end
return 0
`;

const renewScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 0
`;

/** How long until the host's next start (a Crawl-delay's spacing, a Retry-After's hold): 0 when it could start now. */
const delayScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextStart = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
return math.max(nextStart - now, 0)
`;

/** The crawl's gate, and how long a host would keep a request waiting now, so a job that would wait long can be parked. */
export interface SharedHostGate extends HostGate {
	delayOf(host: string): Promise<number>;
}

/** How long to wait before asking again when every place is taken: releases are not announced. */
const fullPollMs = 15;

export function createRedisHostGate(connection: Connection, keys: CrawlKeys, limits: HostLimits, lease: number): SharedHostGate {
	const {redis} = connection;
	const perHost = Number.isFinite(limits.perHost) ? limits.perHost : 0;
	const waiting = new Map<string, number>();

	return {
		async acquire(host, signal) {
			// Every request asks, limits or not: another process's Crawl-delay or Retry-After may hold the host.
			signal?.throwIfAborted();
			const gate = `${keys.gate}:${host}`;
			const leases = `${gate}:leases`;
			const token = randomBytes(8).toString('base64url');
			waiting.set(host, (waiting.get(host) ?? 0) + 1);
			try {
				for (;;) {
					const wait = Number(await redis.eval(acquireScript, 2, gate, leases, token, String(perHost), String(limits.interval), String(lease)));
					if (wait === 0) {
						break;
					}

					signal?.throwIfAborted();
					await sleep(wait < 0 ? fullPollMs : Math.min(wait, lease), signal);
				}
			} finally {
				waiting.set(host, waiting.get(host)! - 1);
			}

			// A request longer than the lease keeps its place: renewed at a third of it.
			const renew = setInterval(() => {
				void redis.eval(renewScript, 1, leases, token, String(lease)).catch(() => {});
			}, lease / 3);
			renew.unref();
			let released = false;
			return () => {
				if (released) {
					return;
				}

				released = true;
				clearInterval(renew);
				void redis.zrem(leases, token).catch(() => {});
			};
		},
		setMinimumInterval(host, ms) {
			void redis.eval(floorScript, 1, `${keys.gate}:${host}`, String(ms), String(limits.interval)).catch(() => {});
		},
		waiting(host) {
			return waiting.get(host) ?? 0;
		},
		async delayOf(host) {
			return Number(await redis.eval(delayScript, 1, `${keys.gate}:${host}`));
		},
		holdFor(host, ms) {
			void redis.eval(holdScript, 1, `${keys.gate}:${host}`, String(Math.ceil(ms))).catch(() => {});
		},
	};
}
