import {ScrapeError, toScrapeError, UsageError} from '../errors.js';
import type {Spelled} from './argv-scan.js';
import {inUserTerms} from './flag-values.js';
import {exitCodes, type CliIo} from './io.js';
import {parseArgs, type Invocation} from './parse-args.js';

/** Run a command, each loaded only when it runs, so a plain scrape never loads server or demo code. */
async function run(invocation: Invocation, io: CliIo): Promise<number> {
	switch (invocation.command) {
		case 'scrape': {
			// A shared crawl loads Redis and BullMQ only now: a local scrape never does.
			if (invocation.cli.crawl !== undefined || invocation.cli.redis !== undefined) {
				return (await import('./commands/crawl.js')).runCrawl(invocation, io);
			}

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

		case 'config': {
			return (await import('./commands/config.js')).runConfig(invocation, io);
		}

		case 'join': {
			return (await import('./commands/join.js')).runJoin(invocation, io);
		}

		case 'status': {
			return (await import('./commands/status.js')).runStatus(invocation, io);
		}

		case 'forget': {
			return (await import('./commands/forget.js')).runForget(invocation, io);
		}
	}
}

/** yargs spreads some errors over lines ("Invalid values:", then the argument and its choices): one line names it all. */
function oneLine(message: string): string {
	return message
		.split(/\r?\n|\r/)
		.map(line => line.trim())
		.filter(line => line !== '')
		.join(' ');
}

/** Run the CLI; resolves with the exit code rather than exiting, so tests can call it in-process. */
export async function main(args: string[], io: CliIo): Promise<number> {
	const {invocation, output, error, spelled} = await parseArgs(args);
	if (error) {
		// One line: the help is a flag away, and a usage dump would bury the reason.
		io.stderr.write(`imgscrape: ${oneLine(inUserTerms(error.message, spelled))}\n`);
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
		return failed(error, io, spelled);
	}
}

/**
One line for an error that ended a command. A usage error is the user's to fix
(exit 2); a failure the scraper recognises, such as a manifest that cannot be
written, ends the command like a failed image (exit 1); anything else is a bug
(exit 70), with its stack trace only when `IMGSCRAPE_DEBUG` is set.
*/
function failed(error: unknown, io: CliIo, spelled: ReadonlyMap<string, Spelled>): number {
	if (error instanceof UsageError) {
		io.stderr.write(`imgscrape: ${oneLine(inUserTerms(error.message, spelled))}\n`);
		return exitCodes.usage;
	}

	const scrapeError = toScrapeError(error);
	if (scrapeError.code !== 'internal') {
		io.stderr.write(`imgscrape: ${oneLine(scrapeError.message)}\n`);
		return exitCodes.someFailed;
	}

	io.stderr.write(`imgscrape: internal error (a bug, please report it): ${oneLine(scrapeError.message)}\n`);
	const debug = (io.env ?? process.env).IMGSCRAPE_DEBUG;
	if (debug !== undefined && debug !== '' && debug !== '0') {
		// The stack of what was thrown, not of the wrapper that names it.
		const origin = error instanceof ScrapeError ? (error.cause ?? error) : error;
		io.stderr.write(`${origin instanceof Error && origin.stack !== undefined ? origin.stack : String(origin)}\n`);
	}

	return exitCodes.internal;
}
