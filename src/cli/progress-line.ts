/**
The words of the progress display, as pure functions of counts: the live
line (with its rates and ETA, fitted to the terminal), a page's plain line for
logs, and `--verbose`'s line per request. progress.ts only decides when to draw.
*/
import {reasonOf} from '../report/reasons.js';
import {formatBytes, formatMs} from '../report/units.js';
import type {PageResult, RequestRecord} from '../types.js';

/** What the live line counts, as the run's events arrive. */
export interface ProgressCounts {
	/** Pages the run knows of, and those settled (read or failed). */
	pagesQueued: number;
	pagesDone: number;
	pagesFailed: number;
	/** Images found new to the run so far. */
	found: number;
	saved: number;
	failed: number;
	skipped: number;
	bytes: number;
	elapsedMs: number;
}

/** `0:07`, `1:05`, `2:03:10`: a clock, since it is read at a glance. */
export function formatClock(ms: number): string {
	const total = Math.max(0, Math.round(ms / 1000));
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = String(total % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
The time left, from the images settled per second so far: exact about the
total once every known page is read (`ETA 0:12`), an estimate before that
from the images per page read (`ETA ~0:40`). Undefined while nothing has
settled, or nothing is left.
*/
export function eta(counts: ProgressCounts): string | undefined {
	const settled = counts.saved + counts.failed + counts.skipped;
	if (settled === 0 || counts.elapsedMs <= 0 || counts.pagesDone === 0) {
		return undefined;
	}

	const pagesKnown = counts.pagesDone >= counts.pagesQueued;
	const total = pagesKnown ? counts.found : (counts.found / counts.pagesDone) * counts.pagesQueued;
	const left = total - settled;
	if (left <= 0) {
		return undefined;
	}

	const ms = (left / settled) * counts.elapsedMs;
	return `ETA ${pagesKnown ? '' : '~'}${formatClock(ms)}`;
}

/**
The live line: `pages 4/10 · images 65/400 · 2 failed · 3 skipped · 6.50 MB · 2.68 MB/s · 24.1 img/s · 0:04 · ETA 0:14`.
Parts are dropped, least useful first, until it fits `columns`; the failed
and skipped counts show only when there are some, a byte rate only once bytes
were saved (a run that skips everything has no rate to show).
*/
export function progressLine(counts: ProgressCounts, options: {downloads: boolean; columns?: number | undefined}): string {
	const seconds = counts.elapsedMs / 1000;
	const settled = counts.saved + counts.failed + counts.skipped;
	const pages = `pages ${counts.pagesDone}/${counts.pagesQueued}${counts.pagesFailed === 0 ? '' : ` (${counts.pagesFailed} failed)`}`;
	// Each part with its rank: the lowest go first when the line is too wide.
	const parts: Array<[text: string, rank: number]> = [[pages, 9]];
	if (options.downloads) {
		parts.push([`images ${settled}/${counts.found}`, 10]);
		if (counts.failed > 0) {
			parts.push([`${counts.failed} failed`, 8]);
		}

		if (counts.skipped > 0) {
			parts.push([`${counts.skipped} skipped`, 4]);
		}

		if (counts.bytes > 0) {
			parts.push([formatBytes(counts.bytes), 3]);
			if (seconds > 0) {
				parts.push([`${formatBytes(counts.bytes / seconds)}/s`, 2]);
			}
		}

		if (counts.saved > 0 && seconds > 0) {
			parts.push([`${(counts.saved / seconds).toFixed(1)} img/s`, 5]);
		}
	} else {
		parts.push([`images ${counts.found}`, 10]);
	}

	parts.push([formatClock(counts.elapsedMs), 6]);
	const left = options.downloads ? eta(counts) : undefined;
	if (left !== undefined) {
		parts.push([left, 7]);
	}

	const columns = options.columns ?? Number.POSITIVE_INFINITY;
	const kept = [...parts];
	const text = () => kept.map(([part]) => part).join(' · ');
	while (text().length > columns && kept.length > 1) {
		let lowest = 0;
		for (const [index, [, rank]] of kept.entries()) {
			if (rank < kept[lowest]![1]) {
				lowest = index;
			}
		}

		kept.splice(lowest, 1);
	}

	return text();
}

/** `, cut at --max-per-page (images, links)` after a page's counts, when it was. */
export function cappedNote(result: PageResult): string {
	return result.capped === undefined ? '' : `, cut at --max-per-page (${result.capped.join(', ')})`;
}

/** A page's plain line, for logs and CI: `page 3 URL: 20 images, 18 new`, or why it failed. */
export function pageLine(result: PageResult): string {
	const state = result.ok
		? `${result.images.length} ${result.images.length === 1 ? 'image' : 'images'}, ${result.newImages} new${cappedNote(result)}`
		: `failed: ${result.error === undefined ? 'error' : `${result.error.code}: ${result.error.reason ?? reasonOf(result.error)}`}`;
	return `${'  '.repeat(result.depth)}page ${result.index + 1} ${result.url}: ${state}`;
}

/** `--verbose`: `GET URL 200 12.3 kB 15 ms`, or `GET URL failed after 3.0 ms: connection refused at 127.0.0.1:9`. */
export function requestLine(request: RequestRecord): string {
	const time = formatMs(request.ms);
	if (request.error !== undefined) {
		const status = request.status === undefined ? '' : ` ${request.status}`;
		return `${request.method} ${request.url}${status} failed after ${time}: ${request.error.reason}`;
	}

	return `${request.method} ${request.url} ${request.status ?? '-'} ${formatBytes(request.bytes)} ${time}`;
}
