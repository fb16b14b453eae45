/**
What `imgscrape URL... --crawl NAME` and `imgscrape join NAME` share: the
`--lease` check, a worker's options (the crawl's with its own local flags
over them), and working on the crawl with progress and a run's report.
*/

import {crawlDefaults} from '../defaults.js';
import type {Identity, LocalOptions} from '../distributed/identity.js';
import type {Connection} from '../distributed/redis.js';
import {runWorker} from '../distributed/worker.js';
import {UsageError} from '../errors.js';
import type {ResolvedOptions, ScrapeOptions} from '../options.js';
import {formatReport} from '../report/format.js';
import type {ScrapeReport} from '../report/report.js';
import {resolveOptions} from '../resolve-options.js';
import {maxTimerMs} from '../validate.js';
import type {CliFlags} from './args.js';
import {exitCodeFor} from './exit-code.js';
import type {CliIo} from './io.js';
import {createProgress} from './progress.js';
import {writeReportFile} from './report-file.js';

export function checkLease(lease: unknown): number {
	if (lease === undefined) {
		return crawlDefaults.lease;
	}

	if (typeof lease !== 'number' || !Number.isInteger(lease) || lease < 100 || lease > maxTimerMs) {
		throw new UsageError(`--lease must be a whole number of ms from 100 to ${maxTimerMs} (got ${String(lease)})`);
	}

	return lease;
}

/** The crawl's options with this worker's own over them, resolved (checked once, here). */
export function workerOptions(identity: Identity, local: Partial<LocalOptions>, signal: AbortSignal | undefined): ResolvedOptions {
	return resolveOptions({...(identity as unknown as ScrapeOptions), ...local, signal});
}

export interface WorkContext {
	name: string;
	lease: number;
	cli: CliFlags;
	io: CliIo;
	connection: Connection;
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
