import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createSecureServer, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session} from 'node:http2';
import type {AddressInfo} from 'node:net';
import {test, type TestContext} from 'node:test';
import {renderImage} from '../src/fixture-server/images.js';
import {scrape} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {tempDir} from './helpers/temp.js';

// Compiled to dist/test/: the test-only certificate stays in the source tree (see its README).
const tls = new URL('../../test/fixtures-tls/', import.meta.url);
const key = readFileSync(new URL('key.pem', tls));
const cert = readFileSync(new URL('cert.pem', tls));

/** A page of three images over TLS with a self-signed certificate, speaking HTTP/2 and HTTP/1.1; notes each request's version. */
async function startTlsGallery(t: TestContext): Promise<{url: string; versions: () => Array<[string, string]>}> {
	const seen: Array<[string, string]> = [];
	const sessions = new Set<ServerHttp2Session>();
	const server = createSecureServer({key, cert, allowHTTP1: true}, (request: Http2ServerRequest, response: Http2ServerResponse) => {
		seen.push([request.url, request.httpVersion]);
		const image = /^\/img\/(\d)\.jpg$/.exec(request.url);
		if (request.url === '/index.html') {
			response.writeHead(200, {'content-type': 'text/html'});
			response.end(`<ul>${[1, 2, 3].map(n => `<li><img src="/img/${n}.jpg"></li>`).join('')}</ul>`);
		} else if (image) {
			response.writeHead(200, {'content-type': 'image/jpeg'});
			response.end(renderImage('jpg', `${image[1]}.jpg`, 2000));
		} else {
			response.writeHead(404);
			response.end();
		}
	});
	server.on('session', session => {
		sessions.add(session);
		session.once('close', () => sessions.delete(session));
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	t.after(async () => {
		for (const session of sessions) {
			session.destroy();
		}

		await new Promise(resolve => {
			server.close(resolve);
		});
	});
	return {url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`, versions: () => [...seen]};
}

test('--http2 negotiates HTTP/2 with a server that offers it; without it, HTTP/1.1', async t => {
	const server = await startTlsGallery(t);
	const h2 = await runCli([`${server.url}index.html`, '-o', await tempDir(t), '-q', '--insecure', '--http2']);
	assert.equal(h2.code, 0, h2.stderr);
	const first = server.versions();
	assert.deepEqual(first.map(([url]) => url).sort(), ['/img/1.jpg', '/img/2.jpg', '/img/3.jpg', '/index.html', '/robots.txt']);
	assert.deepEqual([...new Set(first.map(([, version]) => version))], ['2.0']);

	const h1 = await scrape({urls: [`${server.url}index.html`], out: await tempDir(t), insecure: true});
	assert.equal(h1.downloaded, 3);
	assert.deepEqual(
		[
			...new Set(
				server
					.versions()
					.slice(first.length)
					.map(([, version]) => version),
			),
		],
		['1.1'],
	);
});

test('a self-signed certificate is refused unless --insecure', async t => {
	const server = await startTlsGallery(t);
	const report = await scrape({urls: [`${server.url}index.html`], download: false});
	assert.equal(report.pagesFailed, 1);
	assert.match(report.failures[0]!.message, /self[- ]signed|certificate/i);
	assert.deepEqual(server.versions(), [], 'no request got through the handshake');

	const insecure = await scrape({urls: [`${server.url}index.html`], download: false, insecure: true});
	assert.equal(insecure.pages, 1);
	assert.equal(insecure.pageResults[0]!.images, 3);
});
