import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import path from 'node:path';
import {test} from 'node:test';
import fc from 'fast-check';
import {flagsOf, flagTable, kebab, type Flag} from '../src/cli/args.js';
import {parseDuration, parseNumber} from '../src/cli/flag-values.js';
import {parseArgs} from '../src/cli/parse-args.js';
import {closest} from '../src/cli/suggest.js';
import {createBandwidthLimit, type BandwidthClock} from '../src/http/bandwidth.js';
import {createHttpClient} from '../src/http/client.js';
import {createHostGate, type GateClock} from '../src/http/host-gate.js';
import {version} from '../src/version.js';
import {runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

/** The options a parsed command line sets; `status` and `forget` take none. */
function optionsOf(parsed: Awaited<ReturnType<typeof parseArgs>>): unknown {
	const invocation = parsed.invocation;
	return invocation !== undefined && 'options' in invocation ? invocation.options : undefined;
}

/** Nothing listens on port 9 of loopback: a command line that got past its checks would fail fast as network, exit 1, not 2. */
const url = 'http://127.0.0.1:9/';

/** The one line a refused command line prints, asserting it is one line, exit 2, no stack. */
async function refusal(args: string[], options: {stdin?: string} = {}): Promise<string> {
	const {code, stdout, stderr} = await runCli(args, options);
	assert.equal(code, 2, `${JSON.stringify(args)} exits 2: ${stderr}`);
	assert.equal(stdout, '', 'nothing on stdout');
	assert.match(stderr, /^imgscrape: [^\n]*\n$/, `${JSON.stringify(args)}: one line on stderr, got ${JSON.stringify(stderr)}`);
	assert.doesNotMatch(stderr, /\bat .*:\d+:\d+|\((number|string|object|boolean)\)|Unknown argument/, `${JSON.stringify(args)}: ${stderr}`);
	if (!args.includes('NaN')) {
		assert.doesNotMatch(stderr, /NaN/, 'no value the user did not type');
	}
	return stderr.slice('imgscrape: '.length, -1);
}

test('each refusal names the flag as typed, quotes the raw value and says what is expected, on one line', async t => {
	const rows: Array<[string[], string]> = [
		[[url, '--limit-rate'], '--limit-rate needs a value'],
		[[url, '--limit-rate', 'fast'], '--limit-rate: expected a size such as 500000, 500k, 10MB or 2MiB, got `fast`'],
		[[url, '--no-clobber', '-c', 'abc'], '-c: expected a whole number from 1 and up or `auto`, got `abc`'],
		[[url, '--timeout', 'soon'], '--timeout: expected a duration such as 500 (ms), 500ms, 2s or 1m, got `soon`'],
		[[url, '--timeout', '0s'], '--timeout: expected a whole number of milliseconds from 1 to 2147483647, got `0s`'],
		[[url, '--rate', '100k'], '--rate: expected a number, got `100k`'],
		[[url, '--request-rate', '0'], '--request-rate: expected a number above 0, got `0`'],
		[[url, '-c', ''], '-c: expected a value, got an empty value'],
		[[url, '--retries', ''], '--retries: expected a number, got an empty value'],
		[[url, '--deadline', ''], '--deadline: expected a duration such as 500 (ms), 500ms, 2s or 1m, got an empty value'],
		[[url, '-c', '0x10'], '-c: expected a whole number from 1 and up or `auto`, got `0x10`'],
		[[url, '--retries', '0x10'], '--retries: expected a number, got `0x10`'],
		[[url, '--retries', '1.5e'], '--retries: expected a number, got `1.5e`'],
		[[url, '--concurency', '4'], 'unknown option --concurency (did you mean --concurrency?)'],
		[[url, '--limit-rat', '4'], 'unknown option --limit-rat (did you mean --limit-rate?)'],
		[['lsit', url], 'unknown command `lsit` (did you mean list?)'],
		[['-o', 'a', '-o', 'b', '-c', '0', url], '-c: expected a whole number from 1 and up, got `0`'],
		[['http://127.0.0.1:9/{page}', '--pages', '5-1'], '--pages `5-1` counts down from 5 to 1: write the smaller page first, 1-5'],
		[['127.0.0.1:8081/x.html'], '`127.0.0.1:8081/x.html` is not a URL (did you mean http://127.0.0.1:8081/x.html?)'],
		[['example.com/gallery/'], '`example.com/gallery/` is not a URL (did you mean http://example.com/gallery/?)'],
		[['not a url'], '`not a url` is not a URL: give a page URL such as https://example.com/gallery/'],
		[[url, '--user-agent', 'a\r\nX-Evil: 1'], '--user-agent: expected a header value on one line, without control characters, got `a\\r\\nX-Evil: 1`'],
		[[url, '-U', 'bell\u0007'], '-U: expected a header value on one line, without control characters, got `bell\\u0007`'],
		[[url, '--name', '{'], '--name: expected a template whose braces each hold one field such as {name}, got `{`'],
		[[url, '--name', '{name}}'], '--name: expected a template whose braces each hold one field such as {name}, got `{name}}`'],
		[[url, '--cookie', ';;;'], '--cookie: expected name=value pairs separated by semicolons, got `;;;`'],
		[[url, '--json=maybe'], '--json takes no value, got `maybe` (use --json or --no-json)'],
		[[url, '--srcset', 'larges'], '--srcset: expected one of largest, all, src, got `larges` (did you mean largest?)'],
		[['list', url, '-o', 'out'], '-o is not an option of list; only scrape, demo, config and join take it'],
		[['serve', 'now'], 'serve takes no arguments, got `now`'],
		[['serve', '--latency', '1x'], '--latency: expected a duration such as 500 (ms), 500ms, 2s or 1m, got `1x`'],
		[['demo', '-c', '0'], '-c: expected a whole number from 1 and up, got `0`'],
		[[url, '--wait', '-1s'], '--wait needs a value: a duration such as 500 (ms), 500ms, 2s or 1m'],
		[[url, '--pages'], '--pages needs a value'],
		[[url, '--depth', '2'], '--depth needs `follow`: the selector of the links to go down'],
	];
	for (const [args, message] of rows) {
		await t.test(args.join(' '), async () => {
			assert.equal(await refusal(args), message);
		});
	}
});

test('-i: an empty file and a bad line name the file, and the line', async t => {
	const dir = await tempDir(t);
	const empty = path.join(dir, 'empty.txt');
	await writeFile(empty, '# nothing yet\n\n');
	assert.equal(await refusal(['-i', empty]), `The input file \`${empty}\` holds no page URL (only blank lines and # comments): put one URL per line`);
	const bad = path.join(dir, 'pages.txt');
	await writeFile(bad, `# gallery\n${url}\n\nnot a url\n`);
	assert.equal(await refusal(['list', '-i', bad]), `${bad}:4: \`not a url\` is not a URL: give a page URL such as https://example.com/gallery/`);
	assert.equal(await refusal(['list', '-i', '-'], {stdin: 'example.com/a\n'}), 'stdin:1: `example.com/a` is not a URL (did you mean http://example.com/a?)');
	assert.equal(await refusal(['-i', path.join(dir, 'missing.txt')]), `Cannot read the input file \`${path.join(dir, 'missing.txt')}\`: no such file`);
	assert.equal(await refusal(['-i', dir]), `Cannot read the input file \`${dir}\`: it is a folder`);
});

test('environment problems are one line, exit 2: a port in use', async t => {
	const busy = createServer();
	await new Promise<void>(resolve => busy.listen(0, '127.0.0.1', resolve));
	t.after(() => busy.close());
	const {port} = busy.address() as {port: number};
	assert.equal(
		await refusal(['serve', '--port', String(port)]),
		`Cannot listen on port \`${port}\` (--port): it is in use by another program; pick another, or --port 0 for any free one`,
	);
});

test('validation comes before any side effect: no folder made, no gallery started', async t => {
	const dir = await tempDir(t);
	const out = path.join(dir, 'new');
	await refusal([url, '-o', out, '-c', '0']);
	await refusal([url, '-o', out, '--timeout', 'soon']);
	assert.equal(existsSync(out), false, 'no folder for a refused run');
	// The demo prints its gallery's address once started: the refusal is the only line.
	assert.equal(await refusal(['demo', '-c', '0', '-o', out]), '-c: expected a whole number from 1 and up, got `0`');
	assert.equal(existsSync(out), false);
});

test('a single-value flag takes its last value; a repeatable one keeps them all', async () => {
	const parsed = await parseArgs(['-o', 'a', '-o', 'b', '-c', '1', '-c', '4', '--timeout', '1s', '--timeout', '2s', '--json', '--no-json', url]);
	assert.equal(parsed.error, undefined);
	assert.deepEqual(parsed.invocation, {command: 'scrape', options: {urls: [url], out: 'b', concurrency: 4, timeout: 2000}, cli: {json: false}});
	const repeated = await parseArgs([
		url,
		'-H',
		'A: 1',
		'-H',
		'B: 2',
		'--cookie',
		'a=1',
		'--cookie',
		'b=2',
		'--include',
		'x',
		'--include',
		'y',
		'--pages',
		'1-2',
		'--pages',
		'5',
		'--accept',
		'jpg',
		'--accept',
		'png',
	]);
	assert.equal(repeated.error, undefined);
	assert.deepEqual(optionsOf(repeated), {
		urls: [url],
		header: ['A: 1', 'B: 2'],
		cookie: 'a=1; b=2',
		include: ['x', 'y'],
		pages: '1-2,5',
		accept: 'jpg,png',
	});
});

test('the table marks every list flag repeatable, and only flags that gather a list or join one', () => {
	for (const [section, flags] of Object.entries(flagTable)) {
		for (const [key, flag] of Object.entries(flags as Record<string, Flag | null>)) {
			if (flag === null) {
				continue;
			}

			if (flag.array === true) {
				assert.equal(flag.repeatable, true, `${section}.${key} takes an array: it is repeatable`);
			}

			if (flag.join !== undefined) {
				assert.equal(flag.repeatable, true, `${section}.${key} joins its values: it is repeatable`);
			}
		}
	}

	// The options that take a list (typed so in ScrapeOptions; the table's type checks it too).
	for (const key of ['allowHost', 'header', 'accept', 'include', 'exclude', 'rewrite', 'pages'] as const) {
		assert.equal(flagTable.options[key].repeatable, true, key);
	}

	for (const key of ['out', 'concurrency', 'timeout', 'userAgent', 'name', 'variants'] as const) {
		assert.equal((flagTable.options[key] as Flag).repeatable, undefined, `${key} takes its last value`);
	}
});

test('durations take units, plain numbers are ms; numbers are plain decimals', async () => {
	assert.deepEqual(['500', '500ms', '2s', '1.5s', '1m', '1h', '0'].map(parseDuration), [500, 500, 2000, 1500, 60_000, 3_600_000, 0]);
	assert.deepEqual(['', 'ms', '2 x', '-1s', '0x10', '1e3', 'Infinity'].map(parseDuration), Array(7).fill(undefined));
	assert.deepEqual(['7', '-3', '2.5', '.5', '1e-7'].map(parseNumber), [7, -3, 2.5, 0.5, 1e-7]);
	assert.deepEqual(['', ' ', '0x10', '0b1', '0o7', 'NaN', 'Infinity', '1_000', '7k', 'e3'].map(parseNumber), Array(10).fill(undefined));
	const parsed = await parseArgs([url, '--timeout', '2s', '--delay', '250', '--retry-delay', '1m', '--deadline', '500ms', '--wait', '1s']);
	assert.equal(parsed.error, undefined);
	// --wait is --delay's other name: the last of the two wins.
	assert.deepEqual(optionsOf(parsed), {urls: [url], timeout: 2000, delay: 1000, retryDelay: 60_000, deadline: 500});
	const serve = await parseArgs(['serve', '--latency', '1s', '--jitter', '20ms']);
	const served = optionsOf(serve) as {latency?: number; jitter?: number} | undefined;
	assert.equal(served?.latency, 1000);
	assert.equal(served?.jitter, 20);
});

test('the spellings wget, curl and gallery-dl users guess', async t => {
	const rows: Array<[string[], Record<string, unknown>, Record<string, unknown>?]> = [
		[['-nc', url], {overwrite: false}],
		[['--no-clobber', url], {overwrite: false}],
		[['-P', 'imgs', url], {out: 'imgs'}],
		[['--directory-prefix', 'imgs', url], {out: 'imgs'}],
		[['-U', 'Mozilla/5.0', url], {userAgent: 'Mozilla/5.0'}],
		[['--wait', '2s', url], {delay: 2000}],
		[['--random-wait', url], {randomWait: true}],
		[['--limit-rate', '500k', url], {limitRate: '500k'}],
		[['--request-rate', '2', url], {rate: 2}],
		[['--rate', '2', url], {rate: 2}],
	];
	for (const [args, options] of rows) {
		await t.test(args.join(' '), async () => {
			const parsed = await parseArgs(args);
			assert.equal(parsed.error, undefined);
			assert.deepEqual(parsed.invocation, {command: 'scrape', options: {urls: [url], ...options}, cli: {}});
		});
	}

	await t.test('-s is the dry run list is', async () => {
		const parsed = await parseArgs(['-s', url, '-c', '4']);
		assert.deepEqual(parsed.invocation, {command: 'list', options: {urls: [url], concurrency: 4, download: false}, cli: {simulate: true}});
	});

	await t.test('list takes -q and --json, as its help says', async () => {
		const parsed = await parseArgs(['list', url, '-q', '--json']);
		assert.equal(parsed.error, undefined);
		assert.deepEqual(parsed.invocation, {command: 'list', options: {urls: [url], download: false}, cli: {quiet: true, json: true}});
	});

	await t.test('-V and --version print the version', async () => {
		for (const flag of ['-V', '--version']) {
			const {code, stdout} = await runCli([flag]);
			assert.equal(code, 0);
			assert.equal(stdout.trim(), version);
		}
	});

	await t.test('the help names them', async () => {
		const {stdout} = await runCli(['--help']);
		for (const word of [
			'--no-clobber',
			'-nc',
			'-P',
			'--directory-prefix',
			'-U',
			'--wait',
			'--random-wait',
			'--limit-rate',
			'--request-rate',
			'--simulate',
			'-V',
		]) {
			assert.ok(stdout.includes(word), `help names ${word}`);
		}
	});
});

test('did-you-mean is by edit distance, and stays quiet when nothing is near', () => {
	assert.equal(closest('--concurency', ['--concurrency', '--page-concurrency']), '--concurrency');
	assert.equal(closest('lsit', ['scrape', 'list', 'serve']), 'list');
	assert.equal(closest('--zzzzzz', ['--concurrency', '--out']), undefined);
	assert.equal(closest('x', ['c', 'o']), undefined);
});

/** The flags of scrape that read a number (or a duration) from their text. */
const numberFlags = flagsOf('scrape').filter(({flag}) => flag.type === 'number');

test('a few hundred garbage values and flags: each is one line on stderr, exit 2, no stack', async () => {
	const garbage = fc.oneof(
		fc.constantFrom('', ' ', '0x10', '1e', 'NaN', 'Infinity', '-', '--', '1s2', '١٢', '\r\n', '5k', '1,5', '0b1', '+-1', '1..2'),
		fc.string({maxLength: 8}),
		fc.string({maxLength: 4}).map(text => `0x${text}`),
	);
	// A value either flag kind would take is no garbage.
	const isGarbage = (flag: Flag, value: string): boolean => (flag.unit === 'ms' ? parseDuration(value) : parseNumber(value)) === undefined;
	const numberCase = fc
		.record({index: fc.nat({max: numberFlags.length - 1}), value: garbage, inline: fc.boolean()})
		.filter(({index, value}) => isGarbage(numberFlags[index]!.flag, value))
		.map(({index, value, inline}) => {
			const name = `--${kebab(numberFlags[index]!.key)}`;
			return inline ? [`${name}=${value}`] : [name, value];
		});
	const flagName = fc.stringMatching(/^[a-z][a-z-]{0,14}$/).filter(name => !flagsOf('scrape').some(({key}) => kebab(key) === name || key === name));
	const otherCase = fc.oneof(
		flagName.map(name => [`--${name}`]),
		fc.stringMatching(/^[a-z{}]{0,6}\{[a-z]{0,4}$/).map(name => ['--name', name]),
		fc.stringMatching(/^[; ]{1,6}$/).map(cookie => ['--cookie', cookie]),
		fc
			.tuple(fc.string({maxLength: 4}), fc.constantFrom('\r', '\n', '\u0000', '\u001B'), fc.string({maxLength: 4}))
			.map(([a, control, b]) => ['-U', `${a}${control}${b}`]),
		fc
			.string({minLength: 1, maxLength: 6})
			.filter(value => !/^(true|false)$/.test(value))
			.map(value => [`--json=${value}`]),
		fc.constantFrom(['--srcset', 'big'], ['--robots', 'no'], ['--variants', 'some'], ['-c', '-1'], ['-c', 'autox'], ['--pages', '0-3']),
	);
	let runs = 0;
	await fc.assert(
		fc.asyncProperty(fc.oneof(numberCase, otherCase), async args => {
			runs++;
			const full = args[0] === '--pages' ? ['http://127.0.0.1:9/{page}', ...args] : [url, '--retries', '0', ...args];
			await refusal(full);
		}),
		{numRuns: 300, seed: 18},
	);
	assert.equal(runs, 300);
});

test('--limit-rate: one bucket for the run; a body in debt waits the debt out at the rate', () => {
	const waits: number[] = [];
	let now = 0;
	const clock: BandwidthClock = {
		now: () => now,
		async sleep(ms) {
			waits.push(ms);
		},
	};
	const limit = createBandwidthLimit(1000, clock);
	// A full bucket lets one second's worth through at once.
	assert.equal(limit.take(600), undefined);
	assert.equal(limit.take(400), undefined);
	// Then every byte is owed: 500 bytes at 1000/s is half a second.
	assert.ok(limit.take(500) !== undefined);
	assert.deepEqual(waits, [500]);
	// Two bodies share the bucket: the second waits behind the first's debt.
	void limit.take(500);
	assert.deepEqual(waits, [500, 1000]);
	// Time pays the debt back, and refills up to a second's worth at most.
	now = 10_000;
	assert.equal(limit.take(1000), undefined);
	assert.ok(limit.take(1) !== undefined);
	assert.equal(limit.bytes, 3001);
});

test('--limit-rate paces every body the client reads: bytes counted over the fixture server, waits as computed', async t => {
	const server = await gallery(t, {pages: 1, perPage: 4, size: 30_000});
	const waits: number[] = [];
	const clock: BandwidthClock = {
		// Time stands still, so nothing is paid back: the waits add up to exactly what the bytes past the first second owe.
		now: () => 0,
		async sleep(ms) {
			waits.push(ms);
		},
	};
	const bandwidth = createBandwidthLimit(10_000, clock);
	const client = createHttpClient({timeout: 5000, userAgent: 'test', maxRedirects: 0, bandwidth});
	t.after(async () => client.close());
	let received = 0;
	for (const image of server.imageUrls()) {
		const page = await client.getBytes(image, 1_000_000);
		received += page.bytes.length;
	}

	assert.equal(received, 120_000);
	assert.equal(bandwidth.bytes, 120_000, 'every byte went through the bucket');
	assert.ok(waits.length > 0);
	assert.equal(waits.at(-1), Math.ceil(((120_000 - 10_000) * 1000) / 10_000), 'the last chunk waits for all the debt');
	assert.deepEqual(
		waits,
		[...waits].sort((a, b) => a - b),
		'each wait is behind the one before',
	);
});

test('--limit-rate end to end: a throttled body is paused, not timed out', async t => {
	const server = await gallery(t, {pages: 1, perPage: 3, size: 20_000});
	const out = await tempDir(t);
	// 60 kB at 30 kB/s keeps each body waiting past the 300 ms idle timeout: the waits must not count as idle.
	const {code, stderr} = await runCli([server.template, '--pages', '1', '-o', out, '--limit-rate', '30k', '--timeout', '300ms', '-q', '--retries', '0']);
	assert.equal(code, 0, stderr);
	assert.equal((await listFiles(out)).filter(file => file.endsWith('.jpg')).length, 3);
});

test('--random-wait spreads each interval between 0.5 and 1.5 times itself', async () => {
	for (const random of [0, 0.5, 0.99]) {
		const expected = Math.ceil(100 * (0.5 + random));
		const timers: number[] = [];
		const clock: GateClock = {
			now: () => 0,
			setTimeout(_callback, ms) {
				timers.push(ms);
				return timers.length;
			},
			clearTimeout() {},
		};
		const gate = createHostGate({perHost: Number.POSITIVE_INFINITY, interval: 100, randomWait: true, random: () => random}, clock);
		await gate.acquire('a:80');
		void gate.acquire('a:80');
		assert.deepEqual(timers, [expected], `random ${random}`);
	}
});
