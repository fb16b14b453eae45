import {reasonOf} from './reasons.js';
import type {ScrapeReport} from './report.js';
import {count} from './words.js';

/**
What `--quiet` still says: one line when the run stopped or something failed
(the exit code says so too), and nothing when all went well.
*/
export function quietErrors(report: ScrapeReport): string {
	const lines: string[] = [];
	if (report.stoppedBy !== null) {
		lines.push(`imgscrape: stopped by ${report.stoppedBy.code}: ${report.stoppedBy.message}`);
	}

	const failedPages = report.failures.filter(failure => failure.page === undefined).length;
	if (report.failures.length > 0) {
		const what = [...(failedPages === 0 ? [] : [count(failedPages, 'page')]), ...(report.failed === 0 ? [] : [count(report.failed, 'image')])];
		const first = report.failures[0]!;
		const categories = Object.entries(report.failuresByCategory).map(([code, n]) => `${code} ${n}`);
		const which = report.failures.length === 1 ? '' : 'first: ';
		lines.push(`imgscrape: failed: ${what.join(', ')} (${categories.join(', ')}); ${which}${first.url}: ${first.reason ?? reasonOf(first)}`);
	}

	return lines.map(line => `${line}\n`).join('');
}
