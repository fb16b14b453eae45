/**
Peak memory of a real scrape, in a child process of its own so the fixture
server's memory is not counted: one 50 MB image, 2,000 images of 50 kB, and
one page of 1,000,000 <img> (about 24 MB of HTML). The child is the CLI itself
(`bin/imgscrape.js --json`); its report carries `peakRssBytes`, the child's
`process.resourceUsage().maxRSS`.

  npm run build && node dist/scripts/memory.js [runs]

Not a test: the figures depend on the machine. Each scenario runs `runs`
times (default 3) and the median is printed; the million-image page, which
takes minutes, runs once.
*/

import {execFile} from 'node:child_process';
import {once} from 'node:events';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {defaultWorkDir} from '../src/bench/sweep.js';
import {startFixtureServer, type FixtureServer, type GalleryOptions} from '../src/fixture-server/index.js';
import {median} from '../src/report/stats.js';

const bin = fileURLToPath(new URL('../../bin/imgscrape.js', import.meta.url));
const run = promisify(execFile);

interface Scenario {
	name: string;
	gallery: GalleryOptions & {pages: number; perPage: number};
	args: string[];
	/** Scrape one bare page listing every image of the gallery, instead of the gallery's own pages. */
	densePage?: boolean;
	/** Runs of this scenario, when fewer than asked. */
	maxRuns?: number;
}

const scenarios: Scenario[] = [
	{name: 'one 1 kB image (baseline)', gallery: {pages: 1, perPage: 1, size: 1000}, args: []},
	{name: 'one 50 MB image', gallery: {pages: 1, perPage: 1, size: 50_000_000}, args: []},
	{name: '2,000 images of 50 kB', gallery: {pages: 20, perPage: 100, size: 50_000}, args: ['-c', '16']},
	{
		name: 'one page of 1,000,000 <img>',
		gallery: {pages: 1, perPage: 1_000_000, size: 300},
		args: ['--ignore-robots', '--max-per-page', '1000000'],
		densePage: true,
		maxRuns: 1,
	},
];

/**
A page of nothing but the gallery's images, `<img src=p1-0000001.jpg>` after a
<base> on the gallery: 24 bytes an image, where the gallery's own markup takes
150 and would pass the 64 MB page limit.
*/
async function serveDensePage(gallery: FixtureServer, images: number): Promise<{url: string; server: Server}> {
	const urls = gallery.imageUrls().slice(0, images);
	const parts = [`<!doctype html><html><head><base href="${new URL('.', urls[0]).href}"></head><body>`];
	for (const url of urls) {
		parts.push(`<img src=${path.posix.basename(new URL(url).pathname)}>`);
	}

	parts.push('</body></html>');
	const page = Buffer.from(parts.join(''));
	const server = createServer((_request, response) => {
		response.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'content-length': page.length}).end(page);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dense.html`, server};
}

async function measure(scenario: Scenario): Promise<{rss: number; ms: number; bytes: number; downloaded: number}> {
	const gallery = await startFixtureServer(scenario.gallery);
	const dense = scenario.densePage ? await serveDensePage(gallery, scenario.gallery.perPage) : undefined;
	const out = await mkdtemp(path.join(defaultWorkDir(), 'imgscrape-bench-memory-'));
	try {
		const pages = dense === undefined ? [gallery.template, '--pages', `1-${scenario.gallery.pages}`] : [dense.url];
		const {stdout} = await run(process.execPath, [bin, ...pages, '-o', out, '--json', '-q', ...scenario.args], {maxBuffer: 64 * 1024 * 1024});
		const report = JSON.parse(stdout) as {peakRssBytes: number; elapsedMs: number; bytes: number; failed: number; downloaded: number};
		if (report.failed > 0 || report.downloaded !== scenario.gallery.pages * scenario.gallery.perPage) {
			throw new Error(`${scenario.name}: ${report.downloaded} saved, ${report.failed} failed`);
		}

		return {rss: report.peakRssBytes, ms: report.elapsedMs, bytes: report.bytes, downloaded: report.downloaded};
	} finally {
		dense?.server.close();
		await gallery.close();
		await rm(out, {recursive: true, force: true});
	}
}

const runs = Number(process.argv[2] ?? 3);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`node ${process.version}, ${runs} runs each, median peak RSS of the scraping process`);
for (const scenario of scenarios) {
	const results = [];
	for (let index = 0; index < Math.min(runs, scenario.maxRuns ?? runs); index++) {
		results.push(await measure(scenario));
	}

	const rss = results.map(result => result.rss);
	console.log(
		`${scenario.name.padEnd(28)} peak RSS ${mb(median(rss))} (min ${mb(Math.min(...rss))}, max ${mb(Math.max(...rss))}); saved ${results[0]!.downloaded} files, ${mb(results[0]!.bytes)}, in ${Math.round(median(results.map(result => result.ms)))} ms`,
	);
}
