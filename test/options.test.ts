import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {defaults, resolveOptions} from '../src/index.js';

test('defaults are applied once, from one table', () => {
	const options = resolveOptions({urls: ['http://h/']});
	assert.equal(options.concurrency, defaults.concurrency);
	assert.equal(options.pageConcurrency, defaults.pageConcurrency);
	assert.equal(options.out, path.resolve(defaults.out));
	assert.equal(options.extract.selector, 'img');
	assert.equal(options.extract.srcset, 'largest');
	assert.equal(options.download, true);
	assert.match(options.userAgent, /^imgscrape\/\d+\.\d+\.\d+ /);
});

test('validation names the option and the value received', () => {
	const rows: Array<[Record<string, unknown>, RegExp]> = [
		[{concurrency: 0}, /Expected `concurrency` to be a whole number from 1 and up, got `0` \(number\)/],
		[{concurrency: 2.5}, /`concurrency`.*`2\.5`/],
		[{pageConcurrency: '4'}, /`pageConcurrency`.*`4` \(string\)/],
		[{timeout: -1}, /`timeout`/],
		[{selector: ' '}, /`selector`/],
		[{srcset: 'biggest'}, /`srcset` to be one of largest, all, src/],
		[{download: 'yes'}, /`download` to be a boolean/],
		[{pages: [0]}, /`pages`/],
		[{urls: []}, /at least one page URL/],
		[{signal: {}}, /`signal`/],
	];
	for (const [patch, message] of rows) {
		assert.throws(() => resolveOptions({urls: ['http://h/'], ...patch} as never), message);
	}
});
