import {usesField} from '../../download/template.js';
import {formatReport} from '../../report/format.js';
import type {ScrapeReport} from '../../report/report.js';
import {runResolved} from '../../scraper/scrape.js';
import {loadCliConfig, planRuns, resolveRun, runHeading} from '../config-runs.js';
import {collectPageInputs} from '../input-file.js';
import {exitCodeFor} from '../exit-code.js';
import type {CliIo} from '../io.js';
import {createProgress} from '../progress.js';
import type {InvocationOf} from '../parse-args.js';
import {checkReportFile, writeReportFile} from '../report-file.js';
import {quietErrors} from '../../report/quiet.js';

export async function runScrape({options, cli}: InvocationOf<'scrape'>, io: CliIo): Promise<number> {
	const {config, profile} = await loadCliConfig(cli, io);
	const urls = await collectPageInputs({urls: options.urls, inputFile: cli.inputFile}, io);
	// Resolved before any progress is drawn, every run's, so a usage error prints alone; the runs take them as they are.
	const runs = planRuns(config, urls, options, profile).map(run => ({run, resolved: resolveRun(run, io.signal)}));
	checkReportFile(cli.report);
	const extensionless = runs.map(({resolved}) => resolved.files.name).find(name => name !== undefined && !usesField(name, 'ext'));
	if (extensionless !== undefined && !cli.quiet) {
		io.stderr.write(`imgscrape: note: --name '${extensionless}' has no {ext}, so each file gets its real type's extension\n`);
	}

	const reports: ScrapeReport[] = [];
	let code = 0;
	for (const [index, {run, resolved}] of runs.entries()) {
		if (runs.length > 1) {
			io.stderr.write(runHeading(run, index, runs.length));
		}

		const progress = await createProgress(io, {quiet: Boolean(cli.quiet), verbose: Boolean(cli.verbose), downloads: true});
		let report: ScrapeReport;
		try {
			report = await runResolved({...resolved, onEvent: progress.onEvent});
		} finally {
			progress.stop();
		}

		if (cli.json) {
			io.stdout.write(`${JSON.stringify(report)}\n`);
		}

		if (cli.quiet) {
			io.stderr.write(quietErrors(report));
		} else if (!cli.json) {
			io.stderr.write(formatReport(report));
		}

		reports.push(report);
		// The exit codes rank as they count: interrupted over a bug over failures over none.
		code = Math.max(code, exitCodeFor(report));
		if (report.aborted) {
			break;
		}
	}

	return writeReportFile(cli.report, reports.length === 1 ? reports[0]! : reports, io, code);
}
