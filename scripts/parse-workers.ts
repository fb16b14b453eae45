/**
Inline parsing against --parse-workers 1 and 2, on pages big enough that
parsing is the bottleneck, and on small pages where it is not.

	npm run bench:parse -- [--runs 5] [--json] [--only list]

Each sample is a fresh `imgscrape` process, as a user runs it: its JIT starts
cold whether it parses inline or on workers, and worker start-up is counted.
Each scenario's fixture gallery runs on a thread of this process, never on the
scraper's event loop. Every round runs each mode once, in turn, so the
machine's background noise falls on all modes alike; the table shows medians
over the rounds. Event-loop delay is the scraper's main thread's, sampled by
perf_hooks.monitorEventLoopDelay (scripts/loop-probe.ts) over the process life:
how long a ready callback (a chunk of a download, a new connection) waited.
*/
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtemp, rm} from 'node:fs/promises';
import {availableParallelism, loadavg, tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import {startFixtureServer, type GalleryOptions} from '../src/fixture-server/index.js';

// Compiled to dist/scripts/: the package root is two levels up.
const bin = fileURLToPath(new URL('../../bin/imgscrape.js', import.meta.url));
const probe = new URL('loop-probe.js', import.meta.url).href;
/** The line scripts/loop-probe.ts writes; not imported from there, which would start a probe in this process too. */
const probePrefix = 'imgscrape-bench-loop ';

interface Scenario {
	name: string;
	what: string;
	gallery: GalleryOptions;
	pages: number;
	/** `list` or `scrape`, then its flags after the page URL template and --pages. */
	command: 'list' | 'scrape';
	flags: string[];
}

const scenarios: Scenario[] = [
	{
		name: 'big pages, list',
		what: '10 pages of ~2 MB with 3,000 <img> each (30,000 in all), `list` (no downloads): parse-bound',
		gallery: {pages: 10, perPage: 3000, size: 300, pageBytes: 2_000_000},
		pages: 10,
		command: 'list',
		flags: [],
	},
	{
		name: 'big pages, download',
		what: '8 such pages; the first 100 images of each downloaded (800 files of 300 B), 16 at a time',
		gallery: {pages: 8, perPage: 3000, size: 300, pageBytes: 2_000_000},
		pages: 8,
		command: 'scrape',
		flags: ['--selector', '.slist li:nth-child(-n+100) img', '-c', '16'],
	},
	{
		name: 'small pages, download',
		what: '40 pages of ~5 kB with 20 images each, all downloaded (800 files of 300 B), 16 at a time',
		gallery: {pages: 40, perPage: 20, size: 300},
		pages: 40,
		command: 'scrape',
		flags: ['-c', '16'],
	},
];

const modes = [0, 1, 2] as const;

interface Sample {
	wallMs: number;
	pagesPerSecond: number;
	loopP99Ms: number;
	loopMaxMs: number;
	/** CPU time of all the process's threads: what workers add (start-up, a cold JIT per thread) shows here. */
	cpuMs: number;
	/** CPU time of the main thread alone (Linux only; NaN elsewhere): what workers take off it. */
	mainCpuMs: number;
	/** Time the main thread's event loop was busy (performance.eventLoopUtilization). */
	loopActiveMs: number;
}

/** The fixture gallery on a thread of its own; resolves with its URL template and a way to stop it. */
async function startServerThread(options: GalleryOptions): Promise<{template: string; stop: () => Promise<void>}> {
	const worker = new Worker(new URL(import.meta.url), {workerData: options});
	const [template] = (await once(worker, 'message')) as [string];
	return {
		template,
		async stop() {
			await worker.terminate();
		},
	};
}

/** One imgscrape process, start to exit. */
async function runOnce(scenario: Scenario, template: string, parseWorkers: number): Promise<Sample> {
	const out = await mkdtemp(path.join(tmpdir(), 'imgscrape-bench-parse-'));
	try {
		const args = [
			'--import',
			probe,
			bin,
			scenario.command,
			template,
			'--pages',
			`1-${scenario.pages}`,
			'--parse-workers',
			String(parseWorkers),
			...scenario.flags,
		];
		if (scenario.command === 'scrape') {
			args.push('-o', out, '--quiet', '--json');
		}

		const started = performance.now();
		const child = spawn(process.execPath, args, {stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (chunk: string) => {
			stderr += chunk;
		});
		const [code] = (await once(child, 'close')) as [number | null];
		const wallMs = performance.now() - started;
		const probeLine = stderr.split('\n').find(line => line.startsWith(probePrefix));
		if (code !== 0 || probeLine === undefined) {
			throw new Error(`${scenario.name}, --parse-workers ${parseWorkers}: exit ${String(code)}\n${stderr}`);
		}

		const loop = JSON.parse(probeLine.slice(probePrefix.length)) as {p99Ms: number; maxMs: number; cpuMs: number; mainCpuMs?: number; loopActiveMs: number};
		return {
			wallMs,
			pagesPerSecond: scenario.pages / (wallMs / 1000),
			loopP99Ms: loop.p99Ms,
			loopMaxMs: loop.maxMs,
			cpuMs: loop.cpuMs,
			mainCpuMs: loop.mainCpuMs ?? Number.NaN,
			loopActiveMs: loop.loopActiveMs,
		};
	} finally {
		await rm(out, {recursive: true, force: true});
	}
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function label(workers: number): string {
	return workers === 0 ? 'inline' : `--parse-workers ${workers}`;
}

function fixed(value: number, digits = 0): string {
	return value.toFixed(digits);
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const runsIndex = args.indexOf('--runs');
	const runs = runsIndex === -1 ? 5 : Number(args[runsIndex + 1]);
	if (!Number.isInteger(runs) || runs < 1) {
		throw new Error(`Expected --runs to be a whole number from 1 and up, got ${String(args[runsIndex + 1])}`);
	}

	const json = args.includes('--json');
	// `--only list` runs just the scenarios whose name holds that word.
	const onlyIndex = args.indexOf('--only');
	const only = onlyIndex === -1 ? undefined : args[onlyIndex + 1];
	const results: Array<{scenario: Scenario; samples: Record<number, Sample[]>}> = [];
	for (const scenario of scenarios.filter(each => only === undefined || each.name.includes(only))) {
		const server = await startServerThread(scenario.gallery);
		const samples: Record<number, Sample[]> = {0: [], 1: [], 2: []};
		try {
			// One unrecorded round, so the first recorded one does not pay for cold disk caches and a cold server.
			for (const workers of modes) {
				await runOnce(scenario, server.template, workers);
			}

			for (let round = 0; round < runs; round++) {
				for (const workers of modes) {
					samples[workers]!.push(await runOnce(scenario, server.template, workers));
					process.stderr.write('.');
				}
			}
		} finally {
			await server.stop();
		}

		results.push({scenario, samples});
	}

	process.stderr.write('\n');
	if (json) {
		process.stdout.write(
			`${JSON.stringify(
				results.map(({scenario, samples}) => ({scenario: scenario.name, samples})),
				null,
				'\t',
			)}\n`,
		);
		return;
	}

	const lines = [
		`Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()
			.map(load => load.toFixed(1))
			.join(' ')} at the end; median of ${runs} runs per mode, modes interleaved.`,
		'',
		'| scenario | mode | wall time | pages/s | vs inline | CPU time | main-thread CPU | vs inline | event loop busy | event-loop p99 | event-loop max |',
		'| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
	];
	for (const {scenario, samples} of results) {
		const inlineWall = median(samples[0]!.map(sample => sample.wallMs));
		const inlineMain = median(samples[0]!.map(sample => sample.mainCpuMs));
		for (const workers of modes) {
			const list = samples[workers]!;
			const wall = median(list.map(sample => sample.wallMs));
			const mainCpu = median(list.map(sample => sample.mainCpuMs));
			lines.push(
				`| ${scenario.name} | ${label(workers)} | ${fixed(wall)} ms | ${fixed(median(list.map(sample => sample.pagesPerSecond)), 1)} | ${fixed(inlineWall / wall, 2)}x | ${fixed(median(list.map(sample => sample.cpuMs)))} ms | ${fixed(mainCpu)} ms | ${fixed(inlineMain / mainCpu, 2)}x | ${fixed(median(list.map(sample => sample.loopActiveMs)))} ms | ${fixed(median(list.map(sample => sample.loopP99Ms)), 1)} ms | ${fixed(median(list.map(sample => sample.loopMaxMs)))} ms |`,
			);
		}
	}

	lines.push('', ...results.map(({scenario}) => `- ${scenario.name}: ${scenario.what}`));
	process.stdout.write(`${lines.join('\n')}\n`);
}

if (isMainThread) {
	await main();
} else {
	const server = await startFixtureServer(workerData as GalleryOptions);
	parentPort!.postMessage(server.template);
}
