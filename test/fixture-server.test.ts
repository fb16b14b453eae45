import assert from 'node:assert/strict';
import {once} from 'node:events';
import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {Agent, request as httpRequest} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {crc32} from 'node:zlib';
import {type FixtureServer, type GalleryOptions, startFixtureServer} from '../src/fixture-server/index.js';

/** Starts a server for one test and closes it when the test ends. */
async function serve(t: {after(fn: () => Promise<void>): void}, options?: GalleryOptions): Promise<FixtureServer> {
	const server = await startFixtureServer(options);
	t.after(() => server.close());
	return server;
}

/** A GET with a raw, unnormalised path, as `fetch` would never send it. */
async function rawGet(server: FixtureServer, path: string, agent?: Agent): Promise<{status: number; headers: Record<string, unknown>; body: Buffer}> {
	const request = httpRequest({host: '127.0.0.1', port: server.port, path, agent: agent ?? false});
	request.end();
	const [response] = (await once(request, 'response')) as [import('node:http').IncomingMessage];
	const chunks: Buffer[] = [];
	for await (const chunk of response) {
		chunks.push(chunk as Buffer);
	}
	return {status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks)};
}

async function fetchBytes(url: string): Promise<{response: Response; body: Buffer}> {
	const response = await fetch(url);
	return {response, body: Buffer.from(await response.arrayBuffer())};
}

function imgSources(html: string): string[] {
	return [...html.matchAll(/<img\b[^>]*\ssrc="([^"]*)"/g)].map(match => match[1] ?? '');
}

/** Walks a JPEG's marker segments up to SOS and checks the file closes with EOI. */
function assertJpeg(bytes: Buffer): void {
	assert.equal(bytes.readUInt16BE(0), 0xffd8, 'SOI');
	assert.equal(bytes.readUInt16BE(bytes.length - 2), 0xffd9, 'EOI');
	const seen: number[] = [];
	let offset = 2;
	for (;;) {
		assert.equal(bytes[offset], 0xff, `marker at ${offset}`);
		const marker = bytes[offset + 1] ?? 0;
		const length = bytes.readUInt16BE(offset + 2);
		seen.push(marker);
		offset += 2 + length;
		assert.ok(offset < bytes.length, 'segment inside the file');
		if (marker === 0xda) {
			break;
		}
	}
	assert.deepEqual(new Set(seen), new Set([0xe0, 0xfe, 0xdb, 0xc0, 0xc4, 0xda]));
	assert.equal(seen[0], 0xe0, 'APP0 first');
	assert.equal(bytes.length - offset, 3, 'one byte of scan, then EOI');
}

/** Walks a PNG's chunks, checking every CRC, and returns their types. */
function assertPng(bytes: Buffer): string[] {
	assert.deepEqual(bytes.subarray(0, 8), Buffer.from('89504e470d0a1a0a', 'hex'));
	const types: string[] = [];
	let offset = 8;
	while (offset < bytes.length) {
		const length = bytes.readUInt32BE(offset);
		const type = bytes.toString('latin1', offset + 4, offset + 8);
		const crc = bytes.readUInt32BE(offset + 8 + length);
		assert.equal(crc32(bytes.subarray(offset + 4, offset + 8 + length)), crc, `CRC of ${type}`);
		types.push(type);
		offset += 12 + length;
	}
	assert.equal(offset, bytes.length);
	assert.equal(types[0], 'IHDR');
	assert.equal(types.at(-1), 'IEND');
	assert.deepEqual(bytes.subarray(-12), Buffer.from('0000000049454e44ae426082', 'hex'));
	return types;
}

