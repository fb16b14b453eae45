import assert from 'node:assert/strict';
import {availableParallelism} from 'node:os';
import {test} from 'node:test';
import {defaults} from '../src/defaults.js';
import {startFixtureServer} from '../src/fixture-server/index.js';
import {createHostGate, type HostGate} from '../src/http/host-gate.js';
import {resolveOptions, scrape, type ScrapeOptions, type ScrapeServices} from '../src/index.js';
import {flowControl} from '../src/scraper/scrape.js';
import type {ScrapeEvent, Warning} from '../src/types.js';
import {runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

const maxTimerMs = 2_147_483_647;

/** A one-line usage error on stderr, exit 2, and no stack trace. */
function assertUsage(result: {code: number; stderr: string}, message: RegExp): void {
	assert.equal(result.code, 2, result.stderr);
	const lines = result.stderr.trim().split('\n');
	assert.match(lines[0]!, message);
	assert.ok(!result.stderr.includes('    at '), `a stack trace: ${result.stderr}`);
	assert.equal(lines.length, 1, result.stderr);
}

const outOfRange: Array<{option: keyof ScrapeOptions; flag: string; value: number; message: RegExp}> = [
	{option: 'delay', flag: '--delay', value: 3_000_000_000, message: /`delay` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'delay', flag: '--delay', value: maxTimerMs + 1, message: /`delay` to be at most 2147483647 ms.*got `2147483648`/},
	{option: 'rate', flag: '--rate', value: 0.000_000_1, message: /`rate` to be at least 4\.66e-7 requests per second.*got `1e-7`/},
	{option: 'deadline', flag: '--deadline', value: 3_000_000_000, message: /`deadline` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'timeout', flag: '--timeout', value: 3_000_000_000, message: /`timeout` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'retryDelay', flag: '--retry-delay', value: 3_000_000_000, message: /`retryDelay` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'maxRetryAfter', flag: '--max-retry-after', value: 3_000_000_000, message: /`maxRetryAfter` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'maxCrawlDelay', flag: '--max-crawl-delay', value: 3_000_000_000, message: /`maxCrawlDelay` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'maxCrawlDelay', flag: '--max-crawl-delay', value: -1, message: /`maxCrawlDelay` to be a number of milliseconds from 0 to 2147483647, got `-1`/},
	{
		option: 'parseWorkers',
		flag: '--parse-workers',
		value: 2000,
		message: new RegExp(`\`parseWorkers\` to be at most ${4 * availableParallelism()} \\(4 per available core.*got \`2000\``),
	},
];

test('numbers past what timers hold, and too many parse workers, are usage errors', async t => {
	for (const {option, flag, value, message} of outOfRange) {
		await t.test(`${option} ${value}`, async t => {
			const out = await tempDir(t);
			await assert.rejects(scrape({urls: ['http://127.0.0.1:1/'], out, [option]: value}), error => {
				assert.equal((error as Error).name, 'UsageError');
				assert.match((error as Error).message, message);
				return true;
			});
			// The command line names the flag as typed and quotes the value given.
			assertUsage(
				await runCli(['http://127.0.0.1:1/', '-o', out, '-q', flag, String(value)]),
				new RegExp(`^imgscrape: ${flag}: expected .*got \`${String(value)}\``),
			);
		});
	}
});

test('the longest a timer holds is still accepted', () => {
	const resolved = resolveOptions({
		urls: ['http://h/'],
		delay: maxTimerMs,
		deadline: maxTimerMs,
		timeout: maxTimerMs,
		retryDelay: maxTimerMs,
		maxRetryAfter: maxTimerMs,
		maxCrawlDelay: maxTimerMs,
		rate: 1000 / maxTimerMs,
		parseWorkers: 4 * availableParallelism(),
	});
	assert.equal(resolved.delay, maxTimerMs);
	assert.equal(resolved.retry.deadline, maxTimerMs);
	assert.equal(resolved.timeout, maxTimerMs);
	assert.equal(resolved.parseWorkers, 4 * availableParallelism());
});

test('the fixture gallery, serve and bench refuse latencies past what timers hold', async t => {
	for (const options of [{latency: 3_000_000_000}, {jitter: maxTimerMs + 1}, {latency: maxTimerMs, jitter: 1}, {pageLatency: {1: 3_000_000_000}}]) {
		await t.test(`startFixtureServer ${JSON.stringify(options)}`, async () => {
			await assert.rejects(startFixtureServer(options), {name: 'RangeError', message: /2147483647/});
		});
	}

	for (const args of [
		['serve', '--latency', '3000000000'],
		['serve', '--jitter', '3000000000'],
		['bench', '--latency', '3000000000'],
		['bench', '--jitter', '3000000000'],
	]) {
		await t.test(args.join(' '), async () => {
			assertUsage(await runCli(args), new RegExp(`${args[1]!}.*2147483647.*3000000000|${args[1]!}.*3000000000`));
		});
	}
});

/** Run a scrape and keep its events. */
async function scrapeWithEvents(
	options: ScrapeOptions,
	services?: ScrapeServices,
): Promise<{report: Awaited<ReturnType<typeof scrape>>; events: ScrapeEvent[]}> {
	const events: ScrapeEvent[] = [];
	const report = await scrape({...options, onEvent: event => events.push(event)}, services);
	return {report, events};
}

function warningsOf(events: ScrapeEvent[]): Warning[] {
	return events.flatMap(event => (event.type === 'warning' ? [event.warning] : []));
}

test('a Crawl-delay past the cap skips the host at once: its pages fail as robots, with a warning', async t => {
	// 3,000,000 s is past what a timer holds as well: it must not reach one.
	for (const crawlDelay of [86_400, 3_000_000]) {
		await t.test(`Crawl-delay: ${crawlDelay}`, async t => {
			const server = await gallery(t, {pages: 2, perPage: 3, size: 1000, robots: `User-agent: *\nCrawl-delay: ${crawlDelay}\n`});
			const overflows: Error[] = [];
			const onWarning = (warning: Error) => {
				if (warning.name === 'TimeoutOverflowWarning') {
					overflows.push(warning);
				}
			};

			process.on('warning', onWarning);
			t.after(() => process.off('warning', onWarning));
			const {report, events} = await scrapeWithEvents({urls: [server.template], pages: '1-2', out: await tempDir(t)});
			assert.equal(report.pagesFailed, 2);
			assert.deepEqual(report.failuresByCategory, {robots: 2});
			for (const failure of report.failures) {
				assert.match(
					failure.message,
					new RegExp(`asks for a Crawl-delay of ${crawlDelay} s, past the 60 s honoured \\(--max-crawl-delay\\): the site is skipped`),
				);
			}

			assert.equal(server.stats().requests, 1, 'robots.txt alone: no page was requested');
			const host = new URL(server.url).host;
			const warnings = warningsOf(events);
			assert.equal(warnings.length, 1);
			assert.equal(warnings[0]!.code, 'crawl-delay-capped');
			assert.match(warnings[0]!.message, new RegExp(`^${host} asks for a Crawl-delay of ${crawlDelay} s, past the 60 s honoured`));
			assert.deepEqual(report.warnings, warnings);
			// The warning comes as soon as robots.txt is read, before the pages' results.
			assert.ok(events.findIndex(event => event.type === 'warning') < events.findIndex(event => event.type === 'page'));
			assert.equal(overflows.length, 0);
		});
	}
});

test('the CLI prints a capped Crawl-delay as one warning line; -q prints only the failure it caused, in one line; the JSON report keeps it', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000, robots: 'User-agent: imgscrape\nCrawl-delay: 86400\n'});
	const host = new URL(server.url).host;
	const loud = await runCli([server.template, '--pages', '1', '-o', await tempDir(t), '--json']);
	assert.equal(loud.code, 1);
	assert.deepEqual(
		loud.stderr.split('\n').filter(line => line.startsWith('imgscrape: ')),
		[`imgscrape: warning: ${host} asks for a Crawl-delay of 86400 s, past the 60 s honoured (--max-crawl-delay): its pages fail as robots`],
	);
	const {code, stdout, stderr} = await runCli([server.template, '--pages', '1', '-o', await tempDir(t), '-q', '--json']);
	assert.equal(code, 1);
	assert.deepEqual(
		stderr.split('\n').filter(line => line !== ''),
		[
			`imgscrape: failed: 1 page (robots 1); ${server.template.replace('{_page}', '')}: ${server.url}robots.txt asks for a Crawl-delay of 86400 s, past the 60 s honoured (--max-crawl-delay): the site is skipped`,
		],
	);
	const report = JSON.parse(stdout) as {warnings: Warning[]; failuresByCategory: Record<string, number>};
	assert.deepEqual(
		report.warnings.map(warning => warning.code),
		['crawl-delay-capped'],
	);
	assert.deepEqual(report.failuresByCategory, {robots: 1});
});

