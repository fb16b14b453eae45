/**
Peak memory of a real scrape, in a child process of its own so the fixture
server's memory is not counted: one 50 MB image, and 2,000 images of 50 kB.
The child is the CLI itself (`bin/imgscrape.js --json`); its report carries
`peakRssBytes`, the child's `process.resourceUsage().maxRSS`.

  npm run build && node dist/bench/memory.js [runs]

Not a test: the figures depend on the machine. Each scenario runs `runs`
times (default 3) and the median is printed.
*/

import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {startFixtureServer, type GalleryOptions} from '../src/fixture-server/index.js';
import {median} from '../src/report/stats.js';

const bin = fileURLToPath(new URL('../../bin/imgscrape.js', import.meta.url));
const run = promisify(execFile);

interface Scenario {
	name: string;
	gallery: GalleryOptions & {pages: number};
	args: string[];
}

const scenarios: Scenario[] = [
	{name: 'one 1 kB image (baseline)', gallery: {pages: 1, perPage: 1, size: 1000}, args: []},
	{name: 'one 50 MB image', gallery: {pages: 1, perPage: 1, size: 50_000_000}, args: []},
	{name: '2,000 images of 50 kB', gallery: {pages: 20, perPage: 100, size: 50_000}, args: ['-c', '16']},
];

async function measure(scenario: Scenario): Promise<{rss: number; ms: number; bytes: number}> {
	const server = await startFixtureServer(scenario.gallery);
	const out = await mkdtemp(path.join(tmpdir(), 'imgscrape-bench-memory-'));
	try {
		const {stdout} = await run(process.execPath, [bin, server.template, '--pages', `1-${scenario.gallery.pages}`, '-o', out, '--json', '-q', ...scenario.args], {maxBuffer: 64 * 1024 * 1024});
		const report = JSON.parse(stdout) as {peakRssBytes: number; elapsedMs: number; bytes: number; failed: number; downloaded: number};
		if (report.failed > 0) {
			throw new Error(`${scenario.name}: ${report.failed} failed`);
		}

		return {rss: report.peakRssBytes, ms: report.elapsedMs, bytes: report.bytes};
	} finally {
		await server.close();
		await rm(out, {recursive: true, force: true});
	}
}

const runs = Number(process.argv[2] ?? 3);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`node ${process.version}, ${runs} runs each, median peak RSS of the scraping process`);
for (const scenario of scenarios) {
	const results = [];
	for (let index = 0; index < runs; index++) {
		results.push(await measure(scenario));
	}

	const rss = results.map(result => result.rss);
	console.log(`${scenario.name.padEnd(26)} peak RSS ${mb(median(rss))} (min ${mb(Math.min(...rss))}, max ${mb(Math.max(...rss))}); saved ${mb(results[0]!.bytes)} in ${Math.round(median(results.map(result => result.ms)))} ms`);
}
