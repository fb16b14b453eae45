import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defaults, resolveOptions} from '../src/index.js';

test('politeness and identity defaults: no extra caps, robots.txt for pages, no proxy, TLS verified, HTTP/1.1', () => {
	const options = resolveOptions({urls: ['http://h/']});
	assert.equal(options.perHost, Number.POSITIVE_INFINITY);
	assert.equal(options.rate, Number.POSITIVE_INFINITY);
	assert.equal(options.delay, 0);
	assert.equal(options.robots, 'pages');
	assert.deepEqual(options.headers, []);
	assert.equal(options.referer, undefined);
	assert.equal(options.proxy, undefined);
	assert.equal(options.insecure, false);
	assert.equal(options.http2, false);
	assert.equal(defaults.robots, 'pages');
});

test('headers come as lines or an object, names lower-cased', () => {
	assert.deepEqual(resolveOptions({urls: ['http://h/'], header: ['X-A: 1', 'Accept-Language: de']}).headers, [
		['x-a', '1'],
		['accept-language', 'de'],
	]);
	assert.deepEqual(resolveOptions({urls: ['http://h/'], header: 'X-A:1'}).headers, [['x-a', '1']]);
	assert.deepEqual(resolveOptions({urls: ['http://h/'], header: {'X-B': 'two words'}}).headers, [['x-b', 'two words']]);
	assert.equal(resolveOptions({urls: ['http://h/'], referer: false}).referer, false);
});

test('politeness and identity validation names the option and the value', () => {
	const rows: Array<[Record<string, unknown>, RegExp]> = [
		[{perHost: 1.5}, /`perHost`.*`1\.5`/],
		[{rate: -1}, /`rate` to be a number above 0, got `-1`/],
		[{rate: Number.POSITIVE_INFINITY}, /`rate`/],
		[{delay: '10'}, /`delay`.*`10` \(string\)/],
		[{robots: 'yes'}, /`robots` to be one of pages, strict, ignore/],
		[{header: ['X-A: 1', 42]}, /`header`.*`42` \(number\)/],
		[{header: 'X-A: a\r\nb'}, /`header`/],
		[{referer: 'relative/path'}, /`referer`/],
		[{referer: true}, /`referer`/],
		[{cookie: 'a=1; =2'}, /`cookie`.*`=2`/],
		[{cookies: ''}, /`cookies`/],
		[{proxy: 'socks9://p'}, /`proxy`/],
		[{insecure: 'no'}, /`insecure` to be a boolean/],
		[{http2: 1}, /`http2` to be a boolean/],
	];
	for (const [patch, message] of rows) {
		assert.throws(() => resolveOptions({urls: ['http://h/'], ...patch} as never), message);
	}
});
