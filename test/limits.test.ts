import assert from 'node:assert/strict';
import {availableParallelism} from 'node:os';
import {test} from 'node:test';
import {startFixtureServer} from '../src/fixture-server/index.js';
import {resolveOptions, scrape, type ScrapeOptions} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {tempDir} from './helpers/temp.js';

const maxTimerMs = 2_147_483_647;

/** A one-line usage error on stderr, exit 2, and no stack trace. */
function assertUsage(result: {code: number; stderr: string}, message: RegExp): void {
	assert.equal(result.code, 2, result.stderr);
	const lines = result.stderr.trim().split('\n');
	assert.match(lines[0]!, message);
	assert.ok(!result.stderr.includes('    at '), `a stack trace: ${result.stderr}`);
	// The line itself, then at most the pointer to --help.
	assert.ok(lines.length === 1 || (lines.length === 2 && lines[1]!.includes('--help')), result.stderr);
}

const outOfRange: Array<{option: keyof ScrapeOptions; flag: string; value: number; message: RegExp}> = [
	{option: 'delay', flag: '--delay', value: 3_000_000_000, message: /`delay` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'delay', flag: '--delay', value: maxTimerMs + 1, message: /`delay` to be at most 2147483647 ms.*got `2147483648`/},
	{option: 'rate', flag: '--rate', value: 0.000_000_1, message: /`rate` to be at least 4\.66e-7 requests per second.*got `1e-7`/},
	{option: 'deadline', flag: '--deadline', value: 3_000_000_000, message: /`deadline` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'timeout', flag: '--timeout', value: 3_000_000_000, message: /`timeout` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'retryDelay', flag: '--retry-delay', value: 3_000_000_000, message: /`retryDelay` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'maxRetryAfter', flag: '--max-retry-after', value: 3_000_000_000, message: /`maxRetryAfter` to be at most 2147483647 ms.*got `3000000000`/},
	{option: 'parseWorkers', flag: '--parse-workers', value: 2000, message: new RegExp(`\`parseWorkers\` to be at most ${4 * availableParallelism()} \\(4 per available core.*got \`2000\``)},
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
			assertUsage(await runCli(['http://127.0.0.1:1/', '-o', out, '-q', flag, String(value)]), message);
		});
	}
});

test('the longest a timer holds is still accepted', () => {
	const resolved = resolveOptions({urls: ['http://h/'], delay: maxTimerMs, deadline: maxTimerMs, timeout: maxTimerMs, retryDelay: maxTimerMs, maxRetryAfter: maxTimerMs, rate: 1000 / maxTimerMs, parseWorkers: 4 * availableParallelism()});
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

	for (const args of [['serve', '--latency', '3000000000'], ['serve', '--jitter', '3000000000'], ['bench', '--latency', '3000000000'], ['bench', '--jitter', '3000000000']]) {
		await t.test(args.join(' '), async () => {
			assertUsage(await runCli(args), new RegExp(`\`${args[1]!.slice(2)}\`.*2147483647.*3000000000|\`${args[1]!.slice(2)}\`.*3000000000`));
		});
	}
});
