import {formatReport} from '../../report/format.js';
import type {ScrapeReport} from '../../report/report.js';
import {resolveOptions} from '../../resolve-options.js';
import {runResolved} from '../../scraper/scrape.js';
import {downloadFlags, pageFlags, toHttpOptions, toScrapeOptions, type ParsedArgs} from '../args.js';
import {collectPageInputs} from '../input-file.js';
import {exitCodeFor} from '../exit-code.js';
import type {CliIo} from '../io.js';
import {createProgress} from '../progress.js';
import {checkReportFile, writeReportFile} from '../report-file.js';

export async function runScrape(argv: ParsedArgs, io: CliIo): Promise<number> {
	const options = {
		...toScrapeOptions(argv, {...pageFlags, ...downloadFlags}),
		...toHttpOptions(argv),
		urls: await collectPageInputs(argv, io.stdin),
		signal: io.signal,
	};
	// Resolved before any progress is drawn, so a usage error prints alone; the run takes them as they are.
	const resolved = resolveOptions(options);
	checkReportFile(argv.report);
	const progress = await createProgress(io, {quiet: Boolean(argv.quiet), downloads: true});
	let report: ScrapeReport;
	try {
		report = await runResolved({...resolved, onEvent: progress.onEvent});
	} finally {
		progress.stop();
	}

	if (argv.json) {
		io.stdout.write(`${JSON.stringify(report)}\n`);
	} else {
		io.stderr.write(formatReport(report));
	}

	return writeReportFile(argv.report, report, io, exitCodeFor(report));
}
