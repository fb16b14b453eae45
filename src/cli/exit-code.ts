import type {ScrapeReport} from '../report/report.js';
import {exitCodes} from './io.js';

/** The exit code a finished run earns. */
export function exitCodeFor(report: ScrapeReport): number {
	if (report.aborted) {
		return exitCodes.interrupted;
	}

	// A bug in one page or image outranks the failures the run expects: it must not pass for a flaky server.
	if ((report.failuresByCategory.internal ?? 0) > 0) {
		return exitCodes.internal;
	}

	return report.stoppedBy !== null || report.failed + report.pagesFailed > 0 ? exitCodes.someFailed : exitCodes.ok;
}