test('a Crawl-delay that slows the run is honoured and warned about once; one that does not is not', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000, recordRequests: true, robots: 'User-agent: *\nCrawl-delay: 0.2\n'});
	// The gate's own grants, on its own clock: each start is at least the Crawl-delay after the one before.
	const gate = createHostGate({perHost: defaults.perHost, interval: 0});
	const starts: number[] = [];
	const recording: HostGate = {
		...gate,
		async acquire(host, signal) {
			const release = await gate.acquire(host, signal);
			starts.push(performance.now());
			return release;
		},
	};
	const slowed = await scrapeWithEvents({urls: [server.template], pages: '1', out: await tempDir(t)}, {hostGate: recording});
	assert.equal(slowed.report.downloaded, 2);
	const host = new URL(server.url).host;
	const warnings = warningsOf(slowed.events);
	assert.deepEqual(
		warnings.map(warning => warning.code),
		['crawl-delay'],
	);
	assert.equal(warnings[0]!.message, `${host} asks for a Crawl-delay of 0.2 s: its requests start at least 0.2 s apart`);
	assert.deepEqual(slowed.report.warnings, warnings);
	assert.equal(server.requests().length, 4, 'robots.txt, the page, two images');
	assert.equal(starts.length, 4);
	// A timer may fire a fraction of a millisecond early by performance.now(); a busy machine only widens the gaps.
	const gaps = starts.slice(1).map((start, index) => start - starts[index]!);
	assert.ok(
		gaps.slice(1).every(gap => gap >= 199),
		`the gaps after robots.txt: ${gaps.map(gap => gap.toFixed(1)).join(', ')} ms`,
	);

	// --delay already spaces them further: the Crawl-delay changes nothing, so nothing is said.
	const spaced = await scrapeWithEvents({urls: [server.template], pages: '1', out: await tempDir(t), delay: 250});
	assert.equal(spaced.report.downloaded, 2);
	assert.deepEqual(warningsOf(spaced.events), []);

	// A lower cap turns the same site away.
	const capped = await scrapeWithEvents({urls: [server.template], pages: '1', out: await tempDir(t), maxCrawlDelay: 100});
	assert.deepEqual(capped.report.failuresByCategory, {robots: 1});
	assert.match(capped.report.failures[0]!.message, /Crawl-delay of 0\.2 s, past the 0\.1 s honoured/);
	assert.deepEqual(
		warningsOf(capped.events).map(warning => warning.code),
		['crawl-delay-capped'],
	);
});

