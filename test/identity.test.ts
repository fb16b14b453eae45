import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import type {RecordedRequest} from '../src/fixture-server/index.js';
import {createCookieJar, parseNetscapeCookies} from '../src/http/cookies.js';
import {refererFor} from '../src/http/identity.js';
import {defaults, scrape} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

type Kind = 'robots' | 'page' | 'image';

function kindOf(request: RecordedRequest): Kind {
	if (request.url === '/robots.txt') {
		return 'robots';
	}

	return request.url.startsWith('/uploads/') ? 'image' : 'page';
}

/** One header as the server saw it on each request, by kind. */
function seen(requests: RecordedRequest[], name: string): Record<Kind, Array<string | undefined>> {
	const result: Record<Kind, Array<string | undefined>> = {robots: [], page: [], image: []};
	for (const request of requests) {
		const value = request.headers[name];
		result[kindOf(request)].push(Array.isArray(value) ? value.join(', ') : value);
	}

	return result;
}

function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}

test('the default User-Agent goes on every request; -H adds headers everywhere and wins over the computed ones', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000, recordRequests: true});
	const first = await scrape({urls: [server.template], pages: '1', out: await tempDir(t)});
	assert.equal(first.downloaded, 2);
	assert.deepEqual(unique(server.requests().map(request => request.headers['user-agent'])), [defaults.userAgent]);
	assert.match(defaults.userAgent, /^imgscrape\/\d+\.\d+\.\d+ \(\+https:\/\/\S+\)$/);

	server.resetStats();
	const {code, stderr} = await runCli([
		server.template,
		'--pages',
		'1',
		'-o',
		await tempDir(t),
		'-q',
		'-H',
		'X-Token: abc 123',
		'-H',
		'User-Agent: MyBrowser/1.0',
		'-H',
		'Referer:',
	]);
	assert.equal(code, 0, stderr);
	const requests = server.requests();
	assert.equal(requests.length, 4);
	assert.deepEqual(unique(requests.map(request => request.headers['x-token'])), ['abc 123']);
	assert.deepEqual(unique(requests.map(request => request.headers['user-agent'])), ['MyBrowser/1.0']);
	assert.deepEqual(unique(requests.map(request => request.headers.referer)), [undefined], 'an empty -H value removes the header');
});

test('images carry the page they were found on as Referer, pages none; --referer sets one for all; --no-referer drops it', async t => {
	const server = await gallery(t, {pages: 2, perPage: 2, size: 1000, recordRequests: true});
	const run = async (...extra: string[]) => {
		server.resetStats();
		const {code, stderr} = await runCli([server.template, '--pages', '1-2', '-o', await tempDir(t), '-q', ...extra]);
		assert.equal(code, 0, stderr);
		return seen(server.requests(), 'referer');
	};

	const byDefault = await run();
	assert.deepEqual(unique(byDefault.page), [undefined]);
	assert.deepEqual(unique(byDefault.robots), [undefined]);
	const imagesByPage = server
		.requests()
		.filter(request => kindOf(request) === 'image')
		.map(request => [request.url.slice(-9, -7), request.headers.referer]);
	assert.deepEqual(imagesByPage.sort(), [
		['p1', `${server.url}index.html`],
		['p1', `${server.url}index.html`],
		['p2', `${server.url}index_2.html`],
		['p2', `${server.url}index_2.html`],
	]);

	const fixed = await run('--referer', 'https://gallery.example/');
	assert.deepEqual(unique([...fixed.page, ...fixed.image, ...fixed.robots]), ['https://gallery.example/']);

	const none = await run('--no-referer');
	assert.deepEqual(unique([...none.page, ...none.image, ...none.robots]), [undefined]);
});

test('the page referer leaves out the fragment and credentials, and is not sent from https to http', () => {
	assert.equal(refererFor('https://user:pw@a.example/p?q=1#top', new URL('https://cdn.example/i.jpg')), 'https://a.example/p?q=1');
	assert.equal(refererFor('https://a.example/p', new URL('http://cdn.example/i.jpg')), undefined);
	assert.equal(refererFor('http://a.example/p', new URL('https://cdn.example/i.jpg')), 'http://a.example/p');
});

test("--cookie goes to the start pages' host, pages and images alike", async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000, recordRequests: true});
	const {code, stderr} = await runCli([server.template, '--pages', '1', '-o', await tempDir(t), '-q', '--cookie', 'session=s3cr3t; theme=dark']);
	assert.equal(code, 0, stderr);
	const cookies = seen(server.requests(), 'cookie');
	assert.deepEqual(unique([...cookies.page, ...cookies.image]), ['session=s3cr3t; theme=dark']);
});

test('--cookie is host-only: another host never sees it', async () => {
	const jar = await createCookieJar({cookie: 'a=1', startUrls: ['http://gallery.example/index.html']});
	assert.equal(await jar.getCookieString('http://gallery.example/uploads/x.jpg'), 'a=1');
	assert.equal(await jar.getCookieString('http://cdn.gallery.example/x.jpg'), '');
	assert.equal(await jar.getCookieString('http://other.example/'), '');
});

