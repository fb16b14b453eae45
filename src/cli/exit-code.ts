import type {ScrapeReport} from '../report/report.js';
import {exitCodes} from './io.js';

/** The exit code a finished run earns. */
export function exitCodeFor(report: ScrapeReport): number {
	if (report.aborted) {
		return exitCodes.interrupted;
	}

	return report.stoppedBy !== null || report.failed + report.pagesFailed > 0 ? exitCodes.someFailed : exitCodes.ok;
}