describe('listing pages', () => {
	test('each page holds exactly K images, in imageUrls() order, with a rel=next pager', async t => {
		const server = await serve(t, {pages: 3, perPage: 7});
		assert.deepEqual(server.pageUrls(), [`${server.url}index.html`, `${server.url}index_2.html`, `${server.url}index_3.html`]);
		assert.equal(server.template, `${server.url}index{_page}.html`);
		const all = server.imageUrls();
		assert.equal(all.length, 21);
		assert.equal(new Set(all).size, 21);
		for (const [position, pageUrl] of server.pageUrls().entries()) {
			const response = await fetch(pageUrl);
			assert.equal(response.status, 200);
			assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
			const html = await response.text();
			assert.match(html, /^<!doctype html><html><head><meta charset="utf-8"><title>/);
			assert.equal(html.match(/<img\b/g)?.length, 7);
			const sources = imgSources(html).map(src => new URL(src, pageUrl).href);
			assert.deepEqual(sources, all.slice(position * 7, position * 7 + 7));
			assert.equal(html.includes('rel="next"'), position < 2);
			assert.match(html, /<div class="slist"><ul class="clearfix"><li><a href="\/tupian\/\d+\.html" target="_blank"><img src=/);
		}
		const page2 = await (await fetch(server.pageUrls()[1] ?? '')).text();
		assert.match(page2, /<a class="next" rel="next" href="\/index_3\.html">/);
		assert.ok(all[7]?.endsWith('/uploads/allimg/p2-01.jpg'));
	});

	test('a page past the last one, and unknown paths, are 404', async t => {
		const server = await serve(t, {pages: 2});
		for (const path of [
			'index_3.html',
			'index_0.html',
			'index_1x.html',
			'nothing',
			'robots.txt',
			'uploads/allimg/p3-01.jpg',
			'uploads/allimg/p1-1.jpg',
			'uploads/allimg/p1-01.png',
			'tupian/41.html',
		]) {
			const response = await fetch(server.url + path);
			assert.equal(response.status, 404, path);
			assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
			await response.arrayBuffer();
		}
	});

	test('pageBytes pads a page to about that size without adding images', async t => {
		const server = await serve(t, {pages: 2, perPage: 5, pageBytes: 100_000});
		const {body} = await fetchBytes(server.pageUrls()[0] ?? '');
		assert.ok(Math.abs(body.length - 100_000) < 1_000, `got ${body.length} bytes`);
		const html = body.toString('utf8');
		assert.equal(html.match(/<img\b/gi)?.length, 5);
		assert.doesNotMatch(html.replace(/<img\b[^>]*>/g, ''), /\.(?:jpe?g|png|gif|webp)\b/i);
		assert.ok(html.endsWith('</body></html>'));
	});

	test('imageCache serves the same bytes from memory, within its budget', async t => {
		// A budget of two 3 kB images: the third is rendered for every request and still identical.
		const server = await serve(t, {pages: 1, perPage: 3, size: 3000, format: 'mixed', imageCache: 6000});
		for (let round = 0; round < 2; round++) {
			for (const url of server.imageUrls()) {
				const {response, body} = await fetchBytes(url);
				assert.equal(response.status, 200);
				assert.deepEqual(body, server.imageBytes(url), `${url} round ${round + 1}`);
			}
		}
		assert.equal(server.stats().image.requests, 6);
	});

	test('a detail page shows the image in .photo-pic', async t => {
		const server = await serve(t, {pages: 2, perPage: 3});
		const response = await fetch(`${server.url}tupian/5.html`);
		assert.equal(response.status, 200);
		const html = await response.text();
		assert.match(html, /<div class="photo-pic"><a href="" id="img"><img src="\/uploads\/allimg\/p2-02\.jpg"/);
		assert.deepEqual(imgSources(html), ['/uploads/allimg/p2-02.jpg']);
	});
});

