import assert from 'node:assert/strict';
import {test} from 'node:test';
import {UsageError} from '../src/errors.js';
import {expandPageUrls, fillPage, parsePageRange} from '../src/page-urls.js';

test('page ranges', () => {
	assert.deepEqual(parsePageRange('1-4'), [1, 2, 3, 4]);
	assert.deepEqual(parsePageRange('1,3,7-9'), [1, 3, 7, 8, 9]);
	assert.deepEqual(parsePageRange(' 2 , 2-3 '), [2, 3]);
	for (const bad of ['', '0', '0-3', '4-1', 'a', '1-', '-2', '1..3', '1-2000000']) {
		assert.throws(() => parsePageRange(bad), UsageError, bad);
	}
});

test('{_page} is empty on page 1 and _N after; {page} is the number', () => {
	const template = 'https://pic.example/4kdongman/index{_page}.html';
	assert.deepEqual(
		[1, 2, 4].map(page => fillPage(template, page)),
		['https://pic.example/4kdongman/index.html', 'https://pic.example/4kdongman/index_2.html', 'https://pic.example/4kdongman/index_4.html'],
	);
	assert.equal(fillPage('http://h/list?p={page}&again={page}', 3), 'http://h/list?p=3&again=3');
});

test('expansion keeps input order, needs --pages for templates and a template for --pages', () => {
	assert.deepEqual(expandPageUrls(['http://h/a.html', 'http://h/i{_page}.html'], [1, 2]), ['http://h/a.html', 'http://h/i.html', 'http://h/i_2.html']);
	assert.throws(() => expandPageUrls(['http://h/i{page}.html'], undefined), /--pages/);
	assert.throws(() => expandPageUrls(['http://h/i.html'], [1]), /placeholder/);
	assert.throws(() => expandPageUrls(['javascript:alert(1)'], undefined), /http or https/);
	assert.throws(() => expandPageUrls(['/relative.html'], undefined), /Invalid URL/);
});
