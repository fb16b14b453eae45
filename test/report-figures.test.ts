import assert from 'node:assert/strict';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {scrape} from '../src/index.js';
import type {ScrapeReport} from '../src/report/report.js';
import type {StageReport} from '../src/report/stage-clock.js';
import {runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

/** What must hold for any stage of any run: every figure within the run's wall time and the pool's bound. */
function assertStageAddsUp(name: string, stage: StageReport, wallMs: number): void {
	assert.ok(stage.busyMs <= wallMs, `${name}: busy ${stage.busyMs} <= wall ${wallMs}`);
	assert.ok(stage.maxMs <= stage.busyMs + 1e-6, `${name}: the longest item fits in the busy time`);
	assert.ok(stage.totalMs + 1e-6 >= stage.busyMs, `${name}: items' time covers the busy time`);
	assert.ok(stage.p50Ms <= stage.p90Ms && stage.p90Ms <= stage.p99Ms && stage.p99Ms <= stage.maxMs, `${name}: percentiles ascend`);
	if (stage.limit !== null) {
		assert.ok(stage.peakInFlight <= stage.limit, `${name}: peak within the limit`);
		assert.ok(stage.totalMs <= stage.limit * wallMs + 1e-6, `${name}: total <= limit x wall`);
		assert.ok(stage.utilisation !== null && stage.utilisation >= 0 && stage.utilisation <= 1, `${name}: utilisation in 0..1`);
	}
}

function assertReportAddsUp(report: ScrapeReport): void {
	assert.equal(report.phases.pageFetch.count, report.pages + report.pagesFailed);
	assert.equal(report.phases.download.count, report.downloaded + report.failed);
	assert.equal(report.phases.download.bytes, report.bytes);
	assert.equal(
		report.pageResults.reduce((sum, page) => sum + page.images, 0),
		report.images,
	);
	assert.equal(report.failures.length, report.failed + report.pagesFailed);
	assert.equal(
		Object.values(report.failuresByCategory).reduce((sum, count) => sum + count, 0),
		report.failures.length,
	);
	assert.ok(report.firstImageMs === null || report.firstImageMs <= report.elapsedMs);
	assert.ok(Math.abs((report.imagesPerSecond * report.elapsedMs) / 1000 - report.downloaded) < 1e-6);
	assert.ok(Math.abs((report.megabytesPerSecond * report.elapsedMs) / 1000 - report.bytes / 1e6) < 1e-6);
	assert.ok(report.peakRssBytes > 0);
	for (const [name, stage] of Object.entries(report.phases)) {
		assertStageAddsUp(name, stage, report.elapsedMs);
	}
}

test('the report adds up: counts match the files on disk and the server, stages fit in the wall time', async t => {
	const server = await gallery(t, {pages: 3, perPage: 12, size: 4000, latency: 15, jitter: 10});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-3', out, concurrency: 5, pageConcurrency: 2});
	assertReportAddsUp(report);
	const files = await listFiles(out);
	assert.equal(files.length, report.downloaded);
	assert.equal(report.downloaded, 36);
	const sizes = await Promise.all(files.map(async file => (await stat(path.join(out, file))).size));
	assert.equal(
		sizes.reduce((sum, size) => sum + size, 0),
		report.bytes,
	);
	const stats = server.stats();
	assert.equal(stats.image.requests, report.phases.download.count);
	assert.equal(stats.page.requests, report.phases.pageFetch.count);
	assert.equal(report.phases.pageFetch.bytes, report.phases.parse.bytes, 'every fetched page was parsed');
	assert.equal(report.phases.download.peakInFlight, stats.image.peakInFlight);
	assert.equal(report.phases.download.peakInFlight, 5);
	assert.ok(report.firstImageMs !== null);
});

test('failures are counted once each, by category, and still add up', async t => {
	const server = await gallery(t, {pages: 1, perPage: 3, size: 1000});
	const out = await tempDir(t);
	const report = await scrape({urls: [`${server.url}static/pipeline/broken.html`, `${server.url}index_9.html`], out});
	assertReportAddsUp(report);
	assert.equal((await listFiles(out)).length, report.downloaded);
	assert.ok(report.failed > 0 && report.pagesFailed === 1);
});

test('--report FILE writes the JSON report with the human report, and the same object as --json', async t => {
	const server = await gallery(t, {pages: 2, perPage: 4, size: 2000});
	const dir = await tempDir(t);
	const human = await runCli([server.template, '--pages', '1-2', '-o', path.join(dir, 'a'), '--report', path.join(dir, 'a.json')]);
	assert.equal(human.code, 0, human.stderr);
	assert.equal(human.stdout, '');
	assert.match(human.stderr, /^8 images saved from 2 pages in /m);
	const written = JSON.parse(await readFile(path.join(dir, 'a.json'), 'utf8')) as ScrapeReport;
	assert.equal(written.downloaded, 8);
	assertReportAddsUp(written);

	const json = await runCli([server.template, '--pages', '1-2', '-o', path.join(dir, 'b'), '--json', '-q', '--report', path.join(dir, 'b.json')]);
	assert.equal(json.code, 0, json.stderr);
	assert.deepEqual(JSON.parse(await readFile(path.join(dir, 'b.json'), 'utf8')), JSON.parse(json.stdout));

	const list = await runCli(['list', server.template, '--pages', '1-2', '--report', path.join(dir, 'c.json')]);
	assert.equal(list.code, 0, list.stderr);
	assert.equal((JSON.parse(await readFile(path.join(dir, 'c.json'), 'utf8')) as ScrapeReport).images, 8);
});

test('--report to a folder that does not exist: one line, exit 2, before any request', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const dir = await tempDir(t);
	const {code, stderr} = await runCli([server.template, '--pages', '1', '-o', path.join(dir, 'img'), '-q', '--report', path.join(dir, 'missing', 'r.json')]);
	assert.equal(code, 2);
	assert.match(stderr, /^imgscrape: Cannot use `.*r\.json` as the report file: the folder `.*missing` does not exist\n$/);
	assert.equal(server.stats().requests, 0);
	assert.deepEqual(await listFiles(dir), [], 'no output folder was made');
});

test('the human report shows bytes per stage and peak RSS', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1500});
	const out = await tempDir(t);
	const {stderr} = await runCli([server.template, '--pages', '1', '-o', out]);
	assert.match(stderr, /stage\s+items\s+busy\s+bytes\s+p50/);
	assert.match(stderr, /download\s+2\s+\S+ m?s\s+3\.00 kB/);
	assert.match(stderr, /peak RSS \d/);
});
