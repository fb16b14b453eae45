import {scrape} from '../../scraper/scrape.js';
import {pageFlags, toHttpOptions, toScrapeOptions, type ParsedArgs} from '../args.js';
import {collectPageInputs} from '../input-file.js';
import {exitCodeFor} from '../exit-code.js';
import type {CliIo} from '../io.js';
import {warningLine} from '../progress.js';
import {checkReportFile, writeReportFile} from '../report-file.js';

/**
One JSON object per image on stdout, in page order, each image once: under
the first page in page order that holds it, so the output is the same from run
to run whatever order the pages arrive in. Page failures go to stderr.
*/
export async function runList(argv: ParsedArgs, io: CliIo): Promise<number> {
	checkReportFile(argv.report);
	const printed = new Set<string>();
	const report = await scrape({
		...toScrapeOptions(argv, pageFlags),
		...toHttpOptions(argv),
		urls: await collectPageInputs(argv, io.stdin),
		download: false,
		signal: io.signal,
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
				io.stderr.write(`imgscrape: ${result.url}: ${result.error?.code ?? 'error'} ${result.error?.message ?? ''}\n`);
				return;
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
	return writeReportFile(argv.report, report, io, exitCodeFor(report));
}
