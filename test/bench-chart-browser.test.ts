import assert from 'node:assert/strict';
import path from 'node:path';
import {type TestContext, test} from 'node:test';
import {svgChart} from '../src/bench/svg-chart.js';
import {launchArgs} from '../src/render/browser.js';
import {needBinary} from './helpers/binaries.js';
import {bench, multi, rising, twoBounds} from './helpers/bench-data.js';
import {tempDir} from './helpers/temp.js';

interface Rect {
	text: string;
	legend: boolean;
	left: number;
	right: number;
	top: number;
	bottom: number;
}

/** What the browser laid out: every text's box, each legend's and each plot's, and the SVG's own. */
interface Layout {
	svg: Rect;
	texts: Rect[];
	legends: Rect[];
	plots: Rect[];
}

/** Run in the page (the tests compile without the DOM's types, so it goes as source): the boxes the browser laid out. */
const measure = `(() => {
	const box = (element, text, legend) => {
		const rect = element.getBoundingClientRect();
		return {text, legend, left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom};
	};
	const svg = document.querySelector('svg');
	const texts = [...svg.querySelectorAll('text')].map(text => box(text, text.textContent ?? '', text.closest('g.legend') !== null));
	const legends = [...svg.querySelectorAll('g.legend')].map(legend => box(legend, 'legend', true));
	const plots = [...svg.querySelectorAll('g.scenario')].map(group => {
		const x = group.querySelector('line.x-axis').getBoundingClientRect();
		const y = group.querySelector('line.y-axis').getBoundingClientRect();
		return {text: 'plot', legend: false, left: x.left, right: x.right, top: y.top, bottom: x.bottom};
	});
	return {svg: box(svg, 'svg', false), texts, legends, plots};
})()`;

const overlap = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function chromium(t: TestContext): string | undefined {
	return needBinary(t, 'chromium', ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'], 'apt-get install chromium');
}

test('in a real browser, the charts keep every label inside the SVG, off the plot, off the legend and off each other', async t => {
	const executablePath = chromium(t);
	if (executablePath === undefined) {
		return;
	}

	const {chromium: driver} = await import('playwright-core');
	const browser = await driver.launch({executablePath, args: launchArgs, headless: true});
	t.after(async () => browser.close());
	const page = await browser.newPage({viewport: {width: 1400, height: 900}});
	const dir = await tempDir(t);
	for (const [name, result] of [
		['single', bench([rising])],
		['multi', bench([multi, twoBounds])],
	] as const) {
		await page.setContent(`<!doctype html><body style="margin:0">${svgChart(result)}</body>`);
		// Kept beside the test's temporary files, to look at when a layout is in doubt.
		await page.screenshot({path: path.join(dir, `${name}.png`), fullPage: true});
		const layout = (await page.evaluate(measure)) as Layout;
		const {svg, texts, legends, plots} = layout;
		assert.ok(texts.length > 15 && legends.length > 0 && plots.length > 0, name);
		for (const rect of [...texts, ...legends]) {
			assert.ok(rect.left >= svg.left && rect.right <= svg.right && rect.top >= svg.top && rect.bottom <= svg.bottom, `${name}: "${rect.text}" inside the SVG`);
		}

		// The rotated axis title is a column of its own; every other pair of labels must be apart.
		const upright = texts.filter(rect => rect.text !== 'images/s');
		for (const [index, a] of upright.entries()) {
			for (const b of upright.slice(index + 1)) {
				assert.ok(!overlap(a, b), `${name}: "${a.text}" and "${b.text}" apart`);
			}
		}

		for (const legend of legends) {
			for (const rect of [...texts.filter(each => !each.legend), ...plots]) {
				assert.ok(!overlap(rect, legend), `${name}: "${rect.text}" off the legend`);
			}
		}

		for (const plot of plots) {
			for (const rect of texts) {
				assert.ok(!overlap(rect, plot), `${name}: "${rect.text}" not over the plot`);
			}
		}
	}
});
