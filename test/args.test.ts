import assert from 'node:assert/strict';
import {test} from 'node:test';
import {flagsOf, flagTable, kebab, optionFlags, type CommandName, type Flag} from '../src/cli/args.js';
import {parseArgs, type Invocation} from '../src/cli/parse-args.js';
import {defaults} from '../src/defaults.js';
import {resolveOptions, type ScrapeOptions} from '../src/index.js';

const url = 'http://a.example/';
const serveDefaults = {
	port: 0,
	pages: 4,
	perPage: 20,
	size: 100_000,
	latency: 0,
	jitter: 0,
	imageCapacity: 0,
	pageCapacity: 0,
	overload: 'refuse' as const,
	overloadLatency: 100,
};

test('argv -> invocation: the command and the options its flags set, as given', async t => {
	const rows: Array<[string[], Invocation]> = [
		[[url], {command: 'scrape', options: {urls: [url]}, cli: {}}],
		[['scrape', url, 'http://b.example/'], {command: 'scrape', options: {urls: [url, 'http://b.example/']}, cli: {}}],
		[['-c', '50', '-o', 'out', url], {command: 'scrape', options: {urls: [url], concurrency: 50, out: 'out'}, cli: {}}],
		[
			[url, '--page-concurrency', '3', '--next', 'auto', '--max-pages', '9'],
			{command: 'scrape', options: {urls: [url], pageConcurrency: 3, next: 'auto', maxPages: 9}, cli: {}},
		],
		[[url, '--parse-workers', '2'], {command: 'scrape', options: {urls: [url], parseWorkers: 2}, cli: {}}],
		[[url, '--parse-workers', 'auto'], {command: 'scrape', options: {urls: [url], parseWorkers: 'auto'}, cli: {}}],
		[[url, '-H', 'A: b'], {command: 'scrape', options: {urls: [url], header: 'A: b'}, cli: {}}],
		[[url, '-H', 'A: b', '--header', 'C: d'], {command: 'scrape', options: {urls: [url], header: ['A: b', 'C: d']}, cli: {}}],
		[[url, '--no-referer'], {command: 'scrape', options: {urls: [url], referer: false}, cli: {}}],
		[[url, '--allow-host', 'cdn.example'], {command: 'scrape', options: {urls: [url], allowHost: ['cdn.example']}, cli: {}}],
		[[url, '--ignore-robots'], {command: 'scrape', options: {urls: [url], robots: 'ignore'}, cli: {}}],
		[[url, '--ignore-robots', '--robots', 'ignore'], {command: 'scrape', options: {urls: [url], robots: 'ignore'}, cli: {}}],
		[
			[url, '--max-size', '10MB', '--min-speed', '1k', '--accept', 'jpg,png'],
			{command: 'scrape', options: {urls: [url], maxSize: '10MB', minSpeed: '1k', accept: 'jpg,png'}, cli: {}},
		],
		[
			[url, '--data-uris', '--dedupe-content', '--no-links'],
			{command: 'scrape', options: {urls: [url], dataUris: true, dedupeContent: true, links: false}, cli: {}},
		],
		[
			['-i', 'pages.txt', '--json', '-q', '--report', 'r.json'],
			{command: 'scrape', options: {urls: []}, cli: {inputFile: 'pages.txt', json: true, quiet: true, report: 'r.json'}},
		],
		[['list', url, '--links', '--report', 'r.json'], {command: 'list', options: {urls: [url], links: true, download: false}, cli: {report: 'r.json'}}],
		[['serve'], {command: 'serve', options: serveDefaults}],
		[['serve', '--per-page', '3', '--site', 'gbk-site'], {command: 'serve', options: {...serveDefaults, perPage: 3, site: 'gbk-site'}}],
		[
			['serve', '--image-capacity', '6', '--overload', 'slow', '--overload-latency', '250'],
			{command: 'serve', options: {...serveDefaults, imageCapacity: 6, overload: 'slow', overloadLatency: 250}},
		],
		[['demo'], {command: 'demo', options: {}}],
		[['demo', '-o', 'kept', '-c', '2'], {command: 'demo', options: {out: 'kept', concurrency: 2}}],
		[['bench'], {command: 'bench', options: {repeat: 3}}],
		[
			['bench', '--preset', 'wide', '-c', '1,4', '--per-page', '5', '--parse-workers', '0,1', '--csv'],
			{command: 'bench', options: {preset: 'wide', concurrency: '1,4', perPage: 5, parseWorkers: '0,1', csv: true, repeat: 3}},
		],
	];
	for (const [args, invocation] of rows) {
		await t.test(args.join(' ') || '(nothing)', async () => {
			const parsed = await parseArgs(args);
			assert.equal(parsed.error, undefined);
			assert.equal(parsed.output, '');
			assert.deepEqual(parsed.invocation, invocation);
		});
	}
});

