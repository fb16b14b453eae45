/** `imgscrape forget NAME --redis URL`: delete every key of the crawl. */

import {readIdentity} from '../../distributed/identity.js';
import {checkCrawlName, connect, crawlKeys, deleteCrawl, redisUrl} from '../../distributed/redis.js';
import {UsageError} from '../../errors.js';
import type {CliIo} from '../io.js';
import {exitCodes} from '../io.js';
import type {InvocationOf} from '../parse-args.js';

export async function runForget({name: given, cli}: InvocationOf<'forget'>, io: CliIo): Promise<number> {
	const name = checkCrawlName(given);
	const connection = await connect(redisUrl(cli.redis, io.env ?? process.env));
	try {
		if ((await readIdentity(connection, crawlKeys(name))) === undefined) {
			throw new UsageError(`no crawl ${name} in ${cli.redis ?? 'IMGSCRAPE_REDIS'}`);
		}

		const deleted = await deleteCrawl(connection.redis, name);
		io.stderr.write(`imgscrape: forgot crawl ${name} (${deleted} keys)\n`);
		return exitCodes.ok;
	} finally {
		await connection.close();
	}
}
