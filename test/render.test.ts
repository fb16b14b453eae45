/*
--render against a real Chromium (Debian's /usr/bin/chromium): the five fixture
pages whose images JavaScript builds, each scraped without and with the browser.
Without it a run takes what the HTML holds; with it every image, each fetched
once by imgscrape (the browser's own loads are told apart by the Sec-Fetch-Dest
header Chromium sends and undici does not).
*/
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {test, type TestContext} from 'node:test';
import {UsageError} from '../src/errors.js';
import {scrape} from '../src/index.js';
import {formatReport} from '../src/report/format.js';
import {findBrowser} from '../src/render/find-browser.js';
import {needBinary} from './helpers/binaries.js';
import {bin, runCli} from './helpers/cli.js';
import {descendants, running} from './helpers/processes.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

const browsers = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function chromium(t: TestContext): string | undefined {
	return needBinary(t, 'chromium', browsers, 'apt-get install chromium');
}

/** The gallery's k-th image (from 1), 20 to a page, as the fixture pages name them. */
function image(k: number): string {
	return `p${Math.ceil(k / 20)}-${String(((k - 1) % 20) + 1).padStart(2, '0')}.jpg`;
}

function images(from: number, to: number): string[] {
	const names: string[] = [];
	for (let k = from; k <= to; k++) {
		names.push(image(k));
	}

	return names;
}

/** Short enough for the tests, long enough for a fixture page's fetch to come back on a busy machine. */
const scrollIdle = 400;

const pages = [
	{page: 'json-list.html', inHtml: [], all: images(1, 24)},
	{page: 'infinite-scroll.html', inHtml: images(1, 20), all: images(1, 100)},
	{page: 'virtual-scroller.html', inHtml: images(1, 10), all: images(1, 60)},
	{page: 'load-more.html', inHtml: images(1, 12), all: images(1, 48), click: '#more'},
	{page: 'lazy.html', inHtml: images(1, 5), all: images(1, 30)},
];

for (const {page, inHtml, all, click} of pages) {
	test(`${page}: the HTML's ${inHtml.length} images without --render, all ${all.length} with it, each fetched once`, async t => {
		const browser = chromium(t);
		if (browser === undefined) {
			return;
		}

		const server = await gallery(t, {pages: 5, perPage: 20, size: 600, recordRequests: true});
		const url = `${server.url}static/render/${page}`;
		const plain = await tempDir(t);
		const staticReport = await scrape({urls: [url], out: plain});
		assert.deepEqual(await listFiles(plain), [...inHtml].sort());
		assert.equal(staticReport.render, undefined);

		server.resetStats();
		const out = await tempDir(t);
		const report = await scrape({urls: [url], out, render: true, browser, scrollIdle, click});
		assert.equal(report.failed, 0);
		assert.deepEqual(await listFiles(out), [...all].sort());
		for (const name of all) {
			assert.deepEqual(await readFile(path.join(out, name)), server.imageBytes(`/uploads/allimg/${name}`), name);
		}

		// imgscrape's own requests for images: exactly one per image, with the page as Referer.
		const ours = server.requests().filter(request => request.url.startsWith('/uploads/') && request.headers['sec-fetch-dest'] === undefined);
		assert.deepEqual(ours.map(request => request.url.split('/').pop()).sort(), [...all].sort());
		assert.ok(ours.every(request => request.headers.referer === url));

		const manifest = (await readFile(path.join(out, '.imgscrape.jsonl'), 'utf8')).trim().split('\n');
		assert.equal(manifest.length, all.length);
		assert.equal(report.downloaded, all.length);
		// Names in discovery order: {index} follows the step that first showed each image.
		assert.equal(report.pageResults[0]!.images, all.length);

		// The render stage: one visit, its steps, and the images each step brought adding up to all of them.
		assert.equal(report.phases.render?.count, 1);
		const [visit] = report.render ?? [];
		assert.equal(visit?.url, url);
		assert.ok(visit.steps >= 1 && visit.steps <= 51);
		assert.equal(
			visit.imagesPerStep.reduce((sum, count) => sum + count, 0),
			all.length,
		);
		if (inHtml.length < all.length && page !== 'json-list.html') {
			assert.ok(visit.steps > 1, 'images came after scrolling or clicking');
		}
	});
}

test('--follow detail pages are rendered too, each in its own place of the page pool', async t => {
	const browser = chromium(t);
	if (browser === undefined) {
		return;
	}

	const server = await gallery(t, {pages: 1, perPage: 3, size: 600});
	const out = await tempDir(t);
	const report = await scrape({
		urls: [`${server.url}index.html`],
		out,
		render: true,
		browser,
		scrollIdle: 200,
		follow: '.slist a',
		selector: '.photo-pic img',
	});
	assert.deepEqual(await listFiles(out), ['p1-01.jpg', 'p1-02.jpg', 'p1-03.jpg']);
	assert.deepEqual(report.render?.map(page => new URL(page.url).pathname).sort(), ['/index.html', '/tupian/1.html', '/tupian/2.html', '/tupian/3.html']);
	assert.ok((report.phases.render?.peakInFlight ?? 0) <= 4);
	assert.match(formatReport(report), /^ {2}render +4 /m);
});