test('argv refused: the error names the flag; --help and --version come back as output', async t => {
	const rows: Array<[string[], RegExp]> = [
		[['list', url, '-o', 'out'], /^-o is not an option of list; only scrape, demo, config and join take it$/],
		[['serve', '--selector', 'img'], /^--selector is not an option of serve; only scrape, list and config take it$/],
		[[url, '--srcset', 'tiny'], /^--srcset: expected one of largest, all, src, got `tiny`$/],
		[[url, '--robots', 'strict', '--ignore-robots'], /^--ignore-robots contradicts --robots strict$/],
		[['bench', '--json', '--csv'], /^--json and --csv cannot be used together$/],
	];
	for (const [args, message] of rows) {
		await t.test(args.join(' '), async () => {
			const parsed = await parseArgs(args);
			assert.equal(parsed.invocation, undefined);
			assert.match(parsed.error?.message ?? '', message);
		});
	}

	await t.test('--help', async () => {
		const parsed = await parseArgs(['list', '--help']);
		assert.equal(parsed.invocation, undefined);
		assert.match(parsed.output, /--page-concurrency/);
		assert.doesNotMatch(parsed.output, /--out/);
	});
});

/** A value for a flag, as typed and as parsed: the first choice, a string, a number, or the flag alone for a boolean. */
function sample(flag: Flag): {args: string[]; value: unknown} {
	if (flag.choices !== undefined) {
		return {args: [String(flag.choices[0])], value: flag.choices[0]};
	}

	if (flag.type === 'boolean') {
		return {args: [], value: true};
	}

	if (flag.type === 'number') {
		return {args: ['7'], value: 7};
	}

	return {args: ['x'], value: flag.array ? ['x'] : 'x'};
}

test("every flag of the table reaches its command's invocation under its own key", async t => {
	const commands: CommandName[] = ['scrape', 'list', 'serve', 'demo', 'bench'];
	for (const command of commands) {
		for (const {section, key, flag} of flagsOf(command)) {
			await t.test(`${command} --${kebab(key)}`, async () => {
				const {args, value} = sample(flag);
				const positional = command === 'scrape' || command === 'list' ? [url] : [];
				const parsed = await parseArgs([command, ...positional, `--${kebab(key)}`, ...args]);
				assert.equal(parsed.error, undefined);
				const invocation = parsed.invocation as {command: string; options: Record<string, unknown>; cli?: Record<string, unknown>};
				// -s is the dry run list is.
				assert.equal(invocation.command, key === 'simulate' ? 'list' : command);
				if (section === 'shorthands') {
					for (const [option, set] of Object.entries((flag as Flag & {sets: object}).sets)) {
						assert.equal(invocation.options[option], set);
					}
				} else {
					assert.deepEqual((section === 'cli' ? invocation.cli : invocation.options)?.[key], value);
				}
			});
		}
	}
});

test('no command takes a flag name or alias twice', () => {
	for (const command of ['scrape', 'list', 'serve', 'demo', 'bench'] as const) {
		const names = flagsOf(command).flatMap(({key, flag}) => [key, ...[flag.alias ?? []].flat()]);
		assert.deepEqual(
			names.filter((name, index) => names.indexOf(name) !== index),
			[],
			command,
		);
	}
});

test('the options table covers every option with a default, and shows that default', () => {
	const table: Record<string, Flag | null> = optionFlags;
	for (const [key, value] of Object.entries(defaults)) {
		if (key === 'manifest') {
			// The file name `archive` defaults to, in `out`.
			assert.equal(optionFlags.archive.defaultDescription, `<out>/${value}`);
			continue;
		}

		assert.ok(key in table, `${key} has a default but no entry in the table`);
		const flag = table[key];
		if (flag === null) {
			assert.equal(key, 'download', 'only `download` has a default and no flag (list turns it off)');
		} else if (typeof value === 'number' && !Number.isFinite(value)) {
			assert.match(flag!.defaultDescription ?? '', /^no (cap|limit)$/, key);
		} else if (key !== 'userAgent') {
			assert.equal(flag!.defaultDescription, String(value), key);
		}
	}
});

test('every flag of the options table names an option resolveOptions checks', async t => {
	for (const [key, flag] of Object.entries(optionFlags as Record<string, Flag | null>)) {
		if (flag === null) {
			continue;
		}

		await t.test(key, () => {
			assert.throws(
				() => resolveOptions({urls: ['http://h/'], [key]: Number.NaN} as ScrapeOptions),
				(error: Error) => error.message.includes(`\`${key}\``),
			);
		});
	}
});

test('the sections of the table are the ones the commands read', () => {
	assert.deepEqual(Object.keys(flagTable), ['options', 'shorthands', 'cli', 'serve', 'demo', 'bench', 'config']);
	const sections = (command: CommandName) => [...new Set(flagsOf(command).map(({section}) => section))];
	assert.deepEqual(sections('scrape'), ['options', 'shorthands', 'cli']);
	assert.deepEqual(sections('list'), ['options', 'shorthands', 'cli']);
	assert.deepEqual(sections('serve'), ['serve']);
	assert.deepEqual(sections('demo'), ['demo']);
	assert.deepEqual(sections('bench'), ['bench']);
	// config also takes scrape's option flags (parse-args adds them), to show what they change.
	assert.deepEqual(sections('config'), ['cli', 'config']);
});
