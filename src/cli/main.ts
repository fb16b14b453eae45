import yargs, {type Argv} from 'yargs';
import {ScrapeError} from '../errors.js';
import {version} from '../version.js';
import {benchFlags, downloadFlags, httpFlags, httpShorthandFlags, kebabFlags, outputFlags, pageFlags, type ParsedArgs} from './args.js';
import {exitCodes, type CliIo} from './io.js';

/** The commands, each loaded only when it runs, so a plain scrape never loads server or demo code. */
const commands = {
	scrape: async () => (await import('./commands/scrape.js')).runScrape,
	list: async () => (await import('./commands/list.js')).runList,
	serve: async () => (await import('./commands/serve.js')).runServe,
	demo: async () => (await import('./commands/demo.js')).runDemo,
	bench: async () => (await import('./commands/bench.js')).runBench,
} as const;

export type CommandName = keyof typeof commands;

function buildParser(args: string[]): Argv {
	return yargs(args)
		.scriptName('imgscrape')
		.usage('$0 [scrape] <url...> [options]\n\nDownload every image of a gallery\'s listing pages, in parallel.')
		.command(['scrape [urls..]', '$0 [urls..]'], 'Download the images of the pages (default command)', y =>
			y.options(kebabFlags({...pageFlags, ...httpFlags, ...httpShorthandFlags, ...downloadFlags, ...outputFlags})).example(
				'$0 \'https://pic.example/4kdongman/index{_page}.html\' --pages 1-4 -o ./img -c 50',
				'The four listing pages index.html, index_2.html ... with 50 downloads at once',
			))
		.command('list [urls..]', 'Print the image URLs as JSON lines, in page order; download nothing', y =>
			y.options(kebabFlags({...pageFlags, ...httpFlags, ...httpShorthandFlags, inputFile: outputFlags.inputFile, report: outputFlags.report})))
		.command('serve', 'Run the fixture gallery on 127.0.0.1 until Ctrl-C', y =>
			y.options(kebabFlags({
				port: {type: 'number', describe: 'Port (0: any free one)', default: 0},
				pages: {type: 'number', describe: 'Listing pages', default: 4},
				perPage: {type: 'number', describe: 'Images per page', default: 20},
				size: {type: 'number', describe: 'Bytes per image', default: 100_000},
				latency: {type: 'number', describe: 'Milliseconds before each response', default: 0},
				jitter: {type: 'number', describe: 'Up to this many extra milliseconds', default: 0},
				site: {type: 'string', describe: 'Serve a hand-written site of fixtures/ at the root instead, e.g. gbk-site'},
			})))
		.command('demo', 'Scrape the built-in fixture gallery on loopback, at the default concurrency and at 1', y =>
			y.options({
				out: {alias: 'o', type: 'string', describe: 'Keep the images here (default: a temporary folder, removed after)'},
				concurrency: {alias: 'c', type: 'number', describe: 'Downloads in flight at once', defaultDescription: 'as scrape'},
			}))
		.command('bench', 'Sweep the concurrency against the fixture gallery: table, knee and chart', y =>
			y.options(kebabFlags(benchFlags)).conflicts('json', 'csv').example('$0 bench --preset wide -c 1,4,16,64 --chart bench.svg', 'Where adding downloads stops paying on the wide gallery'))
		.strict()
		.parserConfiguration({'strip-dashed': true})
		.version(version)
		.help()
		.alias('h', 'help')
		.alias('v', 'version')
		.wrap(Math.min(110, process.stdout.columns ?? 80))
		.exitProcess(false);
}

/** yargs spreads some errors over lines ("Invalid values:", then the argument and its choices): one line names it all. */
function oneLine(message: string): string {
	return message.split('\n').map(line => line.trim()).filter(line => line !== '').join(' ');
}

/** Parse without printing or exiting: yargs hands back its help or error text instead. */
async function parse(args: string[]): Promise<{argv?: ParsedArgs; output: string; error?: Error}> {
	return new Promise(resolve => {
		void buildParser(args).parse(args, {}, (error, argv, output) => {
			resolve({argv: argv as ParsedArgs, output, ...(error ? {error} : {})});
		});
	});
}

/** Run the CLI; resolves with the exit code rather than exiting, so tests can call it in-process. */
export async function main(args: string[], io: CliIo): Promise<number> {
	const {argv, output, error} = await parse(args);
	if (error) {
		io.stderr.write(`imgscrape: ${oneLine(error.message)}\nRun \`imgscrape --help\` for usage.\n`);
		return exitCodes.usage;
	}

	if (output !== '') {
		// --help or --version
		io.stdout.write(`${output}\n`);
		return exitCodes.ok;
	}

	const name = String(argv!._[0] ?? 'scrape');
	const command = name in commands ? commands[name as CommandName] : commands.scrape;
	try {
		return await (await command())(argv!, io);
	} catch (error) {
		if (error instanceof ScrapeError && error.code === 'usage') {
			io.stderr.write(`imgscrape: ${error.message}\n`);
			return exitCodes.usage;
		}

		io.stderr.write(`imgscrape: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
		return exitCodes.someFailed;
	}
}
