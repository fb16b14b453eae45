import type {ResolvedOptions} from '../../options.js';
import type {ScrapeReport} from '../../report/report.js';
import {runResolved} from '../../scraper/scrape.js';
import {loadCliConfig, planRuns, resolveRun} from '../config-runs.js';
import {collectPageInputs} from '../input-file.js';
import {exitCodeFor} from '../exit-code.js';
import type {CliIo} from '../io.js';
import type {InvocationOf} from '../parse-args.js';
import {warningLine} from '../progress.js';
import {checkReportFile, writeReportFile} from '../report-file.js';

/**
One JSON object per image on stdout, in page order, each image once: under
the first page in page order that holds it, so the output is the same from run
to run whatever order the pages arrive in. Page failures go to stderr.
*/
export async function runList({options, cli}: InvocationOf<'list'>, io: CliIo): Promise<number> {
	const {config, profile} = await loadCliConfig(cli, io);
	const urls = await collectPageInputs({urls: options.urls, inputFile: cli.inputFile}, io);
	// Every run's options are checked, once, before the first starts.
	const runs = planRuns(config, urls, options, profile).map(run => resolveRun(run, io.signal));

	checkReportFile(cli.report);
	const printed = new Set<string>();
	const reports: ScrapeReport[] = [];
	let code = 0;
	for (const run of runs) {
		const report = await listRun(run, printed, io);
		reports.push(report);
		code = Math.max(code, exitCodeFor(report));
		if (report.aborted) {
			break;
		}
	}

	return writeReportFile(cli.report, reports.length === 1 ? reports[0]! : reports, io, code);
}

/** One run's images on stdout; `printed` carries over between runs, so an image is listed once. */
async function listRun(options: ResolvedOptions, printed: Set<string>, io: CliIo): Promise<ScrapeReport> {
	return runResolved({
		...options,
		onEvent(event) {
			if (event.type === 'warning') {
				io.stderr.write(warningLine(event.warning));
				return;
			}

			if (event.type !== 'page') {
				return;
			}

			const {result} = event;
			if (!result.ok) {
				io.stderr.write(`imgscrape: ${result.url}: ${result.error?.code ?? 'error'}: ${result.error?.reason ?? result.error?.message ?? ''}\n`);
				return;
			}

			if (result.capped !== undefined) {
				io.stderr.write(`imgscrape: ${result.url}: cut at --max-per-page (${result.capped.join(', ')})\n`);
			}

			for (const warning of result.warnings ?? []) {
				io.stderr.write(`imgscrape: ${result.url}: warning: ${warning}\n`);
			}

			// url and page lead each line; the extractor's other fields follow.
			const lines = result.images
				.filter(image => !printed.has(image.url) && printed.add(image.url))
				.map(({url, ...rest}) => JSON.stringify({url, page: result.url, ...rest}));
			if (lines.length > 0) {
				io.stdout.write(`${lines.join('\n')}\n`);
			}
		},
	});
}