test('a browser killed during a visit is started again and the page visited anew; nothing is fetched twice or lost', async t => {
	const browser = chromium(t);
	if (browser === undefined) {
		return;
	}

	const server = await gallery(t, {pages: 1, perPage: 3, size: 600, recordRequests: true});
	const out = await tempDir(t);
	const killed: number[] = [];
	const warnings: string[] = [];
	const report = await scrape({
		urls: [`${server.url}index.html`],
		out,
		render: true,
		browser,
		scrollIdle: 300,
		pageConcurrency: 1,
		follow: '.slist a',
		selector: '.photo-pic img',
		onEvent(event) {
			// The first detail page's image is queued while its visit goes on: the browser dies under it.
			if (event.type === 'image-queued' && killed.length === 0) {
				for (const info of descendants(process.pid).filter(each => each.ppid === process.pid && /chrom/i.test(each.name))) {
					process.kill(info.pid, 'SIGKILL');
					killed.push(info.pid);
				}
			}

			if (event.type === 'warning') {
				warnings.push(event.warning.message);
			}
		},
	});
	assert.ok(killed.length > 0, 'the browser was found and killed');
	assert.deepEqual(await listFiles(out), ['p1-01.jpg', 'p1-02.jpg', 'p1-03.jpg']);
	assert.equal(report.failed, 0, JSON.stringify(report.failures));
	const ours = server.requests().filter(request => request.url.startsWith('/uploads/') && request.headers['sec-fetch-dest'] === undefined);
	assert.deepEqual(ours.map(request => request.url.split('/').pop()).sort(), ['p1-01.jpg', 'p1-02.jpg', 'p1-03.jpg'], 'each image fetched once by imgscrape');
	assert.equal(
		warnings.filter(message => /the browser crashed while rendering the page .*; visiting it again in a new browser/.test(message)).length,
		1,
		warnings.join('\n'),
	);
	assert.deepEqual(report.render?.map(page => new URL(page.url).pathname).sort(), ['/index.html', '/tupian/1.html', '/tupian/2.html', '/tupian/3.html']);
	assert.deepEqual(
		killed.filter(pid => running(pid)),
		[],
	);
});

test('cookies the page sets in the browser go along with the downloads', async t => {
	const browser = chromium(t);
	if (browser === undefined) {
		return;
	}

	const server = await gallery(t, {pages: 2, perPage: 20, size: 600, recordRequests: true});
	const out = await tempDir(t);
	await scrape({urls: [`${server.url}static/render/json-list.html`], out, render: true, browser, scrollIdle});
	const downloads = server.requests().filter(request => request.url.startsWith('/uploads/') && request.headers['sec-fetch-dest'] === undefined);
	assert.equal(downloads.length, 24);
	assert.ok(downloads.every(request => request.headers.cookie === 'gallery-visitor=rendered'));
});

test("--per-host 1 holds for the browser's requests and the downloads together", async t => {
	const browser = chromium(t);
	if (browser === undefined) {
		return;
	}

	const server = await gallery(t, {pages: 5, perPage: 20, size: 600});
	const out = await tempDir(t);
	const report = await scrape({urls: [`${server.url}static/render/load-more.html`], out, render: true, browser, scrollIdle, click: '#more', perHost: 1});
	assert.equal(report.downloaded, 48);
	assert.equal(server.stats().peakInFlight, 1);
});

test('--block-third-party keeps the browser from other hosts; without it they are reached', async t => {
	const browser = chromium(t);
	if (browser === undefined) {
		return;
	}

	const site = await gallery(t, {pages: 1, perPage: 20, size: 600});
	const other = await gallery(t, {pages: 1, perPage: 20, size: 600});
	const url = `${site.url}static/render/third-party.html?cdn=${encodeURIComponent(other.url)}`;
	await scrape({urls: [url], out: await tempDir(t), render: true, browser, scrollIdle, download: false});
	assert.equal(other.stats().requests, 1);
	other.resetStats();
	await scrape({urls: [url], out: await tempDir(t), render: true, browser, scrollIdle, download: false, blockThirdParty: true});
	assert.equal(other.stats().requests, 0);
});

