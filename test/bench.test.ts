import assert from 'node:assert/strict';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import * as cheerio from 'cheerio';
import type {BenchResult} from '../src/bench/results.js';
import {runCli} from './helpers/cli.js';
import {tempDir} from './helpers/temp.js';

// A tiny scenario: 2 pages x 5 images, two concurrency points, one repeat. No assertion on speed.
const tiny = ['bench', '--pages', '2', '--per-page', '5', '--size', '1000', '--latency', '5', '-c', '1,2', '--repeat', '1'];

test("bench --json: every point of the sweep, measured in its own folder, with the server's counts; --chart .svg", async t => {
	const dir = await tempDir(t);
	const chart = path.join(dir, 'chart.svg');
	const {code, stdout, stderr} = await runCli([...tiny, '--json', '--chart', chart, '--work-dir', dir]);
	assert.equal(code, 0, stderr);
	const result = JSON.parse(stdout) as BenchResult;
	assert.equal(result.repeat, 1);
	assert.ok(result.versionMs.median > 0);
	assert.ok(result.loopbackBytesPerSecond > 0);
	assert.equal(result.scenarios.length, 1);
	const [scenario] = result.scenarios;
	assert.equal(scenario!.scenario.name, 'custom');
	assert.equal(scenario!.images, 10);
	assert.deepEqual(
		scenario!.points.map(point => point.concurrency),
		[1, 2],
	);
	for (const point of scenario!.points) {
		assert.equal(point.samples.length, 1);
		assert.equal(point.complete, true);
		assert.equal(point.samples[0]!.downloaded, 10);
		assert.equal(point.samples[0]!.server?.imageRequests, 10);
		assert.equal(point.samples[0]!.server?.pageRequests, 2);
		assert.ok(point.serverPeakInFlight!.image <= point.concurrency);
		assert.ok(point.ideal.idealMs > 0 && point.efficiency > 0);
		for (const key of ['elapsedMs', 'processMs', 'imagesPerSecond'] as const) {
			assert.ok(point[key].min <= point[key].median && point[key].median <= point[key].max, key);
		}
	}

	assert.equal(scenario!.points[0]!.speedup, 1);
	assert.equal(scenario!.knees.length, 1);
	assert.ok([1, 2].includes(scenario!.knees[0]!.concurrency));
	assert.deepEqual(scenario!.targets, [], 'a custom scenario has no targets');
	// Each point's output folder is gone; only the chart is left.
	assert.deepEqual(await readdir(dir), ['chart.svg']);

	const $ = cheerio.load(await readFile(chart, 'utf8'), {xml: true});
	assert.equal($('svg').length, 1);
	assert.equal($('svg').attr('xmlns'), 'http://www.w3.org/2000/svg');
	const points = $('svg g.scenario circle.point');
	assert.deepEqual(points.map((_, circle) => $(circle).attr('data-concurrency')).get(), ['1', '2']);
	assert.equal(points.first().attr('data-images-per-second'), scenario!.points[0]!.imagesPerSecond.median.toFixed(1));
	assert.equal($('svg polyline.measured').length, 1);
	assert.equal($('svg polyline.ideal').length, 1);
	assert.equal($('svg line.knee').length, scenario!.knees.filter(knee => knee.withinSweep).length);
});

test('bench: the table, chart and knee on stdout; --chart .html holds the SVG inline', async t => {
	const dir = await tempDir(t);
	const chart = path.join(dir, 'chart.html');
	const {code, stdout, stderr} = await runCli([...tiny, '--chart', chart, '--work-dir', dir]);
	assert.equal(code, 0, stderr);
	assert.match(stdout, /imgscrape --version: \S+ m?s/);
	assert.match(stdout, /^custom: 2 pages x 5 images/m);
	assert.match(stdout, /^\s+c\s+wall\s+range\s+process\s+img\/s/m);
	assert.match(stdout, /^\s+(knee: -c 1, \d+ images\/s|no knee within the sweep: throughput still rising at -c 2 )/m);
	assert.doesNotMatch(stdout, /MISS|target/);
	assert.match(stdout, /images\/s against download concurrency/);
	assert.match(stderr, /^custom -c 1 --page-concurrency 4 #1: /m);
	const $ = cheerio.load(await readFile(chart, 'utf8'));
	assert.equal($('head > title').text(), 'imgscrape bench');
	assert.equal($('body > svg circle.point').length, 2);
	assert.match($('li').text(), /knee: -c|no knee within the sweep/);
	assert.equal($('table').length, 1);
});

test('bench --csv prints one row per sample', async t => {
	const dir = await tempDir(t);
	const {code, stdout, stderr} = await runCli([...tiny, '--csv', '-q', '--work-dir', dir]);
	assert.equal(code, 0, stderr);
	const rows = stdout.trim().split('\n');
	assert.equal(rows.length, 3);
	assert.match(rows[0]!, /^scenario,concurrency,pageConcurrency,parseWorkers,repeat,elapsedMs,processMs,/);
	assert.match(rows[1]!, /^custom,1,4,,1,/);
	assert.match(rows[2]!, /^custom,2,4,,1,/);
});

test('bench --parse-workers sweeps the parse mode too, each point run with its own flag', async t => {
	const dir = await tempDir(t);
	const {code, stdout, stderr} = await runCli([
		'bench',
		'--pages',
		'2',
		'--per-page',
		'3',
		'--size',
		'1000',
		'-c',
		'2',
		'--parse-workers',
		'0,1',
		'--repeat',
		'1',
		'--csv',
		'--work-dir',
		dir,
	]);
	assert.equal(code, 0, stderr);
	const rows = stdout.trim().split('\n').slice(1);
	assert.deepEqual(
		rows.map(row => row.split(',').slice(0, 4).join(',')),
		['custom,2,4,0', 'custom,2,4,1'],
	);
	assert.match(stderr, /^custom -c 2 --page-concurrency 4 --parse-workers 1 #1: /m);
});

test('bench refuses bad input with one line and exit 2', async () => {
	for (const [args, message] of [
		[['bench', '--preset', 'tiny'], /Unknown preset `tiny`/],
		[['bench', '-c', '0,4'], /^imgscrape: -c: expected a comma-separated list/],
		[['bench', '--repeat', '0'], /--repeat/],
		[['bench', '--parse-workers', '1,x'], /--parse-workers/],
		[['bench', '--chart', 'out.png'], /`--chart` to end in \.svg or \.html/],
		[['bench', '--url', 'ftp://x/'], /`--url`/],
		[['bench', '--json', '--csv'], /--json and --csv cannot be used together/],
	] as const) {
		const {code, stderr} = await runCli([...args]);
		assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
		assert.match(stderr, message);
		assert.equal(stderr.trim().split('\n').length <= 2, true);
	}
});
