import type {AutoSettled, ScrapeReport} from './report.js';
import type {StageReport} from './stage-clock.js';
import {percentile} from './stats.js';

/** How many failures the human report lists one by one before summarising. */
const listedFailures = 20;

export function formatBytes(bytes: number): string {
	if (bytes < 1000) {
		return `${bytes} B`;
	}

	const units = ['kB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = -1;
	do {
		value /= 1000;
		unit++;
	} while (value >= 1000 && unit < units.length - 1);

	return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function formatMs(ms: number): string {
	return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

function table(rows: string[][]): string[] {
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)));
	return rows.map(row =>
		row
			.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
			.join('  ')
			.trimEnd(),
	);
}

function stageRow(name: string, stage: StageReport): string[] {
	return [
		name,
		String(stage.count),
		formatMs(stage.busyMs),
		stage.bytes === 0 ? '' : formatBytes(stage.bytes),
		formatMs(stage.p50Ms),
		formatMs(stage.p90Ms),
		formatMs(stage.p99Ms),
		formatMs(stage.maxMs),
		stage.limit === null ? String(stage.peakInFlight) : `${stage.peakInFlight}/${stage.limit}`,
		stage.utilisation === null ? '' : `${Math.round(stage.utilisation * 100)}%`,
	];
}

/** `(exists 3, duplicate 1)` after the skipped count, when any were skipped. */
function skippedReasons(report: ScrapeReport): string {
	const reasons = Object.entries(report.skippedByReason);
	return reasons.length === 0 ? '' : ` (${reasons.map(([reason, count]) => `${reason} ${count}`).join(', ')})`;
}

/** A bug is worth a line of its own, with the first one's message: the failure list gives only codes and URLs. */
function internalErrors(report: ScrapeReport): string[] {
	const count = report.failuresByCategory.internal ?? 0;
	const first = report.failures.find(failure => failure.code === 'internal');
	if (count === 0 || first === undefined) {
		return [];
	}

	return [`  ${count} internal ${count === 1 ? 'error' : 'errors'} (a bug, please report it): ${first.message}`];
}

const settledBecause: Record<string, string> = {
	start: 'where it started',
	rising: 'still rising when the run ended',
	overload: 'the server pushed back above it',
	latency: 'latency jumped above it',
	plateau: 'throughput stopped rising',
	probe: 'probing upward when the run ended',
	max: 'the most allowed (--max-concurrency, --per-host)',
};

/** `-c auto` and `--page-concurrency auto`: where each pool settled, and why. */
function autoConcurrency(report: ScrapeReport): string[] {
	const pools: Array<[string, AutoSettled | undefined]> = [
		['--page-concurrency auto', report.autoPageConcurrency],
		['-c auto', report.autoConcurrency],
	];
	return pools.flatMap(([flag, auto]) =>
		auto === undefined
			? []
			: [
					`  ${flag} settled at ${auto.settled}: ${settledBecause[auto.reason] ?? auto.reason} (${auto.detail}); ${auto.changes} ${auto.changes === 1 ? 'change' : 'changes'} on the way`,
				],
	);
}

/** With `render`: the steps the visits took, and what stopped them early. */
function renderLines(report: ScrapeReport): string[] {
	const pages = report.render ?? [];
	if (pages.length === 0) {
		return [];
	}

	const steps = pages.map(page => page.steps).sort((a, b) => a - b);
	const total = steps.reduce((sum, count) => sum + count, 0);
	const ended = (end: string) => pages.filter(page => page.end === end).length;
	const stopped = [
		...(ended('max-scrolls') > 0 ? [`${ended('max-scrolls')} stopped at --max-scrolls`] : []),
		...(ended('timeout') > 0 ? [`${ended('timeout')} at --render-timeout`] : []),
	];
	const perStep = pages.length === 1 ? `; new images per step ${pages[0]!.imagesPerStep.join(' ')}` : '';
	return [
		'',
		`  rendered ${pages.length} ${pages.length === 1 ? 'page' : 'pages'} in ${total} steps (median ${percentile(steps, 50)}, most ${steps.at(-1)})${perStep}${stopped.length > 0 ? `; ${stopped.join(', ')}` : ''}`,
	];
}

/** The human report: a few aligned lines, meant for stderr after the progress line. */
export function formatReport(report: ScrapeReport): string {
	const lines: string[] = [];
	const status = report.aborted ? 'cancelled after' : report.stoppedBy === null ? 'in' : 'stopped after';
	lines.push(
		`${report.downloaded} of ${report.images} images from ${report.pages} of ${report.pages + report.pagesFailed} pages ${status} ${formatMs(report.elapsedMs)}`,
		`  saved ${formatBytes(report.bytes)}, failed ${report.failed}, skipped ${report.skipped}${skippedReasons(report)}; ${report.imagesPerSecond.toFixed(1)} images/s, ${report.megabytesPerSecond.toFixed(2)} MB/s` +
			(report.firstImageMs === null ? '' : `; first image after ${formatMs(report.firstImageMs)}`),
		`  retries ${report.retries}; peak RSS ${formatBytes(report.peakRssBytes)}`,
		...(report.renamed === 0 ? [] : [`  ${report.renamed} saved under another name: a file the run does not own stood under the one they wanted`]),
		...(report.caughtUp ? ['  caught up: stopped at --abort images in a row already saved'] : []),
		...(report.fallbacks === 0 ? [] : [`  ${report.fallbacks} rewritten URLs answered 404/410: the URL as found was fetched instead`]),
		...(report.stoppedBy === null ? [] : [`  stopped by ${report.stoppedBy.code}: ${report.stoppedBy.message}`]),
		...autoConcurrency(report),
		...internalErrors(report),
		'',
		...table([
			['stage', 'items', 'busy', 'bytes', 'p50', 'p90', 'p99', 'max', 'peak', 'use'],
			stageRow('page fetch', report.phases.pageFetch),
			stageRow('parse', report.phases.parse),
			stageRow('download', report.phases.download),
			...(report.phases.render === undefined ? [] : [stageRow('render', report.phases.render)]),
		]).map(line => `  ${line}`),
		...renderLines(report),
	);

	if (report.pagesCapped > 0) {
		lines.push(
			'',
			`  ${report.pagesCapped} ${report.pagesCapped === 1 ? 'page' : 'pages'} held more than --max-per-page allows: the rest of ${report.pagesCapped === 1 ? 'its' : 'their'} images or links were left out`,
		);
	}

	if (report.warnings.length > 0) {
		lines.push('', `  warnings: ${report.warnings.length}`);
		for (const warning of report.warnings.slice(0, listedFailures)) {
			lines.push(`    ${warning.code}  ${warning.url}: ${warning.message}`);
		}

		if (report.warnings.length > listedFailures) {
			lines.push(`    ... and ${report.warnings.length - listedFailures} more (--json lists them all)`);
		}
	}

	const categories = Object.entries(report.failuresByCategory);
	if (categories.length > 0) {
		lines.push('', `  failures: ${categories.map(([code, count]) => `${code} ${count}`).join(', ')}`);
		for (const failure of report.failures.slice(0, listedFailures)) {
			lines.push(`    ${failure.code}  ${failure.url}${failure.page === undefined ? '' : `  (on ${failure.page})`}`);
		}

		if (report.failures.length > listedFailures) {
			lines.push(`    ... and ${report.failures.length - listedFailures} more (--json lists them all)`);
		}
	}

	return `${lines.join('\n')}\n`;
}
