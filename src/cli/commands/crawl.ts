/**
`imgscrape URL... --redis URL --crawl NAME -o DIR`: create the shared crawl
NAME (or resume it, when its options are the same), then work on it until
the whole crawl is done, as `join` does (`crawl-work.ts`).
*/

import {createOrCheck, identityOf} from '../../distributed/identity.js';
import {checkCrawlName, connect, crawlKeys, redisUrl} from '../../distributed/redis.js';
import {UsageError} from '../../errors.js';
import {loadCliConfig, planRuns, resolveRun} from '../config-runs.js';
import {checkLease, work} from '../crawl-work.js';
import {collectPageInputs} from '../input-file.js';
import type {CliIo} from '../io.js';
import type {InvocationOf} from '../parse-args.js';
import {checkReportFile} from '../report-file.js';

export async function runCrawl({options, cli}: InvocationOf<'scrape'>, io: CliIo): Promise<number> {
	if (cli.crawl === undefined) {
		throw new UsageError('--redis shares a crawl: name it with --crawl NAME');
	}

	const name = checkCrawlName(cli.crawl);
	const url = redisUrl(cli.redis, io.env ?? process.env);
	const lease = checkLease(cli.lease);
	const {config, profile} = await loadCliConfig(cli, io);
	const urls = await collectPageInputs({urls: options.urls, inputFile: cli.inputFile}, io);
	const runs = planRuns(config, urls, options, profile);
	if (runs.length > 1) {
		throw new UsageError('a shared crawl has one set of options: its start URLs take different site entries of the config file');
	}

	const [run] = runs;
	// Checked before Redis is touched: a crawl is never created with options no worker can run.
	const resolved = resolveRun(run!, io.signal);
	checkReportFile(cli.report);
	const connection = await connect(url);
	try {
		await createOrCheck(connection, crawlKeys(name), name, identityOf(run!.options));
		return await work(resolved, {name, lease, cli, io, connection});
	} finally {
		await connection.close();
	}
}
