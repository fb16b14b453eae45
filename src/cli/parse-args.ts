import yargs, {type Argv, type Options} from 'yargs';
import {UsageError} from '../errors.js';
import {version} from '../version.js';
import {scanArgs, type Spelled} from './argv-scan.js';
import {flagValue} from './flag-values.js';
import {
	flagsFor,
	kebab,
	type Flag,
	shorthandFlags,
	type BenchFlags,
	type CliFlags,
	type CommandLineOptions,
	type ConfigFlags,
	type CommandName,
	type DemoOptions,
	type SectionName,
	type ServeOptions,
} from './args.js';

/** What a command line asks for: the command, and what its flags set. Values are as given: the commands validate them, once. */
export type Invocation =
	| {command: 'scrape'; options: CommandLineOptions; cli: CliFlags}
	| {command: 'list'; options: CommandLineOptions; cli: CliFlags}
	| {command: 'serve'; options: ServeOptions}
	| {command: 'demo'; options: DemoOptions}
	| {command: 'bench'; options: BenchFlags}
	| {command: 'config'; url: string | undefined; options: CommandLineOptions; cli: CliFlags & ConfigFlags}
	| {command: 'join'; name: string; options: Partial<CommandLineOptions>; cli: CliFlags}
	| {command: 'status'; name: string; cli: CliFlags}
	| {command: 'forget'; name: string; cli: CliFlags};

export type InvocationOf<C extends CommandName> = Extract<Invocation, {command: C}>;

export interface ParseResult {
	/** What to run; set unless there is an error or an output. */
	invocation?: Invocation;
	/** The help or version text yargs printed instead of running anything; '' otherwise. */
	output: string;
	/** A refusal of the command line (an unknown flag, a value that is no number ...), or flags that contradict each other. */
	error?: Error;
	/** Each flag given, as typed, by table key: for putting later refusals in the user's words. */
	spelled: ReadonlyMap<string, Spelled>;
}

/** The yargs options of one command, from the table: kebab-case flags, which yargs hands back camelCased. */
function yargsOptions(command: CommandName): Record<string, Options> {
	return Object.fromEntries(
		flagsFor(command).map(({key, flag}) => {
			// Numbers come as strings, read by flagValue: yargs would make `abc` NaN, `''` 0 and `0x10` 16.
			const {
				commands: _commands,
				sets: _sets,
				repeatable: _repeatable,
				join: _join,
				unit,
				coerce: _coerce,
				type,
				describe,
				...options
			} = flag as Flag & {
				sets?: unknown;
			};
			const units = unit === 'ms' ? ' (ms, or 500ms, 2s, 1m)' : '';
			return [kebab(key), {...options, type: type === 'number' ? 'string' : type, describe: `${describe}${units}`}];
		}),
	);
}

function buildParser(args: string[]): Argv {
	return yargs(args)
		.scriptName('imgscrape')
		.usage("$0 [scrape] <url...> [options]\n\nDownload every image of a gallery's listing pages, in parallel.")
		.command(['scrape [urls..]', '$0 [urls..]'], 'Download the images of the pages (default command)', y =>
			y
				.options(yargsOptions('scrape'))
				.example(
					"$0 'https://pic.example/4kdongman/index{_page}.html' --pages 1-4 -o ./img -c 50",
					'The four listing pages index.html, index_2.html ... with 50 downloads at once',
				),
		)
		.command('list [urls..]', 'Print the image URLs as JSON lines, in page order; download nothing', y => y.options(yargsOptions('list')))
		.command('config [url]', 'Print the config file read and the options in effect for URL, each with where it came from', y =>
			y
				.options(yargsOptions('config'))
				.example('$0 config https://pic.example.com/gallery/ --profile gentle', 'What a scrape of that page would use, and why')
				.example('$0 config --init', 'Write a commented starter ./imgscrape.config.json'),
		)
		.command('join <name>', 'Work on the shared crawl NAME in --redis (waits for it to appear): only the local flags are yours', y =>
			y.options(yargsOptions('join')).example('$0 join photos --redis redis://10.0.0.5:6379 -o ./img -c 32', 'One more machine on crawl photos'),
		)
		.command('status <name>', 'The merged report of the shared crawl NAME: totals, complete, and one row per worker', y => y.options(yargsOptions('status')))
		.command('forget <name>', 'Delete every key of the shared crawl NAME from --redis', y => y.options(yargsOptions('forget')))
		.command('serve', 'Run the fixture gallery on 127.0.0.1 until Ctrl-C', y => y.options(yargsOptions('serve')))
		.command('demo', 'Scrape the built-in fixture gallery on loopback, at the default concurrency and at 1', y => y.options(yargsOptions('demo')))
		.command('bench', 'Sweep the concurrency against the fixture gallery: table, knee and chart', y =>
			y
				.options(yargsOptions('bench'))
				.conflicts('json', 'csv')
				.example('$0 bench --preset wide -c 1,4,16,64 --chart bench.svg', 'Where adding downloads stops paying on the wide gallery'),
		)
		.strict()
		.parserConfiguration({'strip-dashed': true, 'parse-numbers': false, 'parse-positional-numbers': false})
		.version(version)
		.help()
		.alias('h', 'help')
		.alias('V', 'version')
		.wrap(Math.min(110, process.stdout.columns ?? 80))
		.exitProcess(false);
}

