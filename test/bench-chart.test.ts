import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as cheerio from 'cheerio';
import {charWidth, htmlChart, svgChart} from '../src/bench/svg-chart.js';
import {formatScenario} from '../src/bench/table.js';
import {terminalChart} from '../src/bench/terminal-chart.js';
import {bench, concurrencies, multi, point, rising, scenario, twoBounds} from './helpers/bench-data.js';

interface Box {
	text: string;
	left: number;
	right: number;
	top: number;
	bottom: number;
}

/**
The box each horizontal `<text>` takes, in SVG user units: from its x by its
anchor, `charWidth` per character at 11 px (scaled by its font size), and
from its baseline up one font size and down a fifth of one.
*/
function textBoxes(svg: string): {boxes: Box[]; legends: Box[]; plots: Box[]; viewBox: {width: number; height: number}} {
	const $ = cheerio.load(svg, {xml: true});
	const [, , width, height] = $('svg').attr('viewBox')!.split(' ').map(Number);
	const boxes: Box[] = [];
	const legends: Box[] = [];
	const plots: Box[] = [];
	$('g.scenario').each((_, group) => {
		const offset = Number(/translate\(0 ([\d.]+)\)/.exec($(group).attr('transform')!)![1]);
		const xAxis = $(group).find('line.x-axis');
		const yAxis = $(group).find('line.y-axis');
		plots.push({
			text: 'plot',
			left: Number(xAxis.attr('x1')),
			right: Number(xAxis.attr('x2')),
			top: Number(yAxis.attr('y1')) + offset,
			bottom: Number(xAxis.attr('y1')) + offset,
		});
		$(group)
			.find('text')
			.each((_, element) => {
				const node = $(element);
				if (node.attr('transform') !== undefined) {
					return;
				}

				const size = Number(node.attr('font-size') ?? 11);
				const length = node.text().length * charWidth * (size / 11) * (node.attr('font-weight') === 'bold' ? 1.1 : 1);
				const x = Number(node.attr('x'));
				const y = Number(node.attr('y')) + offset;
				const anchor = node.attr('text-anchor') ?? 'start';
				const left = anchor === 'end' ? x - length : anchor === 'middle' ? x - length / 2 : x;
				boxes.push({text: node.text(), left, right: left + length, top: y - size, bottom: y + size / 5});
			});
		$(group)
			.find('g.legend')
			.each((_, element) => {
				const node = $(element);
				const [x, y, w, h] = ['data-x', 'data-y', 'data-width', 'data-height'].map(name => Number(node.attr(name)));
				legends.push({text: 'legend', left: x!, right: x! + w!, top: y! + offset, bottom: y! + offset + h!});
			});
	});
	return {boxes, legends, plots, viewBox: {width: width!, height: height!}};
}

const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function assertLegible(svg: string): void {
	const {boxes, legends, plots, viewBox} = textBoxes(svg);
	for (const box of [...boxes, ...legends]) {
		assert.ok(
			box.left >= 0 && box.right <= viewBox.width && box.top >= 0 && box.bottom <= viewBox.height,
			`${box.text} lies inside the viewBox ${JSON.stringify(box)}`,
		);
	}

	for (const [index, a] of boxes.entries()) {
		for (const b of boxes.slice(index + 1)) {
			assert.ok(!overlap(a, b), `"${a.text}" and "${b.text}" do not overlap`);
		}
	}

	const legendLabels = new Set(
		cheerio
			.load(svg, {xml: true})('g.legend text')
			.map((_, element) => element)
			.get(),
	);
	const $ = cheerio.load(svg, {xml: true});
	const inLegend = new Set(
		$('g.legend text')
			.map((_, element) => $(element).text())
			.get(),
	);
	for (const legend of legends) {
		for (const box of [...boxes.filter(each => !inLegend.has(each.text)), ...plots]) {
			assert.ok(!overlap(box, legend), `"${box.text}" stays off the legend`);
		}
	}

	// No label on the plot itself, where it would cover the curves: the knees are named in the legend.
	for (const plot of plots) {
		for (const box of boxes) {
			assert.ok(!overlap(box, plot), `"${box.text}" is not drawn over the plot`);
		}
	}

	assert.ok(legendLabels.size > 0);
}

