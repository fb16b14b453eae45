import {count} from '../report/words.js';
import {seriesOf, type BenchResult, type PointResult, type ScenarioResult} from './results.js';
import {formatHeader, scenarioTable} from './table.js';

/** The plot's size; the legend sits to its right, `gap` away, and sets the SVG's width. */
const plotWidth = 500;
const minPlotHeight = 284;
const minWidth = 720;
const margin = {top: 48, right: 16, bottom: 48, left: 72, gap: 24};
const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf'];

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Round tick steps (1, 2, 5 x 10^n) giving about `count` ticks from 0 to at least `max`. */
export function niceTicks(max: number, count = 5): number[] {
	if (!(max > 0)) {
		return [0, 1];
	}

	const raw = max / count;
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 5, 10].map(factor => factor * power).find(candidate => candidate >= raw)!;
	const ticks: number[] = [];
	for (let tick = 0; tick < max + step; tick += step) {
		ticks.push(Number(tick.toPrecision(12)));
		if (tick >= max) {
			break;
		}
	}

	return ticks;
}

function seriesName(point: PointResult): string {
	return `page concurrency ${point.pageConcurrency}${point.parseWorkers === null ? '' : `, ${count(point.parseWorkers, 'parse worker')}`}`;
}

/** Legend and label text: 11 px sans-serif, whose glyphs average under 0.6 em; the layout reserves this much per character. */
export const charWidth = 6.6;
const legendFont = 11;
const legendRow = 18;
/** The legend's glyph (a line sample) and the gap before its text. */
const glyphWidth = 26;

interface LegendEntry {
	label: string;
	/** How the entry's sample is drawn. */
	glyph: {kind: 'line'; colour: string; dash?: string} | {kind: 'whisker'; colour: string} | {kind: 'none'};
}

/** The ideal bound of each series, one entry per distinct bound: series that differ only in parse workers share theirs. */
function idealBounds(
	series: PointResult[][],
	idealOf: (point: PointResult) => number,
): Array<{points: PointResult[]; colour: string; pageConcurrency: number}> {
	const bounds = new Map<string, {points: PointResult[]; colour: string; pageConcurrency: number}>();
	for (const [index, points] of series.entries()) {
		const key = points.map(point => `${point.concurrency}:${idealOf(point).toFixed(3)}`).join(' ');
		if (!bounds.has(key)) {
			bounds.set(key, {points, colour: palette[index % palette.length]!, pageConcurrency: points[0]!.pageConcurrency});
		}
	}

	return [...bounds.values()];
}

/** The panel's legend entries: series, ideal bounds, the whiskers, the knees. */
function legendEntries(result: ScenarioResult, series: PointResult[][], bounds: ReturnType<typeof idealBounds>): LegendEntry[] {
	const entries: LegendEntry[] = series.map((points, index) => ({
		label: series.length > 1 ? seriesName(points[0]!) : 'measured (median)',
		glyph: {kind: 'line', colour: palette[index % palette.length]!},
	}));
	for (const bound of bounds) {
		entries.push({
			label: bounds.length === 1 ? 'ideal bound' : `ideal bound, page concurrency ${bound.pageConcurrency}`,
			glyph: {kind: 'line', colour: bounds.length === 1 ? '#777' : bound.colour, dash: '5 4'},
		});
	}

	const repeats = Math.max(...result.points.map(point => point.samples.length));
	if (repeats > 1) {
		entries.push({label: `range of ${repeats} runs (whisker)`, glyph: {kind: 'whisker', colour: '#777'}});
	}

	for (const [concurrency, knees] of kneesByConcurrency(result)) {
		const whose =
			series.length > 1 ? ` (${knees.map(knee => `Cp ${knee.pageConcurrency}${knee.parseWorkers === null ? '' : ` W ${knee.parseWorkers}`}`).join(', ')})` : '';
		entries.push({label: `knee: -c ${concurrency}${whose}`, glyph: {kind: 'line', colour: '#888', dash: '2 3'}});
	}

	if (result.knees.some(knee => !knee.withinSweep)) {
		const rising = result.knees.filter(knee => !knee.withinSweep);
		const whose =
			series.length > 1
				? ` (${rising.map(knee => `Cp ${knee.pageConcurrency}${knee.parseWorkers === null ? '' : ` W ${knee.parseWorkers}`}`).join(', ')})`
				: '';
		entries.push({label: `no knee within the sweep${whose}`, glyph: {kind: 'none'}});
	}

	return entries;
}

/** The knees found within the sweep, one vertical line (and one legend entry) per concurrency however many series share it. */
function kneesByConcurrency(result: ScenarioResult): Map<number, ScenarioResult['knees']> {
	const byConcurrency = new Map<number, ScenarioResult['knees']>();
	for (const knee of result.knees.filter(each => each.withinSweep)) {
		byConcurrency.set(knee.concurrency, [...(byConcurrency.get(knee.concurrency) ?? []), knee]);
	}

	return byConcurrency;
}