/** The values of one section's flags that the command line gave, read as their options take them. */
function given<T>(argv: Record<string, unknown>, command: CommandName, section: SectionName, spelled: ReadonlyMap<string, Spelled>): T {
	const values: Record<string, unknown> = {};
	for (const {key, flag} of flagsFor(command).filter(entry => entry.section === section)) {
		if (argv[key] !== undefined) {
			values[key] = flagValue(key, flag, argv[key], spelled.get(key));
		}
	}

	return values as T;
}

/** The options of `scrape` and `list`, shorthands applied. */
function commandLineOptions(argv: Record<string, unknown>, command: 'scrape' | 'list' | 'config', spelled: ReadonlyMap<string, Spelled>): CommandLineOptions {
	const options: Record<string, unknown> = {
		...given<Record<string, unknown>>(argv, command, 'options', spelled),
		urls: ((argv.urls as unknown[] | undefined) ?? []).map(String),
		...(command === 'list' ? {download: false} : {}),
	};
	for (const [name, shorthand] of Object.entries(shorthandFlags)) {
		if (argv[name] !== true) {
			continue;
		}

		for (const [key, value] of Object.entries(shorthand.sets)) {
			if (options[key] !== undefined && options[key] !== value) {
				const typed = spelled.get(key);
				throw new UsageError(`--${kebab(name)} contradicts ${typed?.as ?? `--${kebab(key)}`} ${typed?.raw.at(-1) ?? String(options[key])}`);
			}

			options[key] = value;
		}
	}

	return options as unknown as CommandLineOptions;
}

function toInvocation(argv: Record<string, unknown> & {_: Array<string | number>}, spelled: ReadonlyMap<string, Spelled>): Invocation {
	const name = String(argv._[0] ?? 'scrape');
	switch (name) {
		case 'list': {
			return {command: 'list', options: commandLineOptions(argv, 'list', spelled), cli: given<CliFlags>(argv, 'list', 'cli', spelled)};
		}

		case 'serve': {
			return {command: 'serve', options: given<ServeOptions>(argv, 'serve', 'serve', spelled)};
		}

		case 'demo': {
			return {command: 'demo', options: given<DemoOptions>(argv, 'demo', 'demo', spelled)};
		}

		case 'bench': {
			return {command: 'bench', options: given<BenchFlags>(argv, 'bench', 'bench', spelled)};
		}

		case 'join': {
			return {
				command: 'join',
				name: String(argv.name),
				options: given<Partial<CommandLineOptions>>(argv, 'join', 'options', spelled),
				cli: given<CliFlags>(argv, 'join', 'cli', spelled),
			};
		}

		case 'status':
		case 'forget': {
			return {command: name as 'status' | 'forget', name: String(argv.name), cli: given<CliFlags>(argv, name as 'status' | 'forget', 'cli', spelled)};
		}

		case 'config': {
			const url = argv.url === undefined ? undefined : String(argv.url);
			const cli = {...given<CliFlags>(argv, 'config', 'cli', spelled), ...given<ConfigFlags>(argv, 'config', 'config', spelled)};
			return {command: 'config', url, options: commandLineOptions(argv, 'config', spelled), cli};
		}

		default: {
			const cli = given<CliFlags>(argv, 'scrape', 'cli', spelled);
			if (cli.simulate === true) {
				// -s: the dry run list is; the scrape flags it has no use for change nothing.
				return {command: 'list', options: {...commandLineOptions(argv, 'scrape', spelled), download: false}, cli};
			}

			return {command: 'scrape', options: commandLineOptions(argv, 'scrape', spelled), cli};
		}
	}
}

/**
yargs renders a command's whole help after parsing any named command (`list`,
`scrape`, `serve` ...), in case the command's handler asks to show it: about
0.1 s of CPU on Node 20 (cliui and string-width over every flag), a quarter of
a small run. Our commands never ask (a refusal is one line, and `--help` is
answered before that point), so that cache is not filled. Internal to yargs,
hence looked up with care: without it, the help is rendered as before.
*/
function skipHelpCache(parser: Argv): void {
	const internal = parser as unknown as {getInternalMethods?: () => {getUsageInstance?: () => {cacheHelpMessage?: () => void} | undefined}};
	const usage = internal.getInternalMethods?.().getUsageInstance?.();
	if (typeof usage?.cacheHelpMessage === 'function') {
		usage.cacheHelpMessage = () => {};
	}
}

/**
Turn a command line into the command to run and the options its flags set,
without printing or exiting: yargs' help, version or refusal text comes back
in the result instead.
*/
export async function parseArgs(given: string[]): Promise<ParseResult> {
	let scan: ReturnType<typeof scanArgs>;
	try {
		scan = scanArgs(given);
	} catch (error) {
		return {output: '', error: error as Error, spelled: new Map()};
	}

	const {args, spelled} = scan;
	const parser = buildParser(args);
	skipHelpCache(parser);
	return new Promise(resolve => {
		void parser.parse(args, {}, (error, argv, output) => {
			if (error) {
				resolve({output, error: new UsageError(yargsWords(error.message)), spelled});
				return;
			}

			if (output !== '') {
				resolve({output, spelled});
				return;
			}

			try {
				resolve({invocation: toInvocation(argv as Record<string, unknown> & {_: Array<string | number>}, spelled), output, spelled});
			} catch (error) {
				resolve({output, error: error as Error, spelled});
			}
		});
	});
}

/** The few refusals yargs still makes after the scan, in flags rather than its keys. */
function yargsWords(message: string): string {
	const exclusive = /^Arguments (\S+) and (\S+) are mutually exclusive/.exec(message);
	if (exclusive !== null) {
		return `--${kebab(exclusive[1]!)} and --${kebab(exclusive[2]!)} cannot be used together`;
	}

	return message
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '')
		.join(' ');
}
