import {once} from 'node:events';
import {startFixtureServer, type FixtureServer} from '../../fixture-server/index.js';
import {UsageError} from '../../errors.js';
import {integer} from '../../validate.js';
import type {ParsedArgs} from '../args.js';
import {exitCodes, type CliIo} from '../io.js';

function count(argv: ParsedArgs, name: string, min: number): number {
	return integer(name, argv[name], {min});
}

/** Serve the fixture gallery until the signal (Ctrl-C) aborts. */
export async function runServe(argv: ParsedArgs, io: CliIo): Promise<number> {
	let server: FixtureServer;
	try {
		server = await startFixtureServer({
			port: count(argv, 'port', 0),
			pages: count(argv, 'pages', 1),
			perPage: count(argv, 'perPage', 1),
			size: count(argv, 'size', 1),
			latency: count(argv, 'latency', 0),
			jitter: count(argv, 'jitter', 0),
			...(typeof argv.site === 'string' ? {site: argv.site} : {}),
		});
	} catch (error) {
		// The server's own checks (an image too small for its format, a missing site folder) are usage errors here.
		if (error instanceof RangeError) {
			throw new UsageError(error.message);
		}

		throw error;
	}

	io.stdout.write(`${server.url}\n`);
	const hint = typeof argv.site === 'string'
		? `The site fixtures/${argv.site} on ${server.url}`
		: `Fixture gallery on ${server.url}\nTry: imgscrape '${server.template}' --pages 1-${String(argv.pages)}`;
	io.stderr.write(`${hint}\nCtrl-C stops it.\n`);
	if (io.signal && !io.signal.aborted) {
		await once(io.signal, 'abort');
	}

	await server.close();
	return exitCodes.ok;
}