test('a cookies.txt file: cookies go only where their domain and path match, expired ones nowhere', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000, recordRequests: true});
	const file = path.join(await tempDir(t), 'cookies.txt');
	await writeFile(
		file,
		[
			'# Netscape HTTP Cookie File',
			'',
			'127.0.0.1\tFALSE\t/\tFALSE\t0\tsite\tall',
			'127.0.0.1\tFALSE\t/uploads/\tFALSE\t4102444800\timg\tonly-images',
			'#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\thttponly\tyes',
			'127.0.0.1\tFALSE\t/\tFALSE\t1000000000\told\texpired',
			'.other.example\tTRUE\t/\tFALSE\t0\tother\tnever',
		].join('\n'),
	);
	const {code, stderr} = await runCli([server.template, '--pages', '1', '-o', await tempDir(t), '-q', '--cookies', file]);
	assert.equal(code, 0, stderr);
	const cookies = seen(server.requests(), 'cookie');
	assert.deepEqual(unique(cookies.page), ['site=all; httponly=yes']);
	assert.deepEqual(unique(cookies.image), ['img=only-images; site=all; httponly=yes']);
});

test('cookies.txt flags: include-subdomains and secure', async t => {
	const file = path.join(await tempDir(t), 'cookies.txt');
	await writeFile(file, '.gallery.example\tTRUE\t/\tTRUE\t0\tsecure\tyes\r\ngallery.example\tFALSE\t/\tFALSE\t0\thost\tonly\r\n');
	const jar = await createCookieJar({cookies: file, startUrls: []});
	assert.equal(await jar.getCookieString('https://cdn.gallery.example/a.jpg'), 'secure=yes');
	assert.equal(await jar.getCookieString('http://cdn.gallery.example/a.jpg'), '', 'secure cookies stay off plain http (loopback excepted, as in browsers)');
	assert.equal(await jar.getCookieString('http://gallery.example/'), 'host=only');
});

test('a malformed cookies.txt or --cookie is a usage error naming where', async t => {
	const file = path.join(await tempDir(t), 'cookies.txt');
	await writeFile(file, '# comment\n127.0.0.1\tFALSE\t/\n');
	const bad = await runCli(['http://127.0.0.1:1/', '-q', '--cookies', file]);
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /cookies\.txt line 2: expected 7 tab-separated fields/);

	const missing = await runCli(['http://127.0.0.1:1/', '-q', '--cookies', path.join(path.dirname(file), 'nope.txt')]);
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /Cannot read the cookies file/);

	const pair = await runCli(['http://127.0.0.1:1/', '--cookie', 'novalue']);
	assert.equal(pair.code, 2);
	assert.match(pair.stderr, /--cookie: expected name=value pairs.*got `novalue`$/m);

	assert.throws(() => parseNetscapeCookies('a.example\tMAYBE\t/\tFALSE\t0\tn\tv', 'f'), /f line 1: expected TRUE or FALSE/);
	assert.deepEqual(parseNetscapeCookies('a.example\tTRUE\t/\tFALSE\t0\tempty\t', 'f')[0]?.value, '');
});

test('Set-Cookie from a response, a redirect included, is sent on later requests of the run', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000, recordRequests: true});
	const login = `${server.url}set-cookie?c=${encodeURIComponent('session=abc; Path=/')}&c=${encodeURIComponent('thumbs=1; Path=/uploads/')}&to=/index.html`;
	const report = await scrape({urls: [login], out: await tempDir(t)});
	assert.equal(report.downloaded, 2);
	const requests = server.requests().filter(request => request.url !== '/robots.txt');
	assert.deepEqual(
		requests.map(request => [request.url.replace(/\?.*/, ''), request.headers.cookie]),
		[
			['/set-cookie', undefined],
			['/index.html', 'session=abc'],
			// The longer path first, as RFC 6265 §5.4 orders them.
			...requests.filter(request => kindOf(request) === 'image').map(request => [request.url, 'thumbs=1; session=abc']),
		],
	);
	assert.equal(requests.filter(request => kindOf(request) === 'image').length, 2);
});

test('-H needs Name: value; framing headers are refused', async () => {
	for (const [value, message] of [
		['NoColon', /-H: .*'Name: value'.*`NoColon`$/m],
		['Bad Name: x', /-H: .*`Bad Name: x`/],
		['Connection: close', /`Connection` header cannot be set/],
	] as const) {
		const {code, stderr} = await runCli(['http://127.0.0.1:1/', '-H', value]);
		assert.equal(code, 2, value);
		assert.match(stderr, message);
	}

	const referer = await runCli(['http://127.0.0.1:1/', '--referer', 'not a url']);
	assert.equal(referer.code, 2);
	assert.match(referer.stderr, /--referer.*http or https URL/);
});
