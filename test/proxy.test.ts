import assert from 'node:assert/strict';
import {createServer, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {test, type TestContext} from 'node:test';
import {createProxy} from 'proxy';
import {createDispatcher, environmentProxy} from '../src/http/dispatcher.js';
import {scrape} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

/** A real HTTP proxy (the `proxy` package) on loopback, noting each CONNECT tunnel it is asked for. */
async function startProxy(t: TestContext, credentials?: string): Promise<{url: string; tunnels: string[]}> {
	const server = createProxy(createServer());
	const tunnels: string[] = [];
	server.prependListener('connect', (request: IncomingMessage) => {
		tunnels.push(request.url ?? '');
	});
	if (credentials !== undefined) {
		const expected = `Basic ${Buffer.from(credentials).toString('base64')}`;
		server.authenticate = request => request.headers['proxy-authorization'] === expected;
	}

	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	t.after(async () => {
		server.closeAllConnections();
		await new Promise(resolve => {
			server.close(resolve);
		});
	});
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels};
}

/** Set environment variables for the length of `body`, then put them back. */
async function withEnv<T>(values: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
	const saved = Object.fromEntries(Object.keys(values).map(name => [name, process.env[name]]));
	const apply = (entries: Record<string, string | undefined>) => {
		for (const [name, value] of Object.entries(entries)) {
			if (value === undefined) {
				delete process.env[name];
			} else {
				process.env[name] = value;
			}
		}
	};

	apply(values);
	try {
		return await body();
	} finally {
		apply(saved);
	}
}

const noProxyEnv = {http_proxy: undefined, HTTP_PROXY: undefined, https_proxy: undefined, HTTPS_PROXY: undefined, no_proxy: undefined, NO_PROXY: undefined};

test('--proxy sends every request through the proxy, loopback included', async t => {
	const server = await gallery(t, {pages: 2, perPage: 3, size: 1000});
	const proxy = await startProxy(t);
	const {code, stderr} = await runCli([server.template, '--pages', '1-2', '-o', await tempDir(t), '-q', '--proxy', proxy.url]);
	assert.equal(code, 0, stderr);
	assert.equal(server.stats().image.requests, 6);
	assert.ok(proxy.tunnels.length > 0);
	assert.deepEqual([...new Set(proxy.tunnels)], [`127.0.0.1:${server.port}`]);
});

test('a proxy that wants credentials refuses the run without them and carries it with them', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const proxy = await startProxy(t, 'scraper:s3cret');
	const refused = await scrape({urls: [server.template], pages: '1', out: await tempDir(t), proxy: proxy.url});
	assert.equal(refused.pagesFailed, 1);
	assert.equal(refused.failures[0]!.code, 'network');
	assert.match(refused.failures[0]!.message, /407/);
	assert.equal(server.stats().requests, 0, 'nothing reached the server around the proxy');

	const withCredentials = new URL(proxy.url);
	withCredentials.username = 'scraper';
	withCredentials.password = 's3cret';
	const report = await scrape({urls: [server.template], pages: '1', out: await tempDir(t), proxy: withCredentials.href});
	assert.equal(report.downloaded, 2);
	assert.equal(server.stats().image.requests, 2);
});

test('HTTP_PROXY from the environment is used for other hosts, never for loopback', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	// The proxy refuses every tunnel, so nothing needs to resolve the made-up host; it only has to be asked.
	const proxy = await startProxy(t, 'nobody:knows');
	await withEnv({...noProxyEnv, HTTP_PROXY: proxy.url}, async () => {
		const local = await scrape({urls: [server.template], pages: '1', out: await tempDir(t)});
		assert.equal(local.downloaded, 2);
		assert.deepEqual(proxy.tunnels, [], 'loopback went direct');

		const remote = await scrape({urls: ['http://gallery.invalid/index.html'], download: false});
		assert.equal(remote.pagesFailed, 1);
		assert.match(remote.failures[0]!.message, /407/);
		assert.deepEqual([...new Set(proxy.tunnels)], ['gallery.invalid:80']);
	});
});

test('which dispatcher a run gets, and the NO_PROXY list it hands undici', async () => {
	// The dispatchers a run really builds, not a copy of the choice.
	const built = [
		createDispatcher({timeout: 1}, {}),
		createDispatcher({timeout: 1}, {HTTPS_PROXY: 'http://p:3128'}),
		createDispatcher({timeout: 1, proxy: 'http://p:3128'}, {}),
	];
	assert.deepEqual(
		built.map(dispatcher => dispatcher.constructor.name),
		['Agent', 'EnvHttpProxyAgent', 'ProxyAgent'],
	);
	await Promise.all(built.map(async dispatcher => dispatcher.close()));
	assert.deepEqual(environmentProxy({http_proxy: 'http://p:3128', NO_PROXY: 'intranet.example'}), {
		httpProxy: 'http://p:3128',
		httpsProxy: '',
		noProxy: 'intranet.example,localhost,127.0.0.1,[::1]',
	});
	assert.equal(environmentProxy({HTTP_PROXY: 'http://p:3128', no_proxy: '*'})?.noProxy, '*');
	assert.equal(environmentProxy({NO_PROXY: 'x'}), undefined);
});

test('--proxy must be an http(s) URL', async () => {
	const {code, stderr} = await runCli(['http://127.0.0.1:1/', '--proxy', 'ftp://proxy.example']);
	assert.equal(code, 2);
	assert.match(stderr, /--proxy.*http or https URL.*ftp:/);
});
