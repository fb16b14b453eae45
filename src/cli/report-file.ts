import {writeFile} from 'node:fs/promises';
import type {ScrapeReport} from '../report/report.js';
import {exitCodes, type CliIo} from './io.js';

/**
Write the JSON report to `file` for `--report FILE`, whatever else the run
printed. A file that cannot be written fails the run (exit 1) with one line,
after the run: the images are on disk by then.
*/
export async function writeReportFile(file: unknown, report: ScrapeReport, io: CliIo, code: number): Promise<number> {
	if (typeof file !== 'string') {
		return code;
	}

	try {
		await writeFile(file, `${JSON.stringify(report, null, '\t')}\n`);
		return code;
	} catch (error) {
		io.stderr.write(`imgscrape: cannot write the report to \`${file}\`: ${(error as Error).message}\n`);
		return Math.max(code, exitCodes.someFailed);
	}
}
