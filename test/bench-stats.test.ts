import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseCountList, parsePresets, presets, scaledDown} from '../src/bench/scenarios.js';
import {efficiency, findKnee, idealBound, spread} from '../src/bench/stats.js';
import {checkTargets, type PointResult} from '../src/bench/results.js';
import {niceTicks} from '../src/bench/svg-chart.js';

test('the ideal bound: latency rounds or bytes over throughput, whichever is larger', () => {
	// wide: L 20 ms, P 50, Cp 4, N 2000, C 16: 20 x (13 + 125) = 2760 ms; 60 MB at 1 GB/s = 60 ms.
	const wide = idealBound(presets.wide!, {concurrency: 16, pageConcurrency: 4}, 1e9);
	assert.equal(wide.latencyMs, 2760);
	assert.equal(wide.bandwidthMs, 60);
	assert.equal(wide.idealMs, 2760);
	// seed at -c 50: 50 x (1 + 2) = 150 ms.
	assert.equal(idealBound(presets.seed!, {concurrency: 50, pageConcurrency: 4}, 1e9).idealMs, 150);
	// raw has no latency: 200 MB at 500 MB/s = 400 ms.
	const raw = idealBound(presets.raw!, {concurrency: 8, pageConcurrency: 4}, 5e8);
	assert.equal(raw.latencyMs, 0);
	assert.equal(raw.idealMs, 400);
	// Page bytes count as bytes; jitter counts at its mean.
	const bigpage = idealBound(presets.bigpage!, {concurrency: 16, pageConcurrency: 4}, 1e8);
	assert.equal(bigpage.bandwidthMs, ((30_000 * 2000 + 10 * 2_000_000) / 1e8) * 1000);
	assert.equal(idealBound({...presets.seed!, jitter: 20}, {concurrency: 80, pageConcurrency: 4}, 0).latencyMs, 60 * 2);
});

test('efficiency is ideal over measured', () => {
	assert.equal(efficiency(150, 300), 0.5);
	assert.equal(efficiency(100, 100), 1);
	assert.equal(efficiency(100, 0), 0);
});

test('the knee is the smallest concurrency within 95 % of the best throughput', () => {
	const curve = [1, 2, 4, 8, 16, 32, 64].map((concurrency, index) => ({concurrency, throughput: [50, 98, 190, 370, 700, 720, 712][index]!}));
	assert.deepEqual(findKnee(curve), {concurrency: 16, throughput: 700});
	assert.deepEqual(findKnee(curve, 0.5), {concurrency: 8, throughput: 370});
	// Order of the input does not matter; a flat curve knees at its first point.
	assert.equal(findKnee([...curve].reverse())?.concurrency, 16);
	assert.equal(
		findKnee([
			{concurrency: 4, throughput: 10},
			{concurrency: 2, throughput: 10},
		])?.concurrency,
		2,
	);
	assert.equal(findKnee([]), undefined);
	assert.deepEqual(spread([3, 1, 2]), {min: 1, max: 3});
});

test('sweep lists and presets are parsed, and bad ones named', () => {
	assert.deepEqual(parseCountList('concurrency', '8,1,2,2'), [1, 2, 8]);
	assert.throws(() => parseCountList('concurrency', '1,0'), /`concurrency`.*got `1,0`/);
	assert.throws(() => parseCountList('concurrency', '1,,2'), /comma-separated/);
	assert.throws(() => parseCountList('concurrency', 'x'), /got `x`/);
	assert.deepEqual(
		parsePresets('seed, wide').map(preset => preset.name),
		['seed', 'wide'],
	);
	assert.throws(() => parsePresets('seed,tiny'), /Unknown preset `tiny`/);
	assert.equal(scaledDown(presets.huge!, 50).pages, 40);
	assert.equal(scaledDown(presets.huge!, 50).perPage, 50);
});

test('nice ticks cover the maximum in round steps', () => {
	assert.deepEqual(niceTicks(9), [0, 2, 4, 6, 8, 10]);
	assert.deepEqual(niceTicks(730), [0, 200, 400, 600, 800]);
	assert.deepEqual(niceTicks(0), [0, 1]);
});

function point(concurrency: number, fields: Partial<PointResult>): PointResult {
	const summary = (value: number) => ({median: value, min: value, max: value});
	return {
		scenario: 'wide',
		concurrency,
		pageConcurrency: 4,
		parseWorkers: null,
		samples: [],
		elapsedMs: summary(1000),
		processMs: summary(1200),
		imagesPerSecond: summary(2000),
		megabytesPerSecond: 60,
		peakRssBytes: 100e6,
		serverPeakInFlight: null,
		ideal: {latencyMs: 900, bandwidthMs: 10, idealMs: 900},
		efficiency: 0.9,
		speedup: 13,
		complete: true,
		...fields,
	};
}

test('targets are checked at the target concurrency on the fastest series', () => {
	const checks = checkTargets(presets.wide!.targets, [
		point(1, {speedup: 1}),
		point(16, {pageConcurrency: 4, processMs: {median: 3000, min: 3000, max: 3000}}),
		point(16, {pageConcurrency: 8}),
	]);
	assert.deepEqual(
		checks.map(check => [check.what.split(' at ')[0], check.ok]),
		[
			['in-process wall / ideal', true],
			['whole-process wall', true],
			['speedup', true],
			['peak RSS', true],
		],
	);
	const slow = checkTargets(presets.wide!.targets, [point(16, {elapsedMs: {median: 2000, min: 2000, max: 2000}, speedup: null, peakRssBytes: 200e6})]);
	assert.deepEqual(
		slow.map(check => check.ok),
		[false, true, false, false],
	);
	assert.deepEqual(checkTargets(presets.wide!.targets, [point(8, {})]), []);
});