/** Where the panel's parts go: the legend's width decides the SVG's, its rows the panel's height. */
function layout(entries: readonly LegendEntry[]) {
	const legendWidth = Math.ceil(glyphWidth + 12 + Math.max(...entries.map(entry => entry.label.length)) * charWidth);
	const legendHeight = entries.length * legendRow;
	const plotHeight = Math.max(minPlotHeight, legendHeight);
	return {
		width: margin.left + plotWidth + margin.gap + legendWidth + margin.right,
		height: margin.top + plotHeight + margin.bottom,
		plotHeight,
		legend: {x: margin.left + plotWidth + margin.gap, y: margin.top, width: legendWidth, height: legendHeight},
	};
}

/** One scenario's panel: images/s against concurrency (log scale), measured series, the ideal bounds, the knees, and a legend beside the plot. */
function panel(result: ScenarioResult, offsetY: number): {svg: string; height: number} {
	const series = seriesOf(result.points);
	const concurrencies = [...new Set(result.points.map(point => point.concurrency))].sort((a, b) => a - b);
	const idealOf = (point: PointResult) => (result.images / point.ideal.idealMs) * 1000;
	const bounds = idealBounds(series, idealOf);
	const entries = legendEntries(result, series, bounds);
	const box = layout(entries);
	const {plotHeight} = box;
	const best = Math.max(...result.points.map(point => Math.max(point.imagesPerSecond.max, idealOf(point))));
	const ticks = niceTicks(best);
	const top = ticks.at(-1)!;
	const low = Math.log2(concurrencies[0]!);
	const high = Math.log2(concurrencies.at(-1)!);
	const x = (concurrency: number) => margin.left + (high === low ? plotWidth / 2 : ((Math.log2(concurrency) - low) / (high - low)) * plotWidth);
	const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
	const parts: string[] = [`<g class="scenario" data-scenario="${escapeXml(result.scenario.name)}" transform="translate(0 ${offsetY})">`];
	const {scenario} = result;
	parts.push(
		`<text class="title" x="${margin.left}" y="24" font-size="15" font-weight="bold">${escapeXml(`${scenario.name}: ${scenario.pages} pages x ${scenario.perPage} images x ${scenario.size / 1000} kB, ${scenario.latency} ms latency`)}</text>`,
	);
	for (const tick of ticks) {
		parts.push(
			`<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#ddd"/>`,
			`<text x="${margin.left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" font-size="11">${tick}</text>`,
		);
	}

	for (const concurrency of concurrencies) {
		parts.push(
			`<line x1="${x(concurrency).toFixed(1)}" x2="${x(concurrency).toFixed(1)}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 5}" stroke="#333"/>`,
			`<text x="${x(concurrency).toFixed(1)}" y="${margin.top + plotHeight + 18}" text-anchor="middle" font-size="11">${concurrency}</text>`,
		);
	}

	parts.push(
		`<line class="x-axis" x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
		`<line class="y-axis" x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
		`<text x="${margin.left + plotWidth / 2}" y="${box.height - 8}" text-anchor="middle" font-size="12">download concurrency (-c)</text>`,
		`<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">images/s</text>`,
	);

	// Knees first, under the data: a dotted line per concurrency, named in the legend rather than on the plot, where a label would cover the curves.
	for (const concurrency of kneesByConcurrency(result).keys()) {
		const kx = x(concurrency).toFixed(1);
		parts.push(
			`<line class="knee" data-concurrency="${concurrency}" x1="${kx}" x2="${kx}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#888" stroke-dasharray="2 3"/>`,
		);
	}

	for (const bound of bounds) {
		const ideal = bound.points.map(point => `${x(point.concurrency).toFixed(1)},${y(idealOf(point)).toFixed(1)}`).join(' ');
		const colour = bounds.length === 1 ? '#777' : bound.colour;
		parts.push(`<polyline class="ideal" points="${ideal}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-dasharray="5 4" opacity="0.8"/>`);
	}

	for (const [index, points] of series.entries()) {
		const colour = palette[index % palette.length]!;
		const measured = points.map(point => `${x(point.concurrency).toFixed(1)},${y(point.imagesPerSecond.median).toFixed(1)}`).join(' ');
		parts.push(`<polyline class="measured" points="${measured}" fill="none" stroke="${colour}" stroke-width="2"/>`);
		for (const point of points) {
			// The spread of the repeats, then the median.
			parts.push(
				`<line class="whisker" x1="${x(point.concurrency).toFixed(1)}" x2="${x(point.concurrency).toFixed(1)}" y1="${y(point.imagesPerSecond.min).toFixed(1)}" y2="${y(point.imagesPerSecond.max).toFixed(1)}" stroke="${colour}" opacity="0.5"/>`,
				`<circle class="point" cx="${x(point.concurrency).toFixed(1)}" cy="${y(point.imagesPerSecond.median).toFixed(1)}" r="3.5" fill="${colour}" data-concurrency="${point.concurrency}" data-page-concurrency="${point.pageConcurrency}" data-images-per-second="${point.imagesPerSecond.median.toFixed(1)}" data-wall-ms="${point.elapsedMs.median.toFixed(1)}"><title>${escapeXml(`-c ${point.concurrency}: ${point.imagesPerSecond.median.toFixed(0)} images/s, ${(point.elapsedMs.median / 1000).toFixed(3)} s (ideal ${(point.ideal.idealMs / 1000).toFixed(3)} s)`)}</title></circle>`,
			);
		}
	}

	const {legend} = box;
	parts.push(`<g class="legend" data-x="${legend.x}" data-y="${legend.y}" data-width="${legend.width}" data-height="${legend.height}">`);
	for (const [index, entry] of entries.entries()) {
		const rowY = legend.y + index * legendRow + legendRow / 2;
		const {glyph} = entry;
		if (glyph.kind === 'line') {
			parts.push(
				`<line x1="${legend.x}" x2="${legend.x + glyphWidth - 6}" y1="${rowY}" y2="${rowY}" stroke="${glyph.colour}" stroke-width="2"${glyph.dash === undefined ? '' : ` stroke-dasharray="${glyph.dash}"`}/>`,
			);
		} else if (glyph.kind === 'whisker') {
			const mid = legend.x + (glyphWidth - 6) / 2;
			parts.push(
				`<line x1="${mid}" x2="${mid}" y1="${rowY - 6}" y2="${rowY + 6}" stroke="${glyph.colour}"/>`,
				`<circle cx="${mid}" cy="${rowY}" r="3" fill="${glyph.colour}"/>`,
			);
		}

		parts.push(`<text class="legend-label" x="${legend.x + glyphWidth}" y="${rowY + 4}" font-size="${legendFont}">${escapeXml(entry.label)}</text>`);
	}

	parts.push('</g>', '</g>');
	return {svg: parts.join('\n'), height: box.height};
}

