import {once} from 'node:events';
import {startFixtureServer, type FixtureServer} from '../../fixture-server/index.js';
import {UsageError} from '../../errors.js';
import {integer} from '../../validate.js';
import type {ServeOptions} from '../args.js';
import {exitCodes, type CliIo} from '../io.js';
import type {InvocationOf} from '../parse-args.js';

/** The counts are whole numbers; the gallery checks their ranges. */
function count(options: ServeOptions, name: keyof ServeOptions, min: number): number {
	return integer(name, options[name], {min});
}

/** Serve the fixture gallery until the signal (Ctrl-C) aborts. */
export async function runServe({options}: InvocationOf<'serve'>, io: CliIo): Promise<number> {
	let server: FixtureServer;
	try {
		server = await startFixtureServer({
			port: count(options, 'port', 0),
			pages: count(options, 'pages', 1),
			perPage: count(options, 'perPage', 1),
			size: count(options, 'size', 1),
			latency: count(options, 'latency', 0),
			jitter: count(options, 'jitter', 0),
			imageCapacity: count(options, 'imageCapacity', 0),
			pageCapacity: count(options, 'pageCapacity', 0),
			// The server checks these two itself.
			...(options.overload === undefined ? {} : {overload: options.overload}),
			overloadLatency: count(options, 'overloadLatency', 0),
			...(typeof options.site === 'string' ? {site: options.site} : {}),
		});
	} catch (error) {
		// The server's own checks (an image too small for its format, a missing site folder) are usage errors here.
		if (error instanceof RangeError) {
			throw new UsageError(error.message);
		}

		// The machine's refusals are the user's to fix too: another program on the port, a port that needs privileges.
		const {code} = error as NodeJS.ErrnoException;
		if (code === 'EADDRINUSE' || code === 'EACCES') {
			const why = code === 'EADDRINUSE' ? 'is in use by another program' : 'needs privileges this user lacks';
			throw new UsageError(`Cannot listen on port \`${String(options.port)}\` (--port): it ${why}; pick another, or --port 0 for any free one`);
		}

		throw error;
	}

	io.stdout.write(`${server.url}\n`);
	const hint =
		typeof options.site === 'string'
			? `The site fixtures/${options.site} on ${server.url}`
			: `Fixture gallery on ${server.url}\nTry: imgscrape '${server.template}' --pages 1-${String(options.pages)}`;
	io.stderr.write(`${hint}\nCtrl-C stops it.\n`);
	if (io.signal && !io.signal.aborted) {
		await once(io.signal, 'abort');
	}

	await server.close();
	return exitCodes.ok;
}
