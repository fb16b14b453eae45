/**
Where pages are parsed: inline on the main thread, or on a pool of worker
threads that run the very same extractor (worker.ts). Parsing a large page is
CPU work that stalls the event loop; a pool takes it off the loop so fetches
and downloads keep flowing, at the price of posting bytes and results between
threads. Inline, a page is parsed in slices with the event loop running
between them, so a cancel (Ctrl-C) is seen within a slice.
*/
import {setImmediate as nextTurn} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import type {Piscina} from 'piscina';
import {ScrapeError} from '../errors.js';
import type {ExtractOptions, ExtractResult, Headers} from '../types.js';
import {extractSteps, type ExtractWork} from './extract.js';
import {unpackResult} from './packed-result.js';
import type {ParseOutcome, ParseTask} from './worker.js';

/** Parses pages for one run. */
export interface ParsePool {
	/** Worker threads in the pool; 0 when parsing inline. */
	readonly workers: number;
	/**
	Extract one page. With workers, the buffer behind `bytes` is transferred to
	the worker when it is the page's own, so `bytes` must not be read afterwards.
	@param started Called when the page's parse begins: inline, pages wait their turn, one at a time; on workers, at once (the pool queues them).
	@throws ScrapeError `parse` when the extractor throws or its worker dies, `aborted` when `signal` aborts first.
	*/
	parse(bytes: Uint8Array, pageUrl: string, headers: Headers, options: ExtractOptions, signal?: AbortSignal, started?: () => void): Promise<ExtractResult>;
	/** Stop the workers. Call once no parse is pending; any still pending is rejected. */
	close(): Promise<void>;
}

/** How to parse: `workers` 0 parses inline. */
export interface ParsePoolOptions {
	workers: number;
	/** Inline only: filled in with the work of every page parsed, for callers that measure it. */
	work?: ExtractWork;
}

function parseError(message: string, pageUrl: string, cause?: unknown): ScrapeError {
	return new ScrapeError('parse', message, {url: pageUrl, cause});
}

/** A parser for one run: inline for 0 workers, else a pool of that many threads, started now and kept until `close()`. */
export function createParsePool(options: ParsePoolOptions): ParsePool {
	return options.workers === 0 ? createInlinePool(options.work) : createWorkerPool(options.workers);
}

function aborted(pageUrl: string): ScrapeError {
	return new ScrapeError('aborted', 'aborted', {url: pageUrl});
}

function createInlinePool(work: ExtractWork | undefined): ParsePool {
	// One page at a time, as when parsing was one synchronous call: a page's tree is in memory only while it is parsed.
	let turn: Promise<unknown> = Promise.resolve();
	return {
		workers: 0,
		parse(bytes, pageUrl, headers, options, signal, started) {
			const parsed = turn.then(async () => {
				if (signal?.aborted) {
					throw aborted(pageUrl);
				}

				started?.();
				return parseInSlices(bytes, pageUrl, headers, options, signal, work);
			});
			turn = parsed.catch(() => {});
			return parsed;
		},
		async close() {
			await turn;
		},
	};
}

async function parseInSlices(
	bytes: Uint8Array,
	pageUrl: string,
	headers: Headers,
	options: ExtractOptions,
	signal: AbortSignal | undefined,
	work: ExtractWork | undefined,
): Promise<ExtractResult> {
	const steps = extractSteps(bytes, pageUrl, headers, options, work);
	for (;;) {
		let step: IteratorResult<void, ExtractResult>;
		try {
			step = steps.next();
		} catch (error) {
			throw parseError((error as Error)?.message ?? String(error), pageUrl, error);
		}

		if (step.done) {
			return step.value;
		}

		// Let timers, sockets and signal handlers run between slices: a cancel ends the parse here.
		await nextTurn();
		if (signal?.aborted) {
			steps.return(undefined as never);
			throw aborted(pageUrl);
		}
	}
}

/**
The page's bytes in a buffer of their own, ready to transfer. A small page
(under 4 KiB) arrives as a slice of Node's shared allocation pool, which must
not be transferred (it would take other buffers' memory along), so that one
alone is copied; a larger page already owns its whole buffer.
*/
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	const {buffer} = bytes;
	if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
		return bytes as Uint8Array<ArrayBuffer>;
	}

	return new Uint8Array(bytes);
}

/**
Load piscina and start the pool. piscina is imported only here, so a run that
parses inline never loads it; it is also left out of the CLI's bundle, since it
starts its threads from a file of its own found next to its code. `worker.js`
sits beside this module both in the tsc output and in the bundle.
*/
async function startPool(workers: number): Promise<Piscina<ParseTask, ParseOutcome>> {
	const {Piscina} = await import('piscina');
	return new Piscina<ParseTask, ParseOutcome>({
		filename: fileURLToPath(new URL('worker.js', import.meta.url)),
		// All threads start now, while the first pages download, and stay for the run.
		minThreads: workers,
		maxThreads: workers,
		recordTiming: false,
		/*
		A parse builds a tree that lives until the page's result is out: with
		V8's default young generation every node is copied between semi-spaces
		before it is promoted anyway. 8 MB promotes it sooner; on bigpage
		(10 pages of 2 MB, 2 workers) peak RSS went 342 -> 257 MB, no slower.
		*/
		resourceLimits: {maxYoungGenerationSizeMb: 8},
	});
}

function createWorkerPool(workers: number): ParsePool {
	const pool = startPool(workers);
	// Whoever awaits the pool sees a failure to load it; until then it must not count as unhandled.
	pool.catch(() => {});
	return {
		workers,
		async parse(bytes, pageUrl, headers, options, signal, started) {
			if (signal?.aborted) {
				throw aborted(pageUrl);
			}

			started?.();
			const own = ownBuffer(bytes);
			let outcome: ParseOutcome;
			try {
				// Piscina ends a worker whose task is aborted mid-parse, and starts a fresh one.
				outcome = await (await pool).run({bytes: own, pageUrl, headers, options}, {transferList: [own.buffer], signal: signal ?? null});
			} catch (error) {
				if (signal?.aborted) {
					throw new ScrapeError('aborted', 'aborted', {url: pageUrl, cause: error});
				}

				// The worker died (out of memory, a crash in native code): piscina replaces it, and only this page fails.
				throw parseError(`parse worker failed: ${(error as Error)?.message ?? String(error)}`, pageUrl, error);
			}

			if (!outcome.ok) {
				throw parseError(outcome.message, pageUrl);
			}

			return unpackResult(outcome.packed);
		},
		async close() {
			await (await pool).destroy();
		},
	};
}
