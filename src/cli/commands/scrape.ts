import {formatReport} from '../../report/format.js';
import type {ScrapeReport} from '../../report/report.js';
import {resolveOptions} from '../../resolve-options.js';
import {runResolved} from '../../scraper/scrape.js';
import {collectPageInputs} from '../input-file.js';
import {exitCodeFor} from '../exit-code.js';
import type {CliIo} from '../io.js';
import {createProgress} from '../progress.js';
import type {InvocationOf} from '../parse-args.js';
import {checkReportFile, writeReportFile} from '../report-file.js';

export async function runScrape({options, cli}: InvocationOf<'scrape'>, io: CliIo): Promise<number> {
	const urls = await collectPageInputs({urls: options.urls, inputFile: cli.inputFile}, io.stdin);
	// Resolved before any progress is drawn, so a usage error prints alone; the run takes them as they are.
	const resolved = resolveOptions({...options, urls, signal: io.signal});
	checkReportFile(cli.report);
	const progress = await createProgress(io, {quiet: Boolean(cli.quiet), downloads: true});
	let report: ScrapeReport;
	try {
		report = await runResolved({...resolved, onEvent: progress.onEvent});
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
