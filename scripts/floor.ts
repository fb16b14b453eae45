/**
imgscrape against the floor of its stack: the bare client of
`floor-client.ts` (undici's dispatch API, sha256, write, rename; a regex for
extraction), and wget2 and aria2c where they are installed, on the bench's
scenarios. Every client is timed the same way, from spawn to exit, against
one fixture gallery per scenario served from another process, with output on
tmpfs; the variants are interleaved and their order rotates from run to run,
so the machine's noise falls on all of them alike.

  npm run bench:floor [-- RUNS]        (default 5 runs; medians are printed)

Not a test: the figures depend on the machine. The ratios are what to read.
*/

import {readdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {findExecutable} from '../src/executables.js';
import {forkGalleryProcess, type RemoteGallery} from '../src/bench/gallery-process.js';
import {imageCount, presets, type Preset} from '../src/bench/scenarios.js';
import {spawnScrape, spawnTimed} from '../src/bench/spawn-cli.js';
import {defaultWorkDir, imageCacheBytes} from '../src/bench/sweep.js';
import {fillPage} from '../src/page-urls.js';
import {median} from '../src/report/stats.js';

const floorClient = fileURLToPath(new URL('floor-client.js', import.meta.url));
const runs = Number(process.argv[2] ?? 5);
/** The scenarios and the download concurrency each is measured at: the points the targets speak of. */
const scenarios: Preset[] = ['seed', 'wide', 'raw', 'bigpage'].map(name => presets[name]!);

interface Scene {
	preset: Preset;
	concurrency: number;
	template: string;
	pages: string[];
	/** The image URLs, for aria2c, which cannot read a page. */
	list: string;
}

interface Sample {
	ms: number;
	saved: number;
	rss?: number | undefined;
	/** Where `-c auto` settled. */
	settled?: number | undefined;
}

interface Variant {
	name: string;
	/** The scenarios it runs on, when not all: the fixed -c steps past the targets' one, for -c auto to be judged against the best. */
	only?: string[];
	run(scene: Scene, out: string): Promise<Sample>;
}

/** Files under `dir` that are images, wherever a client put them. */
async function countImages(dir: string): Promise<number> {
	const entries = await readdir(dir, {recursive: true, withFileTypes: true});
	return entries.filter(entry => entry.isFile() && /\.(jpe?g|png|gif|webp)$/i.test(entry.name)).length;
}

function imgscrape(concurrency: (scene: Scene) => string): Variant['run'] {
	return async (scene, out) => {
		const {report, processMs} = await spawnScrape([
			scene.template,
			'--pages',
			`1-${scene.preset.pages}`,
			'-c',
			concurrency(scene),
			'--ignore-robots',
			'-o',
			out,
		]);
		return {ms: processMs, saved: report.downloaded, rss: report.peakRssBytes, settled: report.autoConcurrency?.settled};
	};
}

const variants: Variant[] = [
	{name: 'imgscrape', run: imgscrape(scene => String(scene.concurrency))},
	// -c auto against the fixed concurrency the targets name: what finding it while the run goes costs.
	{name: 'imgscrape -c auto', run: imgscrape(() => 'auto')},
	// On wide (latency-bound) throughput still rises past -c 16: -c auto is judged against the best of these.
	{name: 'imgscrape -c 32', only: ['wide'], run: imgscrape(() => '32')},
	{name: 'imgscrape -c 64', only: ['wide'], run: imgscrape(() => '64')},
	{
		name: 'bare client',
		async run(scene, out) {
			const result = await spawnTimed(process.execPath, [floorClient, out, String(scene.concurrency), ...scene.pages]);
			const {saved, peakRssBytes} = JSON.parse(result.stdout) as {saved: number; peakRssBytes: number};
			return {ms: result.processMs, saved, rss: peakRssBytes};
		},
	},
];

const wget2 = findExecutable('wget2');
if (wget2 !== undefined) {
	variants.push({
		name: 'wget2',
		async run(scene, out) {
			// -p fetches what each page shows (its images), nothing it links to, as imgscrape does.
			const result = await spawnTimed(wget2, ['-q', '--no-robots', '-p', '-nd', '-P', out, `--max-threads=${scene.concurrency}`, ...scene.pages]);
			return {ms: result.processMs, saved: await countImages(out)};
		},
	});
}

const aria2c = findExecutable('aria2c');
if (aria2c !== undefined) {
	variants.push({
		name: 'aria2c (images only)',
		async run(scene, out) {
			// aria2c reads no pages: it is handed the image URLs, so its row is the download path alone.
			const result = await spawnTimed(aria2c, [
				'-q',
				`-j${scene.concurrency}`,
				'--file-allocation=none',
				'--auto-file-renaming=false',
				'--allow-overwrite=true',
				'-d',
				out,
				'-i',
				scene.list,
			]);
			return {ms: result.processMs, saved: await countImages(out)};
		},
	});
}

async function imageUrls(pages: readonly string[]): Promise<string[]> {
	const urls: string[] = [];
	for (const page of pages) {
		const html = await (await fetch(page)).text();
		for (const match of html.matchAll(/<img\b[^>]*?\bsrc="([^"]+)"/g)) {
			urls.push(new URL(match[1]!, page).href);
		}
	}

	return urls;
}

