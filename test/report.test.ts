import assert from 'node:assert/strict';
import {test} from 'node:test';
import {median, percentile} from '../src/report/stats.js';
import {formatBytes, formatMs} from '../src/report/format.js';

test('nearest-rank percentiles and the median', () => {
	const samples = Array.from({length: 100}, (_, index) => index + 1);
	assert.equal(percentile(samples, 50), 50);
	assert.equal(percentile(samples, 90), 90);
	assert.equal(percentile(samples, 99), 99);
	assert.equal(percentile(samples, 100), 100);
	assert.equal(percentile([7], 99), 7);
	assert.equal(percentile([], 50), 0);
	assert.equal(median([3, 1, 2]), 2);
	assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('byte and time formats', () => {
	assert.equal(formatBytes(999), '999 B');
	assert.equal(formatBytes(1500), '1.50 kB');
	assert.equal(formatBytes(25_300_000), '25.3 MB');
	assert.equal(formatMs(5.26), '5.3 ms');
	assert.equal(formatMs(250), '250 ms');
	assert.equal(formatMs(1234), '1.23 s');
});
