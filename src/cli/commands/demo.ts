import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {startFixtureServer} from '../../fixture-server/index.js';
import {defaults} from '../../defaults.js';
import {formatReport} from '../../report/format.js';
import type {ScrapeReport} from '../../report/report.js';
import {scrape} from '../../scraper/scrape.js';
import {exitCodeFor} from '../exit-code.js';
import {exitCodes, type CliIo} from '../io.js';
import type {InvocationOf} from '../parse-args.js';
import {createProgress} from '../progress.js';
import {integer, nonEmptyString} from '../../validate.js';

/** The seed article's gallery: 4 listing pages of wallpapers, each image a network round trip away. */
export const demoGallery = {pages: 4, perPage: 20, size: 100_000, latency: 40, jitter: 20};

/**
Scrape the fixture gallery twice on loopback, at the default concurrency and
at 1, and show what the pools buy. Works offline right after `npm ci`.
*/
export async function runDemo({options}: InvocationOf<'demo'>, io: CliIo): Promise<number> {
	// Checked before the gallery starts or a folder is made: a bad flag changes nothing.
	const concurrency = integer('concurrency', options.concurrency, {min: 1, fallback: defaults.concurrency});
	if (options.out !== undefined) {
		nonEmptyString('out', options.out, '');
	}

	const server = await startFixtureServer(demoGallery);
	const scratch = await mkdtemp(path.join(tmpdir(), 'imgscrape-demo-'));
	try {
		const run = async (title: string, runConcurrency: number, out: string): Promise<ScrapeReport> => {
			io.stderr.write(`\n${title}\n`);
			const progress = await createProgress(io, {quiet: false, downloads: true});
			try {
				return await scrape({
					urls: [server.template],
					pages: `1-${demoGallery.pages}`,
					out,
					concurrency: runConcurrency,
					signal: io.signal,
					onEvent: progress.onEvent,
				});
			} finally {
				progress.stop();
			}
		};

		io.stderr.write(
			`Fixture gallery on ${server.url}: ${demoGallery.pages} pages x ${demoGallery.perPage} images of ${demoGallery.size / 1000} kB, ${demoGallery.latency} ms latency (+0-${demoGallery.jitter} ms jitter)\n`,
		);
		const out = typeof options.out === 'string' ? options.out : path.join(scratch, 'parallel');
		const parallel = await run(`imgscrape '${server.template}' --pages 1-${demoGallery.pages} -c ${concurrency} -o ${out}`, concurrency, out);
		io.stderr.write(formatReport(parallel));
		if (parallel.aborted) {
			return exitCodes.interrupted;
		}

		const serial = await run('The same at -c 1, one download at a time:', 1, path.join(scratch, 'serial'));
		io.stderr.write(formatReport(serial));
		if (serial.aborted) {
			return exitCodes.interrupted;
		}

		io.stdout.write(
			`speedup: ${(serial.elapsedMs / parallel.elapsedMs).toFixed(1)}x (${(parallel.elapsedMs / 1000).toFixed(2)} s at -c ${concurrency} vs ${(serial.elapsedMs / 1000).toFixed(2)} s at -c 1)\n`,
		);
		return Math.max(exitCodeFor(parallel), exitCodeFor(serial));
	} finally {
		await rm(scratch, {recursive: true, force: true});
		await server.close();
	}
}
