import asciichart from 'asciichart';
import {seriesOf, type ScenarioResult} from './results.js';

const colours = [asciichart.default, asciichart.blue, asciichart.green, asciichart.magenta, asciichart.yellow, asciichart.cyan];

/**
Throughput against concurrency, drawn with asciichart. The x axis is the
sweep's points, evenly spaced (a log scale for the usual powers of two), each
stretched over a few columns so the curve is readable.
*/
export function terminalChart(result: ScenarioResult, options: {colour: boolean; height?: number}): string {
	const series = seriesOf(result.points);
	const columns = 6;
	const stretch = (values: number[]) =>
		values.flatMap((value, index) =>
			index === values.length - 1 ? [value] : Array.from({length: columns}, (_, step) => value + ((values[index + 1]! - value) * step) / columns),
		);
	const data = series.map(points => stretch(points.map(point => point.imagesPerSecond.median)));
	const chart = asciichart.plot(data, {
		height: options.height ?? 10,
		format: value => `${value.toFixed(0).padStart(7)} `,
		...(options.colour ? {colors: series.map((_, index) => colours[index % colours.length]!)} : {}),
	});
	const labels = series[0]!.map(point => String(point.concurrency));
	// Line the labels up under their points: the chart's left margin is the label width plus the axis.
	const margin = chart.split('\n')[0]!.search(/[┤┼]/) + 1;
	let axis = ' '.repeat(margin);
	for (const [index, label] of labels.entries()) {
		const at = margin + index * columns;
		axis = axis.padEnd(Math.max(axis.length, at - Math.floor(label.length / 2))) + label;
	}

	// The knees under their points, beside the axis labels rather than over the curves.
	const knees = [...new Set(result.knees.filter(knee => knee.withinSweep).map(knee => knee.concurrency))];
	let marks = '';
	for (const concurrency of knees) {
		const at = margin + labels.indexOf(String(concurrency)) * columns;
		marks = `${marks.padEnd(at)}^`;
	}

	const kneeLine =
		knees.length > 0
			? `\n${marks}  knee${knees.length === 1 ? '' : 's'} at -c ${knees.join(', ')}`
			: result.knees.length > 0
				? `\n${' '.repeat(margin)}no knee within the sweep: still rising at -c ${labels.at(-1)}`
				: '';
	const legend =
		series.length > 1
			? `\n${' '.repeat(margin)}${series.map((points, index) => `${options.colour ? colours[index % colours.length] : ''}Cp ${points[0]!.pageConcurrency}${points[0]!.parseWorkers === null ? '' : ` W ${points[0]!.parseWorkers}`}${options.colour ? asciichart.reset : ''}`).join('   ')}`
			: '';
	return `  images/s against download concurrency (${result.scenario.name})\n${chart}\n${axis}   -c${kneeLine}${legend}`;
}