test('a page that never goes quiet ends at --render-timeout and keeps what was found by then', async t => {
	const browser = chromium(t);
	if (browser === undefined) {
		return;
	}

	const server = await gallery(t, {pages: 5, perPage: 20, size: 600});
	const out = await tempDir(t);
	const url = `${server.url}static/render/never-idle.html`;
	const report = await scrape({urls: [url], out, render: true, browser, scrollIdle: 1000, renderTimeout: 4000});
	assert.equal(report.pagesFailed, 0);
	assert.equal(report.render?.[0]?.end, 'timeout');
	assert.ok(report.warnings.some(warning => warning.url === url && /render-timeout/.test(warning.message)));
	// Nothing was harvested before the bound (the page never went quiet), so the first harvest is the one made as it passed.
	assert.ok(report.downloaded >= 1);
	assert.equal((await listFiles(out)).length, report.downloaded);
});

test('a missing browser or a render flag without --render is one line and exit 2', async () => {
	const missing = await runCli(['http://127.0.0.1:1/', '--render', '--browser', '/nonexistent/chromium']);
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /nonexistent\/chromium/);
	assert.equal(missing.stderr.trim().split('\n').length, 1);
	const alone = await runCli(['http://127.0.0.1:1/', '--scroll-idle', '100']);
	assert.equal(alone.code, 2);
	assert.match(alone.stderr, /needs `render`/);
});

test('the browser is --browser, then IMGSCRAPE_BROWSER, then the usual places; none says how to install one', () => {
	assert.equal(findBrowser(process.execPath, {IMGSCRAPE_BROWSER: '/nonexistent'}, []), process.execPath);
	assert.equal(findBrowser(undefined, {IMGSCRAPE_BROWSER: process.execPath}, ['/nonexistent']), process.execPath);
	assert.equal(findBrowser(undefined, {}, ['/nonexistent', process.execPath]), process.execPath);
	assert.throws(() => findBrowser(undefined, {IMGSCRAPE_BROWSER: '/nonexistent'}, [process.execPath]), /IMGSCRAPE_BROWSER/);
	assert.throws(
		() => findBrowser(undefined, {}, ['/nonexistent']),
		(error: unknown) => error instanceof UsageError && /apt-get install chromium/.test(error.message),
	);
});

test('a plain run loads no browser code: playwright-core is only in the chunk --render imports', async () => {
	const cli = path.dirname(bin).replace(/bin$/, 'dist/cli');
	const seen = new Set<string>();
	const visit = async (file: string): Promise<void> => {
		seen.add(file);
		const source = await readFile(path.join(cli, file), 'utf8');
		// Static imports only: `import ... from "./chunk.js"` and `import "./chunk.js"`, not `import("./chunk.js")`.
		for (const [, next] of source.matchAll(/^import\s*(?:[^'"();]*?from\s*)?["'](\.\/[^"']+)["']/gm)) {
			const name = next!.slice(2);
			if (!seen.has(name)) {
				await visit(name);
			}
		}
	};

	await visit('imgscrape.js');
	const statically = await Promise.all([...seen].map(async file => readFile(path.join(cli, file), 'utf8')));
	assert.ok(statically.length > 1);
	assert.ok(statically.every(source => !source.includes('playwright-core')));
	const all = await import('node:fs/promises').then(async fs => fs.readdir(cli));
	const renderer = await Promise.all(all.filter(file => file.endsWith('.js')).map(async file => readFile(path.join(cli, file), 'utf8')));
	assert.ok(
		renderer.some(source => source.includes('playwright-core')),
		'the lazy chunk imports playwright-core',
	);
});

test('Ctrl-C during a render exits 130 and leaves no browser process behind', async t => {
	const browser = chromium(t);
	if (browser === undefined) {
		return;
	}

	const server = await gallery(t, {pages: 5, perPage: 20, size: 600});
	const out = await tempDir(t);
	// A long idle rule keeps the visit going well past the moment of the interrupt.
	const child = spawn(
		process.execPath,
		[bin, `${server.url}static/render/virtual-scroller.html`, '-o', out, '--render', '--browser', browser, '--scroll-idle', '3000'],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = once(child, 'exit') as Promise<[number | null]>;
	// Wait for the browser's renderer processes (the page is open), then interrupt.
	let browserPids: number[] = [];
	for (let tries = 0; tries < 300 && child.exitCode === null; tries++) {
		const found = descendants(child.pid!).filter(info => /chrom/i.test(info.name));
		if (found.length >= 3 && server.stats().image.requests > 0) {
			browserPids = found.map(info => info.pid);
			break;
		}

		await sleep(100);
	}

	assert.ok(browserPids.length > 0, `the browser started: ${stderr}`);
	child.kill('SIGINT');
	const [code] = await exited;
	assert.equal(code, 130, stderr);
	assert.deepEqual(
		browserPids.filter(pid => running(pid)),
		[],
	);
});
