/** `imgscrape join NAME --redis URL -o DIR`: work on a shared crawl with its options from Redis, waiting for it to appear. */

import {type LocalOptions, waitForCrawl} from '../../distributed/identity.js';
import {checkCrawlName, connect, crawlKeys, redisUrl} from '../../distributed/redis.js';
import type {CliIo} from '../io.js';
import {exitCodes} from '../io.js';
import type {InvocationOf} from '../parse-args.js';
import {checkReportFile} from '../report-file.js';
import {checkLease, work, workerOptions} from '../crawl-work.js';

export async function runJoin({name: given, options, cli}: InvocationOf<'join'>, io: CliIo): Promise<number> {
	const name = checkCrawlName(given);
	const url = redisUrl(cli.redis, io.env ?? process.env);
	const lease = checkLease(cli.lease);
	checkReportFile(cli.report);
	const {out, concurrency, pageConcurrency, parseWorkers} = options;
	const local: Partial<LocalOptions> = Object.fromEntries(
		Object.entries({out, concurrency, pageConcurrency, parseWorkers}).filter(([, value]) => value !== undefined),
	);
	const connection = await connect(url);
	try {
		const identity = await waitForCrawl(connection, crawlKeys(name), io.signal);
		if (identity === undefined) {
			io.stderr.write(`imgscrape: stopped while waiting for crawl ${name}\n`);
			return exitCodes.interrupted;
		}

		return await work(workerOptions(identity, local, io.signal), {name, lease, cli, io, connection});
	} finally {
		await connection.close();
	}
}