describe('images', () => {
	test('JPEG images are exact-size, valid and the bytes imageBytes() predicts', async t => {
		const server = await serve(t, {pages: 2, perPage: 3, size: 5_000});
		for (const url of server.imageUrls()) {
			const {response, body} = await fetchBytes(url);
			assert.equal(response.status, 200);
			assert.equal(response.headers.get('content-type'), 'image/jpeg');
			assert.equal(response.headers.get('content-length'), '5000');
			assert.equal(body.length, 5_000);
			assert.deepEqual(body, server.imageBytes(new URL(url).pathname));
			assertJpeg(body);
		}
	});

	test('PNG images are exact-size with valid chunks and a private ancillary padding chunk', async t => {
		const server = await serve(t, {pages: 1, perPage: 2, size: 3_000, format: 'png'});
		for (const url of server.imageUrls()) {
			const {response, body} = await fetchBytes(url);
			assert.equal(response.headers.get('content-type'), 'image/png');
			assert.equal(body.length, 3_000);
			assert.deepEqual(assertPng(body), ['IHDR', 'prNd', 'IDAT', 'IEND']);
		}
	});

	test('mixed galleries alternate jpg and png', async t => {
		const server = await serve(t, {pages: 2, perPage: 3, format: 'mixed', size: 1_000});
		const extensions = server.imageUrls().map(url => url.slice(-3));
		assert.deepEqual(extensions, ['jpg', 'png', 'jpg', 'png', 'jpg', 'png']);
		const png = await fetchBytes(server.imageUrls()[1] ?? '');
		assert.equal(png.response.headers.get('content-type'), 'image/png');
		assertPng(png.body);
	});

	test('bytes are deterministic across servers and distinct across images', async t => {
		const one = await serve(t, {pages: 2, perPage: 4, size: 2_000});
		const two = await serve(t, {pages: 2, perPage: 4, size: 2_000});
		const paths = one.imageUrls().map(url => new URL(url).pathname);
		const hashes = new Set<string>();
		for (const path of paths) {
			const [a, b] = await Promise.all([fetchBytes(one.url + path.slice(1)), fetchBytes(two.url + path.slice(1))]);
			assert.deepEqual(a.body, b.body);
			hashes.add(a.body.toString('base64'));
		}
		assert.equal(hashes.size, paths.length);
	});

	test('the smallest sizes still make valid files, and a too-small size is refused', async t => {
		for (const format of ['jpg', 'png'] as const) {
			await assert.rejects(startFixtureServer({format, size: 50}), /Expected `size` to be a whole number from \d+ and up, got `50`/);
		}
		const jpg = await serve(t, {pages: 1, perPage: 1, size: 183});
		assertJpeg(jpg.imageBytes('/uploads/allimg/p1-01.jpg'));
		for (const size of [184, 185, 186, 187, 65_696, 65_697, 65_537 * 2 + 159]) {
			const server = await startFixtureServer({pages: 1, perPage: 1, size});
			const bytes = server.imageBytes(server.imageUrls()[0] ?? '');
			await server.close();
			assert.equal(bytes.length, size);
			assertJpeg(bytes);
		}
		const png = await serve(t, {pages: 1, perPage: 1, size: 200_000, format: 'png'});
		assert.equal(assertPng(png.imageBytes('/uploads/allimg/p1-01.png')).filter(type => type === 'prNd').length, 4);
	});

	test('a large image is streamed with its exact length and bytes', async t => {
		const server = await serve(t, {pages: 1, perPage: 1, size: 3_000_000 + 7});
		const url = server.imageUrls()[0] ?? '';
		const {response, body} = await fetchBytes(url);
		assert.equal(response.headers.get('content-length'), '3000007');
		assert.equal(body.length, 3_000_007);
		assert.deepEqual(body, server.imageBytes(url));
		assertJpeg(body);
		assert.equal(server.stats().bytesSent, 3_000_007);
	});

	test('imageBytes() refuses paths the gallery does not have', async t => {
		const server = await serve(t, {pages: 1, perPage: 2});
		assert.throws(() => server.imageBytes('/uploads/allimg/p1-03.jpg'), RangeError);
		assert.throws(() => server.imageBytes('/index.html'), RangeError);
	});
});