/** A self-contained SVG: one panel per scenario, stacked, as wide as the widest legend needs. */
export function svgChart(result: BenchResult): string {
	const width = Math.max(
		minWidth,
		...result.scenarios.map(scenario => {
			const series = seriesOf(scenario.points);
			return layout(
				legendEntries(
					scenario,
					series,
					idealBounds(series, point => (scenario.images / point.ideal.idealMs) * 1000),
				),
			).width;
		}),
	);
	const panels: string[] = [];
	let offset = 0;
	for (const scenario of result.scenarios) {
		const drawn = panel(scenario, offset);
		panels.push(drawn.svg);
		offset += drawn.height;
	}

	const total = Math.max(1, offset);
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n${panels.join('\n')}\n</svg>\n`;
}

/** An HTML page with the SVG inline and each scenario's table as a `<table>`, wide enough for both. */
export function htmlChart(result: BenchResult, options: {targets?: boolean | undefined} = {}): string {
	const tables = result.scenarios.map(scenario => {
		const {title, rows, notes} = scenarioTable(scenario, options);
		const [header, ...body] = rows;
		const cells = (row: string[], tag: 'th' | 'td') => row.map(cell => `<${tag}>${escapeXml(cell)}</${tag}>`).join('');
		return [
			`<h2>${escapeXml(title)}</h2>`,
			'<table>',
			`<thead><tr>${cells(header!, 'th')}</tr></thead>`,
			`<tbody>${body.map(row => `<tr>${cells(row, 'td')}</tr>`).join('\n')}</tbody>`,
			'</table>',
			...(notes.length === 0 ? [] : [`<ul>${notes.map(note => `<li>${escapeXml(note)}</li>`).join('')}</ul>`]),
		].join('\n');
	});
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>imgscrape bench</title>
<style>body{font-family:sans-serif;margin:2em}svg{max-width:100%;height:auto}table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}th,td{padding:.2em .6em;text-align:right;border-bottom:1px solid #e4e4e4}th:first-child,td:first-child{text-align:left}p.machine{font-size:13px;color:#444}</style></head>
<body>
<h1>imgscrape bench</h1>
${formatHeader(result)
	.split('\n')
	.map(line => `<p class="machine">${escapeXml(line)}</p>`)
	.join('\n')}
${svgChart(result)}
${tables.join('\n')}
</body>
</html>
`;
}
