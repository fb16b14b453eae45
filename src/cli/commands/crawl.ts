/**
`imgscrape URL... --redis URL --crawl NAME -o DIR`: create the shared crawl
NAME (or resume it, when its options are the same), then work on it until
the whole crawl is done. `join` works on it the same way (work() below).
*/

import {defaults} from '../../defaults.js';
import {type Identity, createOrCheck, identityOf, type LocalOptions} from '../../distributed/identity.js';
import {checkCrawlName, connect, crawlKeys, redisUrl} from '../../distributed/redis.js';
import {runWorker} from '../../distributed/worker.js';
import {UsageError} from '../../errors.js';
import type {ResolvedOptions, ScrapeOptions} from '../../options.js';
import {formatReport} from '../../report/format.js';
import type {ScrapeReport} from '../../report/report.js';
import {resolveOptions} from '../../resolve-options.js';
import {maxTimerMs} from '../../validate.js';
import type {CliFlags} from '../args.js';
import {loadCliConfig, planRuns, resolveRun} from '../config-runs.js';
import {exitCodeFor} from '../exit-code.js';
import {collectPageInputs} from '../input-file.js';
import type {CliIo} from '../io.js';
import type {InvocationOf} from '../parse-args.js';
import {createProgress} from '../progress.js';
import {checkReportFile, writeReportFile} from '../report-file.js';

export async function runCrawl({options, cli}: InvocationOf<'scrape'>, io: CliIo): Promise<number> {
	if (cli.crawl === undefined) {
		throw new UsageError('--redis shares a crawl: name it with --crawl NAME');
	}

	const name = checkCrawlName(cli.crawl);
	const url = redisUrl(cli.redis, io.env ?? process.env);
	const lease = checkLease(cli.lease);
	const {config, profile} = await loadCliConfig(cli, io);
	const urls = await collectPageInputs({urls: options.urls, inputFile: cli.inputFile}, io.stdin);
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

export function checkLease(lease: unknown): number {
	if (lease === undefined) {
		return defaults.lease;
	}

	if (typeof lease !== 'number' || !Number.isInteger(lease) || lease < 100 || lease > maxTimerMs) {
		throw new UsageError(`--lease must be a whole number of ms from 100 to ${maxTimerMs} (got ${String(lease)})`);
	}

	return lease;
}

/** The crawl's options with this worker's own over them, resolved. */
export function workerOptions(identity: Identity, local: Partial<LocalOptions>, signal: AbortSignal | undefined): ResolvedOptions {
	return resolveOptions({...(identity as unknown as ScrapeOptions), ...local, signal});
}

export interface WorkContext {
	name: string;
	lease: number;
	cli: CliFlags;
	io: CliIo;
	connection: Awaited<ReturnType<typeof connect>>;
}

/** Work on the crawl until it is done (or the signal stops this worker), with progress, and its report as a run's. */
export async function work(resolved: ResolvedOptions, {name, lease, cli, io, connection}: WorkContext): Promise<number> {
	const progress = await createProgress(io, {quiet: Boolean(cli.quiet), downloads: true});
	let report: ScrapeReport;
	try {
		report = await runWorker({...resolved, onEvent: progress.onEvent}, {connection, name, lease});
	} finally {
		progress.stop();
	}

	if (cli.json) {
		io.stdout.write(`${JSON.stringify(report)}\n`);
	} else {
		io.stderr.write(formatReport(report));
	}

	return writeReportFile(cli.report, report, io, exitCodeFor(report));
}