const workDir = await mkdtemp(path.join(defaultWorkDir(), 'imgscrape-floor-'));
const galleries = await forkGalleryProcess();
const started: RemoteGallery[] = [];
try {
	const scenes: Scene[] = [];
	for (const preset of scenarios) {
		const gallery = await galleries.start({...preset, imageCache: imageCacheBytes});
		started.push(gallery);
		const template = `${gallery.url}index{_page}.html`;
		const pages = Array.from({length: preset.pages}, (_, index) => fillPage(template, index + 1));
		const list = path.join(workDir, `${preset.name}.txt`);
		await writeFile(list, `${(await imageUrls(pages)).join('\n')}\n`);
		scenes.push({preset, concurrency: preset.targets.concurrency, template, pages, list});
	}

	const samples = new Map<string, Sample[]>();
	for (let round = 0; round < runs; round++) {
		for (const scene of scenes) {
			for (let each = 0; each < variants.length; each++) {
				const variant = variants[(each + round) % variants.length]!;
				if (variant.only !== undefined && !variant.only.includes(scene.preset.name)) {
					continue;
				}

				const out = await mkdtemp(path.join(workDir, 'out-'));
				try {
					const sample = await variant.run(scene, out);
					const key = `${scene.preset.name}\t${variant.name}`;
					samples.set(key, [...(samples.get(key) ?? []), sample]);
				} finally {
					await rm(out, {recursive: true, force: true});
				}
			}
		}

		process.stderr.write(`run ${round + 1} of ${runs} done\n`);
	}

	const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
	const lines = [
		`Node ${process.version}, ${runs} runs, medians; whole process from spawn to exit; ratio = median / median of the row named`,
		'',
		'| scenario | client | time | x bare client | x wget2 | x imgscrape | peak RSS | images |',
		'| --- | --- | --- | --- | --- | --- | --- | --- |',
	];
	const verdicts: string[] = [];
	for (const scene of scenes) {
		const of = (name: string) => samples.get(`${scene.preset.name}\t${name}`);
		const bare = median(of('bare client')!.map(sample => sample.ms));
		const fixed = median(of('imgscrape')!.map(sample => sample.ms));
		const wget = of('wget2');
		const wgetMs = wget === undefined ? undefined : median(wget.map(sample => sample.ms));
		const fixedRows: Array<{concurrency: string; ms: number}> = [];
		for (const variant of variants) {
			const list = of(variant.name);
			if (list === undefined) {
				continue;
			}

			const ms = median(list.map(sample => sample.ms));
			const expected = imageCount(scene.preset);
			const saved = Math.min(...list.map(sample => sample.saved));
			const rss = list.every(sample => sample.rss !== undefined) ? `${Math.round(median(list.map(sample => sample.rss!)) / 1e6)} MB` : '';
			const settled = list.flatMap(sample => (sample.settled === undefined ? [] : [sample.settled]));
			const name = settled.length === 0 ? variant.name : `${variant.name} (settled at ${settled.join(', ')})`;
			const fixedAt = variant.name === 'imgscrape' ? String(scene.concurrency) : /^imgscrape -c (\d+)$/.exec(variant.name)?.[1];
			if (fixedAt !== undefined) {
				fixedRows.push({concurrency: fixedAt, ms});
			}

			lines.push(
				`| ${scene.preset.name} -c ${scene.concurrency} | ${name} | ${seconds(ms)} | ${(ms / bare).toFixed(2)} | ${
					wgetMs === undefined ? '' : (ms / wgetMs).toFixed(2)
				} | ${(ms / fixed).toFixed(2)} | ${rss} | ${saved === expected ? expected : `only ${saved} of ${expected}`} |`,
			);
		}

		const auto = of('imgscrape -c auto');
		if (fixedRows.length > 1 && auto !== undefined) {
			const best = fixedRows.reduce((a, b) => (b.ms < a.ms ? b : a));
			verdicts.push(
				`${scene.preset.name}: -c auto ${(median(auto.map(sample => sample.ms)) / best.ms).toFixed(2)}x the best fixed -c measured (-c ${best.concurrency}, of ${fixedRows.map(row => row.concurrency).join(', ')})`,
			);
		}
	}

	if (verdicts.length > 0) {
		lines.push('', ...verdicts);
	}

	if (wget2 === undefined || aria2c === undefined) {
		lines.push(
			'',
			`Not installed, so not measured: ${[wget2 ? '' : 'wget2', aria2c ? '' : 'aria2c'].filter(Boolean).join(', ')} (apt-get install wget2 aria2).`,
		);
	}

	process.stdout.write(`${lines.join('\n')}\n`);
} finally {
	await Promise.all(started.map(gallery => gallery.stop()));
	await galleries.close();
	await rm(workDir, {recursive: true, force: true});
}