describe('static files', () => {
	let root: string;
	let staticDir: string;

	before(async () => {
		root = await mkdtemp(join(tmpdir(), 'imgscrape-fixture-'));
		staticDir = join(root, 'site');
		await mkdir(join(staticDir, 'sub'), {recursive: true});
		await writeFile(join(staticDir, 'sub', 'page.html'), '<!doctype html><meta charset="gbk"><p>hi</p>');
		await writeFile(join(staticDir, 'sub', 'a.png'), Buffer.from('89504e47', 'hex'));
		await writeFile(join(staticDir, 'data.json'), '{"a":1}');
		await writeFile(join(staticDir, 'style.css'), 'p{}');
		await writeFile(join(staticDir, 'notes.txt'), 'notes');
		await writeFile(join(root, 'secret.txt'), 'secret');
		await symlink(join(root, 'secret.txt'), join(staticDir, 'link.txt'));
	});
	after(() => rm(root, {recursive: true, force: true}));

	test('serves files with content types by extension, html without a charset', async t => {
		const server = await serve(t, {staticDir});
		const cases: [string, string, string][] = [
			['sub/page.html', 'text/html', '<!doctype html><meta charset="gbk"><p>hi</p>'],
			['data.json', 'application/json', '{"a":1}'],
			['style.css', 'text/css', 'p{}'],
			['notes.txt', 'text/plain', 'notes'],
		];
		for (const [path, type, body] of cases) {
			const response = await fetch(`${server.url}static/${path}`);
			assert.equal(response.status, 200, path);
			assert.equal(response.headers.get('content-type'), type);
			assert.equal(await response.text(), body);
		}
		const image = await fetchBytes(`${server.url}static/sub/a.png`);
		assert.equal(image.response.headers.get('content-type'), 'image/png');
		assert.deepEqual(image.body, Buffer.from('89504e47', 'hex'));
		const stats = server.stats();
		assert.equal(stats.page.requests, 1);
		assert.equal(stats.image.requests, 1);
		assert.equal(stats.other.requests, 3);
	});

	test('directories, missing files and paths leaving the folder are 404', async t => {
		const server = await serve(t, {staticDir});
		const paths = [
			'/static/sub',
			'/static/sub/',
			'/static/',
			'/static/missing.html',
			'/static/../secret.txt',
			'/static/../../package.json',
			'/static/%2e%2e/secret.txt',
			'/static/%2E%2E/%2e%2e/package.json',
			'/static/..%2fsecret.txt',
			'/static/sub/..%2f..%2fsecret.txt',
			'/static/..%5csecret.txt',
			'/static/link.txt',
			'/static/%zz',
			'/static/notes.txt%00.html',
		];
		for (const path of paths) {
			const {status, body} = await rawGet(server, path);
			assert.equal(status, 404, path);
			assert.doesNotMatch(body.toString(), /secret|"name"/, path);
		}
		assert.equal((await rawGet(server, '/static/sub/../notes.txt')).status, 200);
	});
});

