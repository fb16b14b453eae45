import {seriesOf, type BenchResult, type PointResult, type ScenarioResult} from './results.js';

const width = 720;
const height = 380;
const margin = {top: 48, right: 150, bottom: 48, left: 72};
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
	return `page concurrency ${point.pageConcurrency}${point.parseWorkers === null ? '' : `, ${point.parseWorkers} parse workers`}`;
}

/** One scenario's panel: images/s against concurrency (log scale), measured series, the ideal bound, the knee. */
function panel(result: ScenarioResult, offsetY: number): string {
	const series = seriesOf(result.points);
	const concurrencies = [...new Set(result.points.map(point => point.concurrency))].sort((a, b) => a - b);
	const idealOf = (point: PointResult) => (result.images / point.ideal.idealMs) * 1000;
	const best = Math.max(...result.points.map(point => Math.max(point.imagesPerSecond.max, idealOf(point))));
	const ticks = niceTicks(best);
	const top = ticks.at(-1)!;
	const plotWidth = width - margin.left - margin.right;
	const plotHeight = height - margin.top - margin.bottom;
	const low = Math.log2(concurrencies[0]!);
	const high = Math.log2(concurrencies.at(-1)!);
	const x = (concurrency: number) => margin.left + (high === low ? plotWidth / 2 : ((Math.log2(concurrency) - low) / (high - low)) * plotWidth);
	const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
	const parts: string[] = [`<g class="scenario" data-scenario="${escapeXml(result.scenario.name)}" transform="translate(0 ${offsetY})">`];
	const {scenario} = result;
	parts.push(
		`<text x="${margin.left}" y="24" font-size="15" font-weight="bold">${escapeXml(`${scenario.name}: ${scenario.pages} pages x ${scenario.perPage} images x ${scenario.size / 1000} kB, ${scenario.latency} ms latency`)}</text>`,
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
		`<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
		`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
		`<text x="${margin.left + plotWidth / 2}" y="${height - 8}" text-anchor="middle" font-size="12">download concurrency (-c)</text>`,
		`<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">images/s</text>`,
	);
	let legendY = margin.top + 8;
	const legend = (colour: string, label: string, dashed: boolean) => {
		parts.push(
			`<line x1="${width - margin.right + 12}" x2="${width - margin.right + 32}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
			`<text x="${width - margin.right + 38}" y="${legendY + 4}" font-size="11">${escapeXml(label)}</text>`,
		);
		legendY += 18;
	};

	for (const [index, points] of series.entries()) {
		const colour = palette[index % palette.length]!;
		const ideal = points.map(point => `${x(point.concurrency).toFixed(1)},${y(idealOf(point)).toFixed(1)}`).join(' ');
		parts.push(`<polyline class="ideal" points="${ideal}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-dasharray="5 4" opacity="0.6"/>`);
		const measured = points.map(point => `${x(point.concurrency).toFixed(1)},${y(point.imagesPerSecond.median).toFixed(1)}`).join(' ');
		parts.push(`<polyline class="measured" points="${measured}" fill="none" stroke="${colour}" stroke-width="2"/>`);
		for (const point of points) {
			// The spread of the repeats, then the median.
			parts.push(
				`<line x1="${x(point.concurrency).toFixed(1)}" x2="${x(point.concurrency).toFixed(1)}" y1="${y(point.imagesPerSecond.min).toFixed(1)}" y2="${y(point.imagesPerSecond.max).toFixed(1)}" stroke="${colour}" opacity="0.5"/>`,
				`<circle class="point" cx="${x(point.concurrency).toFixed(1)}" cy="${y(point.imagesPerSecond.median).toFixed(1)}" r="3.5" fill="${colour}" data-concurrency="${point.concurrency}" data-page-concurrency="${point.pageConcurrency}" data-images-per-second="${point.imagesPerSecond.median.toFixed(1)}" data-wall-ms="${point.elapsedMs.median.toFixed(1)}"><title>${escapeXml(`-c ${point.concurrency}: ${point.imagesPerSecond.median.toFixed(0)} images/s, ${(point.elapsedMs.median / 1000).toFixed(3)} s (ideal ${(point.ideal.idealMs / 1000).toFixed(3)} s)`)}</title></circle>`,
			);
		}

		legend(colour, series.length > 1 ? seriesName(points[0]!) : 'measured (median)', false);
		legend(colour, 'ideal bound', true);
	}

	for (const knee of result.knees) {
		const kx = x(knee.concurrency).toFixed(1);
		parts.push(
			`<line class="knee" x1="${kx}" x2="${kx}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#888" stroke-dasharray="2 3"/>`,
			`<text x="${Number(kx) + 4}" y="${margin.top + 12}" font-size="11" fill="#555">knee -c ${knee.concurrency}</text>`,
		);
	}

	parts.push('</g>');
	return parts.join('\n');
}

/** A self-contained SVG: one panel per scenario, stacked. */
export function svgChart(result: BenchResult): string {
	const panels = result.scenarios.map((scenario, index) => panel(scenario, index * height));
	const total = Math.max(1, result.scenarios.length) * height;
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n${panels.join('\n')}\n</svg>\n`;
}

/** An HTML page with the SVG inline, and the text tables under it. */
export function htmlChart(result: BenchResult, tables: string): string {
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>imgscrape bench</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}pre{font-size:12px;background:#f6f6f6;padding:1em;overflow:auto}</style></head>
<body>
<h1>imgscrape bench</h1>
${svgChart(result)}
<pre>${escapeXml(tables)}</pre>
</body>
</html>
`;
}
