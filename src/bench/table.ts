import {formatBytes, formatMs} from '../report/format.js';
import {count} from '../report/words.js';
import type {BenchResult, Knee, PointResult, ScenarioResult} from './results.js';

/** Columns: first left-aligned, the rest right-aligned, two spaces apart. */
export function alignTable(rows: readonly string[][]): string[] {
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => (row[column] ?? '').length)));
	return rows.map(row =>
		row
			.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
			.join('  ')
			.trimEnd(),
	);
}

function range(point: PointResult): string {
	const {min, max} = point.elapsedMs;
	return point.samples.length > 1 ? `${formatMs(min)}-${formatMs(max)}` : '';
}

function pointRow(point: PointResult, series: boolean): string[] {
	return [
		String(point.concurrency),
		...(series ? [String(point.pageConcurrency), point.parseWorkers === null ? '' : String(point.parseWorkers)] : []),
		formatMs(point.elapsedMs.median),
		range(point),
		formatMs(point.processMs.median),
		point.imagesPerSecond.median.toFixed(0),
		point.megabytesPerSecond.toFixed(1),
		point.speedup === null ? '' : `${point.speedup.toFixed(1)}x`,
		formatMs(point.ideal.idealMs),
		`${Math.round(point.efficiency * 100)}%`,
		point.serverPeakInFlight === null ? '' : `${point.serverPeakInFlight.image}/${point.serverPeakInFlight.page}`,
		formatBytes(point.peakRssBytes),
		point.complete ? '' : 'incomplete',
	];
}

/** One scenario as data: its title, its table (header row first), and the lines under it. The text and the HTML page both render this. */
export interface ScenarioTable {
	title: string;
	rows: string[][];
	notes: string[];
}

/** What a knee line says: the knee, or that throughput was still rising where the sweep ended. */
export function kneeLine(knee: Knee, series: boolean): string {
	const where = series ? ` (page concurrency ${knee.pageConcurrency}${knee.parseWorkers === null ? '' : `, ${count(knee.parseWorkers, 'parse worker')}`})` : '';
	if (!knee.withinSweep) {
		return `no knee within the sweep${where}: throughput still rising at -c ${knee.concurrency} (${knee.imagesPerSecond.toFixed(0)} images/s); sweep higher to find it`;
	}

	const rising = knee.rising ? "; still rising a little at the sweep's end" : '';
	return `knee${where}: -c ${knee.concurrency}, ${knee.imagesPerSecond.toFixed(0)} images/s, ${Math.round((knee.imagesPerSecond / knee.bestImagesPerSecond) * 100)}% of the best ${knee.bestImagesPerSecond.toFixed(0)}${rising}`;
}

/** Whether a scenario's points form several series (page concurrencies or parse-worker counts). */
export function hasSeries(result: ScenarioResult): boolean {
	return (
		new Set(result.points.map(point => `${point.pageConcurrency}/${point.parseWorkers}`)).size > 1 || result.points.some(point => point.parseWorkers !== null)
	);
}

/** The table of one scenario's points, then its knee(s), scale check and, with `targets`, the preset's targets. */
export function scenarioTable(result: ScenarioResult, options: {targets?: boolean | undefined} = {}): ScenarioTable {
	const {scenario} = result;
	const series = hasSeries(result);
	const notes = result.knees.map(knee => kneeLine(knee, series));
	if (result.scale !== undefined) {
		for (const [index, ratio] of result.scale.ratios.entries()) {
			const small = result.scale.points[index]!;
			notes.push(
				`growth at -c ${ratio.concurrency}: ${formatMs(result.points[index]!.elapsedMs.median)} vs ${result.scale.factor} x ${formatMs(small.elapsedMs.median)} (${small.scenario}) = ${ratio.ratio.toFixed(2)}x linear; peak RSS ${formatBytes(result.points[index]!.peakRssBytes)} vs ${formatBytes(small.peakRssBytes)}`,
			);
		}
	}

	// The presets' targets are the project's own yardsticks: shown only when asked for.
	if (options.targets) {
		for (const check of result.targets) {
			notes.push(`target ${check.ok ? 'met   ' : 'missed'} ${check.what}: ${check.measured} (target ${check.target})`);
		}
	}

	return {
		title: `${scenario.name}: ${scenario.pages} pages x ${scenario.perPage} images x ${formatBytes(scenario.size)}, latency ${scenario.latency} ms${scenario.jitter > 0 ? ` + 0-${scenario.jitter} ms` : ''}${scenario.pageBytes > 0 ? `, pages of ~${formatBytes(scenario.pageBytes)}` : ''} (${result.images} images)`,
		rows: [
			['c', ...(series ? ['Cp', 'W'] : []), 'wall', 'range', 'process', 'img/s', 'MB/s', 'speedup', 'ideal', 'eff', 'peak i/p', 'RSS', ''],
			...result.points.map(point => pointRow(point, series)),
		],
		notes,
	};
}

/** The text of one scenario: title, aligned table, notes. */
export function formatScenario(result: ScenarioResult, options: {targets?: boolean | undefined} = {}): string {
	const {title, rows, notes} = scenarioTable(result, options);
	return [title, ...alignTable(rows).map(line => `  ${line}`), ...notes.map(note => `  ${note}`)].join('\n');
}

/** The header: machine, startup time and loopback throughput, and the legend. */
export function formatHeader(result: BenchResult): string {
	const {machine} = result;
	return [
		`${machine.cpus} x ${machine.model}, ${formatBytes(machine.memoryBytes)}, ${machine.platform}, Node ${machine.node}; load ${machine.loadAverage.map(load => load.toFixed(2)).join(' ')}`,
		`imgscrape --version: ${formatMs(result.versionMs.median)} (median, spawn to exit); loopback ${formatBytes(result.loopbackBytesPerSecond)}/s; ${result.repeat} repeat(s), medians; outputs in ${result.workDir}`,
		"wall: in-process (the report); process: spawn to exit; ideal: max(L x (ceil(P/Cp) + ceil(N/C)), bytes / loopback); eff: ideal / wall; peak i/p: the server's peak images/pages in flight",
	].join('\n');
}

/** Every raw sample as CSV, one row per repeat of each point. */
export function formatCsv(result: BenchResult): string {
	const header = [
		'scenario',
		'concurrency',
		'pageConcurrency',
		'parseWorkers',
		'repeat',
		'elapsedMs',
		'processMs',
		'imagesPerSecond',
		'megabytesPerSecond',
		'firstImageMs',
		'peakRssBytes',
		'downloaded',
		'failed',
		'bytes',
		'serverImagePeak',
		'serverPagePeak',
		'idealMs',
	];
	const rows = [header.join(',')];
	const points = result.scenarios.flatMap(scenario => [...scenario.points, ...(scenario.scale?.points ?? [])]);
	for (const point of points) {
		for (const [repeat, sample] of point.samples.entries()) {
			rows.push(
				[
					point.scenario,
					point.concurrency,
					point.pageConcurrency,
					point.parseWorkers ?? '',
					repeat + 1,
					sample.elapsedMs.toFixed(2),
					sample.processMs.toFixed(2),
					sample.imagesPerSecond.toFixed(2),
					sample.megabytesPerSecond.toFixed(3),
					sample.firstImageMs?.toFixed(2) ?? '',
					sample.peakRssBytes,
					sample.downloaded,
					sample.failed,
					sample.bytes,
					sample.server?.imagePeakInFlight ?? '',
					sample.server?.pagePeakInFlight ?? '',
					point.ideal.idealMs.toFixed(2),
				].join(','),
			);
		}
	}

	return `${rows.join('\n')}\n`;
}
