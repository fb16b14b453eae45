/**
What `--render` costs: each of the five JavaScript fixture pages scraped with
the browser, in a run of its own through the CLI (`bin/imgscrape.js --json`),
while the browser's processes (everything below the CLI's process named
chrom*) are sampled from /proc every 50 ms for their summed proportional
resident memory (PSS, so pages they share count once).
Linux only (it reads /proc).

  npm run build && node dist/scripts/render-bench.js [runs]

Prints, per page, the median over `runs` (default 3) of the render stage's
time for the page and of the browser's peak memory. Not a test: the figures
depend on the machine.
*/

import {spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os, {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startFixtureServer} from '../src/fixture-server/index.js';
import type {ScrapeReport} from '../src/report/report.js';
import {median} from '../src/report/stats.js';

const bin = fileURLToPath(new URL('../../bin/imgscrape.js', import.meta.url));

const pages: Array<{page: string; args: string[]}> = [
	{page: 'json-list.html', args: []},
	{page: 'infinite-scroll.html', args: []},
	{page: 'virtual-scroller.html', args: []},
	{page: 'load-more.html', args: ['--click', '#more']},
	{page: 'lazy.html', args: []},
];

/** Proportional resident bytes of every browser process below `root`, summed. */
function browserRss(root: number): number {
	const table = readdirSync('/proc')
		.filter(entry => /^\d+$/.test(entry))
		.flatMap(entry => {
			try {
				const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
				const close = stat.lastIndexOf(')');
				return [{pid: Number(entry), ppid: Number(stat.slice(close + 2).split(' ')[1]), name: stat.slice(stat.indexOf('(') + 1, close)}];
			} catch {
				return [];
			}
		});
	let total = 0;
	let parents = new Set([root]);
	while (parents.size > 0) {
		const children = table.filter(info => parents.has(info.ppid));
		for (const child of children.filter(info => /chrom/i.test(info.name))) {
			try {
				// Proportional: a page shared by n processes counts 1/n in each, so the sum is the tree's real footprint.
				const kb = /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/smaps_rollup`, 'utf8'))?.[1];
				total += Number(kb ?? 0) * 1024;
			} catch {}
		}

		parents = new Set(children.map(info => info.pid));
	}

	return total;
}

async function once(url: string, args: string[]): Promise<{renderMs: number; steps: number; browserPeak: number; images: number}> {
	const out = await mkdtemp(path.join(tmpdir(), 'imgscrape-render-bench-'));
	try {
		const child = spawn(process.execPath, [bin, url, '-o', out, '--render', '--json', '-q', ...args], {stdio: ['ignore', 'pipe', 'inherit']});
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		let browserPeak = 0;
		const sampler = setInterval(() => {
			browserPeak = Math.max(browserPeak, browserRss(child.pid!));
		}, 50);
		await new Promise(resolve => child.on('exit', resolve));
		clearInterval(sampler);
		const report = JSON.parse(stdout) as ScrapeReport;
		return {renderMs: report.render![0]!.ms, steps: report.render![0]!.steps, browserPeak, images: report.downloaded};
	} finally {
		await rm(out, {recursive: true, force: true});
	}
}

const runs = Number(process.argv[2] ?? 3);
const server = await startFixtureServer({pages: 5, perPage: 20, size: 100_000});
try {
	console.log(
		`node ${process.version}, ${runs} runs each, default --scroll-idle; load average ${os
			.loadavg()
			.map(load => load.toFixed(1))
			.join(' ')}`,
	);
	for (const {page, args} of pages) {
		const samples = [];
		for (let run = 0; run < runs; run++) {
			samples.push(await once(`${server.url}static/render/${page}`, args));
		}

		const ms = median(samples.map(sample => sample.renderMs));
		const rss = median(samples.map(sample => sample.browserPeak));
		console.log(
			`${page.padEnd(22)} ${String(samples[0]!.images).padStart(4)} images  ${String(samples[0]!.steps).padStart(2)} steps  render ${(ms / 1000).toFixed(2)} s  browser peak PSS ${(rss / 1e6).toFixed(0)} MB`,
		);
	}
} finally {
	await server.close();
}
