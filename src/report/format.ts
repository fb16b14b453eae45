import type {Failure} from '../types.js';
import {reasonOf} from './reasons.js';
import type {AutoSettled, ScrapeReport} from './report.js';
import type {StageReport} from './stage-clock.js';
import {percentile} from './stats.js';
import {countsLine, headline, ratesLine, unmatchedLines} from './summary.js';
import {formatBytes, formatMs} from './units.js';
import {count} from './words.js';

export {formatBytes, formatMs} from './units.js';

/** How many failures the human report lists one by one before summarising. */
const listedFailures = 20;

function table(rows: string[][]): string[] {
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)));
	return rows.map(row =>
		row
			.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
			.join('  ')
			.trimEnd(),
	);
}

/**
One stage's row. A stage without a bound (parsing on workers, where a page
counts from hand-off to result, waiting for a worker included) says what its
peak is against, the worker count, rather than leaving a bare number and an
empty `use`.
*/
function stageRow(name: string, stage: StageReport, workers?: number): string[] {
	const unbounded = workers === undefined ? ['-', '-'] : [`${stage.peakInFlight} at once`, count(workers, 'worker')];
	return [
		name,
		String(stage.count),
		formatMs(stage.busyMs),
		formatBytes(stage.bytes),
		formatMs(stage.p50Ms),
		formatMs(stage.p90Ms),
		formatMs(stage.p99Ms),
		formatMs(stage.maxMs),
		stage.limit === null ? unbounded[0]! : `${stage.peakInFlight}/${stage.limit}`,
		stage.utilisation === null ? unbounded[1]! : `${Math.round(stage.utilisation * 100)}%`,
	];
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

/** The stage table, when any page was read: a run where every page failed has nothing to time but its failures. */
function stageTable(report: ScrapeReport): string[] {
	if (report.pages === 0) {
		return [];
	}

	return [
		'',
		...table([
			['stage', 'items', 'busy', 'bytes', 'p50', 'p90', 'p99', 'max', 'peak', 'use'],
			stageRow('page fetch', report.phases.pageFetch),
			stageRow('parse', report.phases.parse, report.parseWorkers > 0 ? report.parseWorkers : undefined),
			stageRow('download', report.phases.download),
			...(report.phases.render === undefined ? [] : [stageRow('render', report.phases.render)]),
		]).map(line => `  ${line}`),
	];
}

/** `a page`, `an image`: what a failure is about. */
function kind(failure: Failure): string {
	return failure.page === undefined ? 'page ' : 'image';
}

/**
Every failed page and image with its category and why, in plain words,
grouped by category (the most frequent first), at most {@link listedFailures}
lines; `--json` keeps them all.
*/
function failureLines(report: ScrapeReport): string[] {
	const categories = Object.entries(report.failuresByCategory).sort(([, a], [, b]) => b - a);
	if (categories.length === 0) {
		return [];
	}

	const failedPages = report.failures.filter(failure => failure.page === undefined).length;
	const what = [...(failedPages === 0 ? [] : [count(failedPages, 'page')]), ...(report.failed === 0 ? [] : [count(report.failed, 'image')])];
	const lines = ['', `  failed: ${what.join(', ')} (${categories.map(([code, n]) => `${code} ${n}`).join(', ')})`];
	const width = Math.max(...categories.map(([code]) => code.length));
	let listed = 0;
	for (const [code] of categories) {
		for (const failure of report.failures) {
			if (failure.code !== code || listed === listedFailures) {
				continue;
			}

			listed++;
			const on = failure.page === undefined ? '' : ` (on ${failure.page})`;
			lines.push(`    ${code.padEnd(width)}  ${kind(failure)}  ${failure.url}${on}: ${failure.reason ?? reasonOf(failure)}`);
		}
	}

	if (report.failures.length > listed) {
		lines.push(`    ... and ${report.failures.length - listed} more (--json lists them all)`);
	}

	return lines;
}

/** The human report: a few aligned lines, meant for stderr after the progress line. */
export function formatReport(report: ScrapeReport): string {
	const lines: string[] = [];
	lines.push(
		headline(report),
		countsLine(report),
		ratesLine(report),
		...(report.renamed === 0
			? []
			: [`  ${count(report.renamed, 'image was', 'images were')} saved under another name: a file the run does not own stood under the one wanted`]),
		...(report.caughtUp ? ['  caught up: stopped at --abort images in a row already saved'] : []),
		...(report.fallbacks === 0
			? []
			: [`  ${count(report.fallbacks, 'rewritten URL', 'rewritten URLs')} answered 404/410: the URL as found was fetched instead`]),
		...(report.stoppedBy === null ? [] : [`  stopped by ${report.stoppedBy.code}: ${report.stoppedBy.message}`]),
		...autoConcurrency(report),
		...internalErrors(report),
		...unmatchedLines(report),
		...stageTable(report),
		...renderLines(report),
	);

	if (report.pagesCapped > 0) {
		lines.push(
			'',
			`  ${report.pagesCapped} ${report.pagesCapped === 1 ? 'page' : 'pages'} held more than --max-per-page allows: the rest of ${report.pagesCapped === 1 ? 'its' : 'their'} images or links were left out`,
		);
	}

	lines.push(...failureLines(report));

	if (report.warnings.length > 0) {
		lines.push('', `  warnings: ${report.warnings.length}`);
		for (const warning of report.warnings.slice(0, listedFailures)) {
			lines.push(`    ${warning.code}  ${warning.url}: ${warning.message}`);
		}

		if (report.warnings.length > listedFailures) {
			lines.push(`    ... and ${report.warnings.length - listedFailures} more (--json lists them all)`);
		}
	}

	return `${lines.join('\n')}\n`;
}
