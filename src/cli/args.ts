import {crawlDefaults, defaults} from '../defaults.js';
import type {GalleryOptions} from '../fixture-server/options.js';
import type {ScrapeOptions} from '../options.js';
import {type CommandName, type Flag, type Flagged, pages, pagesAndJoin, scrapeAndJoin, type Section, scrapeOnly, shown} from './flag.js';
import {type CommandLineOptions, optionFlags} from './option-flags.js';

/*
The one table of the CLI's flags. Each section is typed against what its flags
fill, so that no field can lack a flag or an explicit `null` (no flag). Each
flag names the commands that take it. Defaults are shown from `defaults` but
applied only by `resolveOptions`, so they live in one place; the flags of
serve and bench, which are not options of `scrape()`, carry their own.
*/

export type {CommandName, Flag, Flagged} from './flag.js';
export {type CommandLineOptions, optionFlags} from './option-flags.js';

/** CLI spellings that set an option another way: each sets the options in `sets`, and contradicts a flag that sets them otherwise. */
export const shorthandFlags = {
	ignoreRobots: {type: 'boolean', describe: 'Same as --robots ignore', group: 'Politeness:', commands: pages, sets: {robots: 'ignore'}},
} satisfies Record<string, Flag & {sets: Partial<CommandLineOptions>}>;

/** The flags of `scrape` and `list` that are the CLI's own, not options of `scrape()`. */
export interface CliFlags {
	inputFile?: string | undefined;
	json?: boolean | undefined;
	report?: string | undefined;
	quiet?: boolean | undefined;
	verbose?: boolean | undefined;
	/** `-s`: do as `list` does, download nothing. */
	simulate?: boolean | undefined;
	/** `--config FILE`; `false` for `--no-config`. */
	config?: string | false | undefined;
	profile?: string | undefined;
	/** `--redis URL`: the Redis a shared crawl lives in (else `IMGSCRAPE_REDIS`). */
	redis?: string | undefined;
	/** `--crawl NAME`: this scrape creates or resumes the shared crawl NAME and works on it. */
	crawl?: string | undefined;
	/** `--lease MS`: how long a worker may go silent before its jobs go to others. */
	lease?: number | undefined;
	/** `status --manifest`: print the crawl's manifest as JSON lines. */
	manifest?: boolean | undefined;
}

const crawling: readonly CommandName[] = ['scrape', 'join', 'status', 'forget'];
const working: readonly CommandName[] = ['scrape', 'join'];

const configured: readonly CommandName[] = ['scrape', 'list', 'config'];

export const cliFlags = {
	inputFile: {alias: 'i', type: 'string', describe: 'Read page URLs from a file, one per line (- for stdin)', group: 'Pages:', commands: pages},
	json: {
		type: 'boolean',
		describe: 'Print the report as one JSON object on stdout (list: its lines are JSON already)',
		group: 'Output:',
		commands: [...pagesAndJoin, 'status'],
	},
	report: {type: 'string', describe: 'Also write the report as JSON to FILE (with or without --json)', group: 'Output:', commands: pagesAndJoin},
	quiet: {alias: 'q', type: 'boolean', describe: 'Print nothing but errors: no progress, no report', group: 'Output:', commands: pagesAndJoin},
	verbose: {alias: 'v', type: 'boolean', describe: 'One line per request on stderr: URL, status, bytes, time', group: 'Output:', commands: scrapeAndJoin},
	simulate: {
		alias: 's',
		type: 'boolean',
		describe: 'Download nothing: print the image URLs as list does (wget --spider)',
		group: 'Output:',
		commands: scrapeOnly,
	},
	config: {
		type: 'string',
		describe: 'Read this config file (--no-config: none)',
		defaultDescription: './imgscrape.config.json, else ~/.config/imgscrape/config.json',
		group: 'Config:',
		commands: configured,
	},
	profile: {type: 'string', describe: "Apply the config file's profile NAME over its defaults and site entry", group: 'Config:', commands: configured},
	redis: {
		type: 'string',
		describe: 'Redis holding a crawl shared by many processes: redis://HOST:PORT',
		defaultDescription: 'IMGSCRAPE_REDIS',
		group: 'Many machines:',
		commands: crawling,
	},
	crawl: {type: 'string', describe: 'Create (or resume) the shared crawl NAME in --redis and work on it', group: 'Many machines:', commands: scrapeOnly},
	lease: {
		type: 'number',
		unit: 'ms',
		describe: 'Ms a worker may go silent before its jobs go to others (checked at least every lease)',
		...shown(crawlDefaults.lease),
		group: 'Many machines:',
		commands: working,
	},
	manifest: {type: 'boolean', describe: "Print the crawl's manifest as JSON lines", group: 'Output:', commands: ['status']},
} satisfies Section<CliFlags>;