test('a sweep still rising at its end: "no knee within the sweep", in the text and the chart, and no knee line', () => {
	assert.equal(rising.knees[0]!.withinSweep, false);
	const text = formatScenario(rising);
	assert.match(text, /^ {2}no knee within the sweep: throughput still rising at -c 64 \(1280 images\/s\); sweep higher to find it$/m);
	assert.doesNotMatch(text, /100% of the best/);
	const svg = svgChart(bench([rising]));
	const $ = cheerio.load(svg, {xml: true});
	assert.equal($('line.knee').length, 0);
	assert.equal($('g.legend text').filter((_, element) => $(element).text() === 'no knee within the sweep').length, 1);
	assertLegible(svg);
});

test('a single series: legend with the median, the ideal bound, the whiskers and the knee, none of it on the curves', () => {
	const level = scenario(concurrencies.map(c => point(c, 100 * Math.min(c, 8))));
	assert.equal(level.knees[0]!.concurrency, 8);
	const svg = svgChart(bench([level]));
	const $ = cheerio.load(svg, {xml: true});
	assert.deepEqual(
		$('g.legend text')
			.map((_, element) => $(element).text())
			.get(),
		['measured (median)', 'ideal bound', 'range of 3 runs (whisker)', 'knee: -c 8'],
	);
	assert.equal($('line.knee').length, 1);
	assertLegible(svg);
});

test('several series: one "ideal bound" for one bound, one knee line and entry for knees at the same -c, a legend that fits', () => {
	const svg = svgChart(bench([multi]));
	const $ = cheerio.load(svg, {xml: true});
	const labels = $('g.legend text')
		.map((_, element) => $(element).text())
		.get();
	assert.equal(labels.filter(label => label.startsWith('ideal bound')).length, 1);
	assert.equal($('polyline.ideal').length, 1);
	assert.equal($('polyline.measured').length, 3);
	assert.equal($('line.knee').length, 1);
	assert.deepEqual(
		labels.filter(label => label.startsWith('knee')),
		['knee: -c 16 (Cp 4 W 0, Cp 4 W 1, Cp 4 W 2)'],
	);
	assert.ok(labels.includes('page concurrency 4, 1 parse worker'), labels.join(' | '));
	assertLegible(svg);
});

test('two page concurrencies: one ideal bound each, named by series', () => {
	const svg = svgChart(bench([twoBounds, rising]));
	const $ = cheerio.load(svg, {xml: true});
	const labels = $('g.legend text')
		.map((_, element) => $(element).text())
		.get();
	assert.deepEqual(
		labels.filter(label => label.startsWith('ideal bound')),
		['ideal bound, page concurrency 4', 'ideal bound, page concurrency 8', 'ideal bound'],
	);
	assertLegible(svg);
});

test('the HTML page holds each table as a <table>, not a clipped <pre>', () => {
	const html = htmlChart(bench([multi, rising]));
	const $ = cheerio.load(html);
	assert.equal($('pre').length, 0);
	assert.doesNotMatch(html, /max-width:60em/);
	assert.equal($('table').length, 2);
	assert.deepEqual(
		$('table')
			.first()
			.find('thead th')
			.map((_, cell) => $(cell).text())
			.get()
			.slice(0, 4),
		['c', 'Cp', 'W', 'wall'],
	);
	assert.equal($('table').first().find('tbody tr').length, 21);
	assert.equal($('body > svg').length, 1);
	assert.match($('li').text(), /knee \(page concurrency 4, 0 parse workers\): -c 16/);
});

test("the presets' targets are shown only when asked for", () => {
	assert.doesNotMatch(formatScenario(multi), /MISS|missed|target/);
	assert.match(formatScenario(multi, {targets: true}), /^ {2}target missed wall at -c 16: 1\.30x \(target <= 1\.10x\)$/m);
	assert.doesNotMatch(htmlChart(bench([multi])), /target/);
});

test('the terminal chart marks the knee under its -c, or says there is none within the sweep', () => {
	const level = scenario(concurrencies.map(c => point(c, 100 * Math.min(c, 8))));
	const lines = terminalChart(level, {colour: false}).split('\n');
	const axis = lines.find(line => line.trimEnd().endsWith('-c'))!;
	const marks = lines[lines.indexOf(axis) + 1]!;
	assert.match(marks, /^ +\^ {2}knee at -c 8$/);
	assert.equal(marks.indexOf('^'), axis.indexOf(' 8 ') + 1, 'the mark stands under the 8');
	assert.match(terminalChart(rising, {colour: false}), /^ +no knee within the sweep: still rising at -c 64$/m);
});
