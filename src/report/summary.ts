/**
The first lines of the human report: what the run did, counted in pages and
images, in words that read right in every case (nothing found, everything
failed, everything already saved).
*/
import type {ScrapeReport} from './report.js';
import {formatBytes, formatMs} from './units.js';
import {count} from './words.js';

/** `in 504 ms`, `cancelled after 2.10 s`, `stopped after 1.00 s`. */
function timing(report: ScrapeReport): string {
	const status = report.aborted ? 'cancelled after' : report.stoppedBy === null ? 'in' : 'stopped after';
	return `${status} ${formatMs(report.elapsedMs)}`;
}

/** Every image the run found was already saved: a resume that had nothing to do. */
function allResumed(report: ScrapeReport): boolean {
	return report.images > 0 && report.downloaded === 0 && report.failed === 0 && (report.skippedByReason.exists ?? 0) === report.images;
}

/** The headline: one line that says what came of the run. */
export function headline(report: ScrapeReport): string {
	const pagesTried = report.pages + report.pagesFailed;
	const time = timing(report);
	if (report.pages === 0 && report.pagesFailed > 0) {
		return `nothing saved: ${report.pagesFailed === 1 ? 'the page failed' : `all ${report.pagesFailed} pages failed`} ${time}`;
	}

	if (allResumed(report)) {
		return `nothing new: all ${report.images} already saved (${count(report.pages, 'page')} read) ${time}`;
	}

	const pages = report.pagesFailed === 0 ? count(report.pages, 'page') : `${report.pages} of ${pagesTried} pages`;
	if (report.images === 0) {
		return `no images found on ${pages} ${time}`;
	}

	const images = report.downloaded === report.images ? count(report.images, 'image') : `${report.downloaded} of ${count(report.images, 'image')}`;
	return `${images} saved from ${pages} ${time}`;
}

/** `(exists 3, duplicate 1)` after the skipped count, when any were skipped. */
function skippedReasons(report: ScrapeReport): string {
	const reasons = Object.entries(report.skippedByReason);
	return reasons.length === 0 ? '' : ` (${reasons.map(([reason, n]) => `${reason} ${n}`).join(', ')})`;
}

/** Pages and images, each with what became of them: `pages 4 read, 1 failed; images 80 saved (8.00 MB), 2 failed, 3 skipped (exists 3)`. */
export function countsLine(report: ScrapeReport): string {
	const pages = `pages ${report.pages} read${report.pagesFailed === 0 ? '' : `, ${report.pagesFailed} failed`}`;
	if (report.images === 0) {
		return `  ${pages}; no images found`;
	}

	const images = [
		...(report.downloaded === 0 && report.failed + report.skipped > 0 ? [] : [`${report.downloaded} saved (${formatBytes(report.bytes)})`]),
		...(report.failed === 0 ? [] : [`${report.failed} failed`]),
		...(report.skipped === 0 ? [] : [`${report.skipped} skipped${skippedReasons(report)}`]),
	];
	return `  ${pages}; images ${images.join(', ')}`;
}

/** Rates, the first image, retries and memory: rates only when something was saved, since 0.0 images/s says nothing. */
export function ratesLine(report: ScrapeReport): string {
	const parts = [
		...(report.downloaded === 0 ? [] : [`${report.imagesPerSecond.toFixed(1)} images/s, ${report.megabytesPerSecond.toFixed(2)} MB/s`]),
		...(report.firstImageMs === null ? [] : [`first image after ${formatMs(report.firstImageMs)}`]),
		`${count(report.retries, 'retry', 'retries')}`,
		`peak RSS ${formatBytes(report.peakRssBytes)}`,
	];
	return `  ${parts.join('; ')}`;
}

/** The hint for a selector that matched nothing on any page it applied to. */
export function unmatchedLines(report: ScrapeReport): string[] {
	return report.unmatched.map(({option, selector, pages, tag, elements}) => {
		const what = option === 'selector' ? 'no element matched' : 'no link matched --follow';
		const on = pages === 1 ? 'the page' : `${pages} pages`;
		const have = elements === 0 ? `no \`${tag}\` elements` : count(elements, `\`${tag}\` element`);
		const more = option === 'selector' && elements === 0 ? ' (a gallery built by JavaScript? try --render)' : '';
		return `  hint: ${what} \`${selector}\` on ${on}; ${pages === 1 ? 'it has' : 'the pages have'} ${have}${more}`;
	});
}