describe('counters and log', () => {
	test('N parallel requests held by latency are all in flight at once', async t => {
		const server = await serve(t, {pages: 1, perPage: 16, size: 1_000, latency: 500});
		const agent = new Agent({keepAlive: true, maxSockets: Infinity});
		t.after(() => agent.destroy());
		const urls = server.imageUrls();
		const results = await Promise.all(urls.map(url => rawGet(server, new URL(url).pathname, agent)));
		assert.ok(results.every(result => result.status === 200 && result.body.length === 1_000));
		const stats = server.stats();
		assert.equal(stats.requests, 16);
		assert.equal(stats.peakInFlight, 16);
		assert.equal(stats.inFlight, 0);
		assert.deepEqual(stats.image, {requests: 16, inFlight: 0, peakInFlight: 16});
		assert.deepEqual(stats.page, {requests: 0, inFlight: 0, peakInFlight: 0});
		assert.equal(stats.bytesSent, 16_000);
	});

	test('a thousand concurrent connections from one client', async () => {
		// Held by a latency that never elapses, so the count cannot depend on how fast they arrive.
		const server = await startFixtureServer({pages: 1, perPage: 1_000, size: 500, latency: 600_000});
		const agent = new Agent({keepAlive: true, maxSockets: Infinity});
		const results = Promise.allSettled(server.imageUrls().map(url => rawGet(server, new URL(url).pathname, agent)));
		while (server.stats().inFlight < 1_000) {
			await new Promise(resolve => setTimeout(resolve, 10));
		}
		assert.deepEqual(server.stats().image, {requests: 1_000, inFlight: 1_000, peakInFlight: 1_000});
		await server.close();
		assert.equal((await results).filter(result => result.status === 'rejected').length, 1_000);
		assert.equal(server.stats().inFlight, 0);
		agent.destroy();
	});

	test('sequential requests keep a peak of one; pageLatency and jitter only delay', async t => {
		const server = await serve(t, {pages: 3, perPage: 2, pageLatency: {2: 20}, jitter: 5, log: true});
		for (const url of server.pageUrls()) {
			assert.equal((await fetch(url)).status, 200);
		}
		await fetch(`${server.url}robots.txt`);
		const stats = server.stats();
		assert.equal(stats.peakInFlight, 1);
		assert.deepEqual(stats.page, {requests: 3, inFlight: 0, peakInFlight: 1});
		assert.deepEqual(stats.other, {requests: 1, inFlight: 0, peakInFlight: 1});
		assert.deepEqual(
			server.log().map(({seq, path, event, kind}) => [seq, kind, path, event]),
			[
				[0, 'page', '/index.html', 'request'],
				[1, 'page', '/index.html', 'response-end'],
				[2, 'page', '/index_2.html', 'request'],
				[3, 'page', '/index_2.html', 'response-end'],
				[4, 'page', '/index_3.html', 'request'],
				[5, 'page', '/index_3.html', 'response-end'],
				[6, 'other', '/robots.txt', 'request'],
				[7, 'other', '/robots.txt', 'response-end'],
			],
		);
	});

	test('resetStats() zeroes counts, bytes and the log', async t => {
		const server = await serve(t, {pages: 1, perPage: 2, size: 1_000, log: true});
		await fetchBytes(server.imageUrls()[0] ?? '');
		assert.equal(server.stats().requests, 1);
		server.resetStats();
		assert.deepEqual(server.stats(), {
			requests: 0,
			inFlight: 0,
			peakInFlight: 0,
			page: {requests: 0, inFlight: 0, peakInFlight: 0},
			image: {requests: 0, inFlight: 0, peakInFlight: 0},
			other: {requests: 0, inFlight: 0, peakInFlight: 0},
			bytesSent: 0,
			refused: 0,
			closedEarly: 0,
		});
		assert.deepEqual(server.log(), []);
		await fetchBytes(server.imageUrls()[1] ?? '');
		assert.equal(server.stats().image.requests, 1);
		assert.equal(server.log()[0]?.seq, 0);
	});

	test('the log is empty unless asked for', async t => {
		const server = await serve(t);
		await fetchBytes(server.pageUrls()[0] ?? '');
		assert.deepEqual(server.log(), []);
	});
});

describe('closing', () => {
	test('close() resolves with idle keep-alive sockets open', async () => {
		const server = await startFixtureServer({pages: 1, perPage: 2, size: 1_000});
		const agent = new Agent({keepAlive: true});
		await rawGet(server, '/index.html', agent);
		await rawGet(server, '/uploads/allimg/p1-01.jpg', agent);
		assert.equal(Object.values(agent.freeSockets).flat().length, 1, 'an idle socket stays open');
		await server.close();
		await server.close();
		agent.destroy();
	});

	test('close() resolves while responses wait on latency, and counts them ended', async () => {
		const server = await startFixtureServer({latency: 60_000});
		const pending = rawGet(server, '/index.html').catch((error: unknown) => error);
		while (server.stats().inFlight === 0) {
			await new Promise(resolve => setImmediate(resolve));
		}
		await server.close();
		assert.ok((await pending) instanceof Error);
		assert.equal(server.stats().inFlight, 0);
	});

	test('close() stops a large image mid-stream', async () => {
		const server = await startFixtureServer({pages: 1, perPage: 1, size: 50_000_000});
		const request = httpRequest({host: '127.0.0.1', port: server.port, path: new URL(server.imageUrls()[0] ?? '').pathname, agent: false});
		request.end();
		const [response] = (await once(request, 'response')) as [import('node:http').IncomingMessage];
		// Paused, so the server fills the socket and waits for 'drain' when close() comes.
		response.pause();
		await server.close();
		assert.equal(server.stats().inFlight, 0);
		const ended = once(response, 'end').then(
			() => 'complete',
			(error: NodeJS.ErrnoException) => error.code,
		);
		response.resume();
		assert.equal(await ended, 'ECONNRESET');
		assert.ok(server.stats().bytesSent < 50_000_000);
	});
});
