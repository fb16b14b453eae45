import {ScrapeError} from '../errors.js';
import {exitCodes, type CliIo} from './io.js';
import {parseArgs, type Invocation} from './parse-args.js';

/** Run a command, each loaded only when it runs, so a plain scrape never loads server or demo code. */
async function run(invocation: Invocation, io: CliIo): Promise<number> {
	switch (invocation.command) {
		case 'scrape': {
			return (await import('./commands/scrape.js')).runScrape(invocation, io);
		}

		case 'list': {
			return (await import('./commands/list.js')).runList(invocation, io);
		}

		case 'serve': {
			return (await import('./commands/serve.js')).runServe(invocation, io);
		}

		case 'demo': {
			return (await import('./commands/demo.js')).runDemo(invocation, io);
		}

		case 'bench': {
			return (await import('./commands/bench.js')).runBench(invocation, io);
		}
	}
}

/** yargs spreads some errors over lines ("Invalid values:", then the argument and its choices): one line names it all. */
function oneLine(message: string): string {
	return message.split('\n').map(line => line.trim()).filter(line => line !== '').join(' ');
}

/** Run the CLI; resolves with the exit code rather than exiting, so tests can call it in-process. */
export async function main(args: string[], io: CliIo): Promise<number> {
	const {invocation, output, error} = await parseArgs(args);
	if (error) {
		io.stderr.write(`imgscrape: ${oneLine(error.message)}\nRun \`imgscrape --help\` for usage.\n`);
		return exitCodes.usage;
	}

	if (output !== '') {
		// --help or --version
		io.stdout.write(`${output}\n`);
		return exitCodes.ok;
	}

	try {
		return await run(invocation!, io);
	} catch (error) {
		if (error instanceof ScrapeError && error.code === 'usage') {
			io.stderr.write(`imgscrape: ${error.message}\n`);
			return exitCodes.usage;
		}

		io.stderr.write(`imgscrape: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
		return exitCodes.someFailed;
	}
}
