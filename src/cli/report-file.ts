import {writeFile} from 'node:fs/promises';
import type {ScrapeReport} from '../report/report.js';
import {checkWritableFile} from '../writable-path.js';
import {exitCodes, type CliIo} from './io.js';

/** Refuse a `--report FILE` that could not be written, before the run rather than after it (a `UsageError`). */
export function checkReportFile(file: unknown): void {
	if (typeof file === 'string') {
		checkWritableFile(file, 'the report file', {refuseLinks: false, makeFolders: false});
	}
}

/**
Write the JSON report to `file` for `--report FILE`, whatever else the run
printed. A file that cannot be written fails the run (exit 1) with one line,
after the run: the images are on disk by then. Several runs (start URLs of
several config site entries) write a list of their reports.
*/
export async function writeReportFile(file: unknown, report: ScrapeReport | ScrapeReport[], io: CliIo, code: number): Promise<number> {
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