test('one page of images is queued in chunks under the download backlog bound, and every image is saved', async t => {
	const images = 1000;
	const concurrency = 4;
	// Twenty times the bound: the page is queued in many chunks (the default bound is 2,000).
	const backlog = 50;
	const {maxBacklog} = flowControl;
	flowControl.maxBacklog = backlog;
	t.after(() => {
		flowControl.maxBacklog = maxBacklog;
	});
	const server = await gallery(t, {pages: 1, perPage: images, size: 300});
	const out = await tempDir(t);
	let queued = 0;
	let started = 0;
	let peakWaiting = 0;
	let pageImages = -1;
	const report = await scrape({
		urls: [server.template],
		pages: '1',
		out,
		concurrency,
		robots: 'ignore',
		onEvent(event) {
			if (event.type === 'image-queued') {
				queued++;
				peakWaiting = Math.max(peakWaiting, queued - started);
			} else if (event.type === 'image-start') {
				started++;
			} else if (event.type === 'page') {
				pageImages = event.result.images.length;
			}
		},
	});
	// A download counts as started only once its task has checked the manifest, so up to
	// `concurrency` tasks already taken off the queue still count as waiting here.
	assert.ok(peakWaiting <= backlog + concurrency, `${peakWaiting} downloads queued but not started, for a bound of ${backlog}`);
	assert.ok(peakWaiting >= backlog / 2, `the queue never filled (${peakWaiting}): the bound was not exercised`);
	assert.equal(queued, images);
	assert.equal(started, images);
	assert.ok(server.stats().image.peakInFlight <= concurrency);
	assert.equal(pageImages, images, 'the page result still lists every image of the page');
	assert.deepEqual(
		report.pageResults.map(page => page.images),
		[images],
	);
	assert.equal(report.downloaded, images);
	assert.equal(report.failed, 0);
	assert.equal((await listFiles(out)).length, images);
});

test("cancelling the run stops queueing the rest of a page's images", async t => {
	const {maxBacklog} = flowControl;
	flowControl.maxBacklog = 50;
	t.after(() => {
		flowControl.maxBacklog = maxBacklog;
	});
	const server = await gallery(t, {pages: 1, perPage: 1000, size: 300});
	const controller = new AbortController();
	let queued = 0;
	const report = await scrape({
		urls: [server.template],
		pages: '1',
		out: await tempDir(t),
		concurrency: 4,
		robots: 'ignore',
		signal: controller.signal,
		onEvent(event) {
			if (event.type === 'image-queued') {
				queued++;
			} else if (event.type === 'image-done' && !controller.signal.aborted) {
				controller.abort();
			}
		},
	});
	assert.equal(report.aborted, true);
	assert.ok(queued <= 50 + 4, `${queued} images queued after the abort`);
	assert.ok(server.stats().image.requests < 1000);
});
