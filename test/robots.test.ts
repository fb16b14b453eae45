import assert from 'node:assert/strict';
import {test} from 'node:test';
import {scrape} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

function paths(server: {requests(): Array<{url: string}>}): string[] {
	return server.requests().map(request => request.url);
}

test('a disallowed page is not fetched; it fails with category robots and exit code 1, and the rest completes', async t => {
	const server = await gallery(t, {pages: 3, perPage: 2, size: 1000, recordRequests: true, robots: 'User-agent: *\nDisallow: /index_2.html\n'});
	const out = await tempDir(t);
	const {code, stdout} = await runCli([server.template, '--pages', '1-3', '-o', out, '--json', '-q']);
	assert.equal(code, 1);
	const report = JSON.parse(stdout) as {
		pages: number;
		pagesFailed: number;
		downloaded: number;
		failuresByCategory: Record<string, number>;
		failures: Array<{url: string; code: string; message: string}>;
	};
	assert.equal(report.pages, 2);
	assert.equal(report.downloaded, 4);
	assert.deepEqual(report.failuresByCategory, {robots: 1});
	assert.equal(report.failures[0]!.url, `${server.url}index_2.html`);
	assert.match(report.failures[0]!.message, /disallowed by .*robots\.txt/);
	assert.equal(paths(server).includes('/index_2.html'), false);
	assert.equal(paths(server).filter(path => path === '/robots.txt').length, 1, 'fetched once for the origin, though three pages asked at once');
});

test('--ignore-robots fetches everything and never asks for robots.txt', async t => {
	const server = await gallery(t, {pages: 2, perPage: 2, size: 1000, recordRequests: true, robots: 'User-agent: *\nDisallow: /\n'});
	const {code, stderr} = await runCli([server.template, '--pages', '1-2', '-o', await tempDir(t), '-q', '--ignore-robots']);
	assert.equal(code, 0, stderr);
	assert.equal(server.stats().image.requests, 4);
	assert.equal(paths(server).includes('/robots.txt'), false);
});

test('images are checked against robots.txt only with --robots strict', async t => {
	const server = await gallery(t, {pages: 1, perPage: 3, size: 1000, recordRequests: true, robots: 'User-agent: *\nDisallow: /uploads/\n'});
	const pagesOnly = await scrape({urls: [server.template], pages: '1', out: await tempDir(t)});
	assert.equal(pagesOnly.downloaded, 3);

	server.resetStats();
	const strict = await scrape({urls: [server.template], pages: '1', out: await tempDir(t), robots: 'strict'});
	assert.equal(strict.pages, 1);
	assert.equal(strict.downloaded, 0);
	assert.deepEqual(strict.failuresByCategory, {robots: 3});
	assert.equal(server.stats().image.requests, 0);
});

test('a missing robots.txt (404) allows everything', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000, recordRequests: true});
	const report = await scrape({urls: [server.template], pages: '1', out: await tempDir(t), robots: 'strict'});
	assert.equal(report.downloaded, 2);
	assert.equal(paths(server)[0], '/robots.txt');
});

test('a robots.txt answering 5xx disallows the whole site (RFC 9309), and says why', async t => {
	const server = await gallery(t, {pages: 2, perPage: 2, size: 1000, recordRequests: true, robots: {status: 503}});
	const report = await scrape({urls: [server.template], pages: '1-2', out: await tempDir(t)});
	assert.equal(report.pages, 0);
	assert.deepEqual(report.failuresByCategory, {robots: 2});
	assert.match(report.failures[0]!.message, /answered HTTP 503/);
	assert.deepEqual(paths(server), ['/robots.txt']);
});

test("groups match the User-Agent's product token", async t => {
	const robots = 'User-agent: imgscrape\nDisallow: /\n\nUser-agent: *\nAllow: /\n';
	const server = await gallery(t, {pages: 1, perPage: 1, size: 1000, robots});
	const ours = await scrape({urls: [server.template], pages: '1', download: false});
	assert.deepEqual(ours.failuresByCategory, {robots: 1});
	const other = await scrape({urls: [server.template], pages: '1', download: false, userAgent: 'otherbot/2.0 (+https://example.com)'});
	assert.equal(other.pages, 1);
});

test("a robots.txt that cannot be reached fails the page with the network's error, not a silent skip", async () => {
	const report = await scrape({urls: ['http://127.0.0.1:1/index.html'], download: false});
	assert.equal(report.pagesFailed, 1);
	assert.equal(report.failures[0]!.code, 'network');
	assert.match(report.failures[0]!.message, /robots\.txt unreachable/);
});