/** `imgscrape config`: its own flag; it also takes every flag of scrape, to show what they change. */
export interface ConfigFlags {
	init?: boolean | undefined;
}

export const configFlags = {
	init: {type: 'boolean', describe: 'Write a commented starter config file (to --config FILE, else ./imgscrape.config.json)', commands: ['config']},
} satisfies Section<ConfigFlags>;

const serve: readonly CommandName[] = ['serve'];

/** `imgscrape serve`: the fixture gallery's options it takes, with the defaults of a gallery worth browsing. */
export const serveFlags = {
	port: {type: 'number', describe: 'Port (0: any free one)', default: 0, commands: serve},
	pages: {type: 'number', describe: 'Listing pages', default: 4, commands: serve},
	perPage: {type: 'number', describe: 'Images per page', default: 20, commands: serve},
	size: {type: 'number', describe: 'Bytes per image', default: 100_000, commands: serve},
	latency: {type: 'number', unit: 'ms', describe: 'Time before each response', default: 0, commands: serve},
	jitter: {type: 'number', unit: 'ms', describe: 'Up to this much extra time', default: 0, commands: serve},
	site: {type: 'string', describe: 'Serve a hand-written site of fixtures/ at the root instead, e.g. gbk-site', commands: serve},
	imageCapacity: {type: 'number', describe: 'Image requests served at full speed at once, to try -c auto against (0: no limit)', default: 0, commands: serve},
	pageCapacity: {
		type: 'number',
		describe: 'Listing-page requests served at full speed at once, to try --page-concurrency auto against (0: no limit)',
		default: 0,
		commands: serve,
	},
	overload: {
		type: 'string',
		choices: ['refuse', 'slow'],
		describe: 'Past --image-capacity or --page-capacity: answer 503, or slow down by --overload-latency per request over it',
		default: 'refuse',
		commands: serve,
	},
	overloadLatency: {
		type: 'number',
		unit: 'ms',
		describe: 'Milliseconds added per image over --image-capacity with --overload slow',
		default: 100,
		commands: serve,
	},
	format: null,
	pageLatency: null,
	pageBytes: null,
	imageCache: null,
	staticDir: null,
	host: null,
	log: null,
	robots: null,
	recordRequests: null,
} satisfies Section<GalleryOptions>;

export type ServeOptions = Pick<GalleryOptions, Flagged<typeof serveFlags>>;

/** `imgscrape demo`: the two options of its runs it lets one choose. */
/** The demo compares fixed concurrencies: `auto` is not one. */
export type DemoOptions = Pick<ScrapeOptions, 'out'> & {concurrency?: number | undefined};

const demo: readonly CommandName[] = ['demo'];

export const demoFlags = {
	out: {alias: 'o', type: 'string', describe: 'Keep the images here (default: a temporary folder, removed after)', commands: demo},
	concurrency: {alias: 'c', type: 'number', describe: 'Downloads in flight at once', defaultDescription: 'as scrape', commands: demo},
} satisfies Section<DemoOptions>;

/** `imgscrape bench`: the flags as given; the bench command checks them. */
export interface BenchFlags {
	preset?: string | undefined;
	url?: string | undefined;
	pages?: number | undefined;
	perPage?: number | undefined;
	size?: number | undefined;
	latency?: number | undefined;
	jitter?: number | undefined;
	pageBytes?: number | undefined;
	/** Comma-separated lists of counts, such as `1,4,16`. */
	concurrency?: string | undefined;
	pageConcurrency?: string | undefined;
	parseWorkers?: string | undefined;
	repeat?: number | undefined;
	workDir?: string | undefined;
	chart?: string | undefined;
	json?: boolean | undefined;
	csv?: boolean | undefined;
	quiet?: boolean | undefined;
	targets?: boolean | undefined;
}

const bench: readonly CommandName[] = ['bench'];

