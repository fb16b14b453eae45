/**
A crawl's identity: its start pages and every option that decides what it
fetches and how (selectors, follow, politeness, filters, names), stored in
Redis by the first command. What may differ per worker is left out: the
output folder and the resources a worker brings (`-c`, `--page-concurrency`,
`--parse-workers`), besides the CLI's own output and `--lease` flags.
*/

import {UsageError} from '../errors.js';
import type {ScrapeOptions} from '../options.js';
import type {Connection, CrawlKeys} from './redis.js';
import {sleep} from '../http/retry.js';

/** The options each worker sets for itself. */
export const localOptions = ['out', 'concurrency', 'pageConcurrency', 'parseWorkers', 'signal', 'onEvent'] as const;

export type LocalOptions = Pick<ScrapeOptions, 'out' | 'concurrency' | 'pageConcurrency' | 'parseWorkers'>;

/** What is stored: the options as given (plain JSON), local ones left out. */
export type Identity = Record<string, unknown>;

export function identityOf(options: ScrapeOptions): Identity {
	const identity: Identity = {};
	for (const [key, value] of Object.entries(options).sort(([a], [b]) => a.localeCompare(b))) {
		if (value !== undefined && !(localOptions as readonly string[]).includes(key)) {
			identity[key] = value;
		}
	}

	return identity;
}

/** The options of `identity` that differ from `other`'s, by name. */
export function differences(identity: Identity, other: Identity): string[] {
	const keys = new Set([...Object.keys(identity), ...Object.keys(other)]);
	return [...keys].filter(key => JSON.stringify(identity[key]) !== JSON.stringify(other[key])).sort();
}

function flagName(key: string): string {
	return key === 'urls' ? 'the start URLs' : `--${key.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`;
}

/**
Create crawl `name` with this identity, or check an existing one has the
same: a crawl with other options is refused (exit 2), naming what differs.
Resolves true when the crawl was created now.
*/
export async function createOrCheck(connection: Connection, keys: CrawlKeys, name: string, identity: Identity): Promise<boolean> {
	const json = JSON.stringify(identity);
	const created = await connection.redis.set(keys.options, json, 'NX');
	if (created === 'OK') {
		return true;
	}

	const stored = await readIdentity(connection, keys);
	const differ = stored === undefined ? [] : differences(stored, identity);
	if (differ.length > 0) {
		throw new UsageError(
			`crawl ${name} exists with other options: ${differ.map(flagName).join(', ')} differ${differ.length === 1 ? 's' : ''} (join it with \`imgscrape join ${name}\`, or \`imgscrape forget ${name}\` first)`,
		);
	}

	return false;
}

export async function readIdentity(connection: Connection, keys: CrawlKeys): Promise<Identity | undefined> {
	const json = await connection.redis.get(keys.options);
	return json === null ? undefined : (JSON.parse(json) as Identity);
}

/** Wait for crawl `name` to appear (join before the first command), polling; undefined when `signal` aborts first. */
export async function waitForCrawl(connection: Connection, keys: CrawlKeys, signal: AbortSignal | undefined, pollMs = 250): Promise<Identity | undefined> {
	for (;;) {
		const identity = await readIdentity(connection, keys);
		if (identity !== undefined || signal?.aborted) {
			return identity;
		}

		// An abort ends the wait early; the loop then returns.
		await sleep(pollMs, signal).catch(() => {});
	}
}
