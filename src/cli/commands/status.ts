/** `imgscrape status NAME --redis URL [--json] [--manifest]`: the whole crawl's report, counted from Redis. */

import {readIdentity} from '../../distributed/identity.js';
import {checkCrawlName, connect, crawlKeys, redisUrl} from '../../distributed/redis.js';
import {type CrawlStatus, crawlManifest, crawlStatus} from '../../distributed/status.js';
import {UsageError} from '../../errors.js';
import type {CliIo} from '../io.js';
import {exitCodes} from '../io.js';
import type {InvocationOf} from '../parse-args.js';

export async function runStatus({name: given, cli}: InvocationOf<'status'>, io: CliIo): Promise<number> {
	const name = checkCrawlName(given);
	const connection = await connect(redisUrl(cli.redis, io.env ?? process.env));
	try {
		const keys = crawlKeys(name);
		if ((await readIdentity(connection, keys)) === undefined) {
			throw new UsageError(`no crawl ${name} in ${cli.redis ?? 'IMGSCRAPE_REDIS'}`);
		}

		if (cli.manifest) {
			for await (const entry of crawlManifest(connection, keys)) {
				io.stdout.write(`${JSON.stringify(entry)}\n`);
			}

			return exitCodes.ok;
		}

		const status = await crawlStatus(connection, keys, name);
		io.stdout.write(cli.json ? `${JSON.stringify(status)}\n` : formatStatus(status));
		return exitCodes.ok;
	} finally {
		await connection.close();
	}
}

function formatStatus(status: CrawlStatus): string {
	const skipped = Object.entries(status.skippedByReason)
		.map(([reason, count]) => `${reason} ${count}`)
		.join(', ');
	const lines = [
		`crawl ${status.crawl}: ${status.complete ? 'complete' : `in progress (${status.pending.pages} pages, ${status.pending.images} images pending)`}`,
		`pages      ${status.pages} fetched, ${status.pagesFailed} failed`,
		`images     ${status.images} found, ${status.downloaded} downloaded, ${status.failed} failed, ${status.skipped} skipped${skipped === '' ? '' : ` (${skipped})`}`,
		`bytes      ${status.bytes}`,
		...Object.entries(status.failuresByCategory).map(([code, count]) => `failed     ${code} ${count}`),
		`workers    ${status.workers.length}`,
		...status.workers.map(row => `  ${row.id}  ${row.saved} saved  last seen ${row.lastSeen}  ${row.out}`),
	];
	return `${lines.join('\n')}\n`;
}