/** Plain data: the bench itself loads only when the command runs. */
export const benchFlags = {
	preset: {type: 'string', describe: 'Scenarios, comma-separated: seed, wide, raw, bigpage, huge (default seed)', group: 'Scenario:', commands: bench},
	url: {
		type: 'string',
		describe: 'Base URL of a running fixture gallery (imgscrape serve) to use instead of starting one; the scenario flags must describe it',
		group: 'Scenario:',
		commands: bench,
	},
	pages: {type: 'number', describe: 'Listing pages (overrides the preset)', group: 'Scenario:', commands: bench},
	perPage: {type: 'number', describe: 'Images per page', group: 'Scenario:', commands: bench},
	size: {type: 'number', describe: 'Bytes per image', group: 'Scenario:', commands: bench},
	latency: {type: 'number', unit: 'ms', describe: 'Time before each response', group: 'Scenario:', commands: bench},
	jitter: {type: 'number', unit: 'ms', describe: 'Up to this much extra time per response', group: 'Scenario:', commands: bench},
	pageBytes: {type: 'number', describe: 'Pad each listing page to about this many bytes of HTML', group: 'Scenario:', commands: bench},
	concurrency: {
		alias: 'c',
		type: 'string',
		repeatable: true,
		join: ',',
		describe: 'Download concurrencies to sweep',
		defaultDescription: '1,2,4,8,16,32,64',
		group: 'Sweep:',
		commands: bench,
	},
	pageConcurrency: {
		type: 'string',
		repeatable: true,
		join: ',',
		describe: 'Page concurrencies to sweep',
		...shown(defaults.pageConcurrency),
		group: 'Sweep:',
		commands: bench,
	},
	parseWorkers: {
		type: 'string',
		repeatable: true,
		join: ',',
		describe: 'Parse-worker counts to sweep (0: parse on the main thread)',
		defaultDescription: "the scraper's default",
		group: 'Sweep:',
		commands: bench,
	},
	repeat: {type: 'number', describe: 'Runs of each point (the median is reported)', default: 3, group: 'Sweep:', commands: bench},
	workDir: {
		type: 'string',
		describe: "Where each run's fresh output folder is made and deleted",
		defaultDescription: '/dev/shm on Linux, else the temp folder',
		group: 'Sweep:',
		commands: bench,
	},
	chart: {type: 'string', describe: 'Write the chart to FILE: .svg, or .html with the SVG inline', group: 'Output:', commands: bench},
	json: {type: 'boolean', describe: 'Print every point as one JSON object on stdout', group: 'Output:', commands: bench},
	csv: {type: 'boolean', describe: 'Print every sample as CSV on stdout', group: 'Output:', commands: bench},
	quiet: {alias: 'q', type: 'boolean', describe: 'No progress on stderr', group: 'Output:', commands: bench},
	targets: {type: 'boolean', describe: "Also check the presets' performance targets (met or missed)", group: 'Output:', commands: bench},
} satisfies Section<BenchFlags>;

/** The whole table, in the order the help lists the flags. */
export const flagTable = {
	options: optionFlags,
	shorthands: shorthandFlags,
	cli: cliFlags,
	serve: serveFlags,
	demo: demoFlags,
	bench: benchFlags,
	config: configFlags,
} as const;

export type SectionName = keyof typeof flagTable;

/** The flags one command takes, section by section. */
export function flagsOf(command: CommandName): Array<{section: SectionName; key: string; flag: Flag}> {
	return Object.entries(flagTable).flatMap(([section, flags]) =>
		Object.entries(flags as Record<string, Flag | null>)
			.filter((entry): entry is [string, Flag] => entry[1]?.commands.includes(command) === true)
			.map(([key, flag]) => ({section: section as SectionName, key, flag})),
	);
}

/** A flag as given on the command line: `pageConcurrency` is `--page-concurrency`. */
export function kebab(key: string): string {
	return key.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

/**
Spellings other tools taught people, rewritten before parsing: wget's `-nc`
(one dash, two letters, which yargs would read as `-n -c`) and
`--no-clobber` (which yargs would read as the negation of a `--clobber`).
Keeping files is the default, so both say what the default does.
*/
export const conventionSpellings: Readonly<Record<string, string>> = {
	'-nc': '--no-overwrite',
	'--no-clobber': '--no-overwrite',
};

/** The flags every command takes, which yargs adds itself, with their short spellings. */
export const builtinFlags: Readonly<Record<string, readonly string[]>> = {help: ['h'], version: ['V']};

export const commandNames: readonly CommandName[] = ['scrape', 'list', 'serve', 'demo', 'bench', 'config', 'join', 'status', 'forget'];

/** The flags a command takes: `config` takes scrape's options besides its own, to show what they change. */
export function flagsFor(command: CommandName): ReturnType<typeof flagsOf> {
	if (command !== 'config') {
		return flagsOf(command);
	}

	const own = flagsOf('config');
	return [...flagsOf('scrape').filter(({section, key}) => section !== 'cli' && !own.some(entry => entry.key === key)), ...own];
}
