/**
The worker thread's side of the parse pool (see parse-pool.ts): the very same
`extract()` the main thread runs inline. An exception comes back as plain data
rather than a thrown error, because only plain fields survive the trip to the
main thread (an error's class and `code` do not).
*/
import type {ExtractOptions, ExtractResult, Headers} from '../types.js';
import {extract} from './extract.js';

/** One page to parse, as posted to a worker. */
export interface ParseTask {
	/** The page's bytes; their buffer is transferred, not copied. */
	bytes: Uint8Array;
	pageUrl: string;
	headers: Headers;
	options: ExtractOptions;
}

/** What a worker posts back for one page. */
export type ParseOutcome = {ok: true; result: ExtractResult} | {ok: false; message: string};

/** Parse one page; never throws. */
export default function parseTask(task: ParseTask): ParseOutcome {
	try {
		return {ok: true, result: extract(task.bytes, task.pageUrl, task.headers, task.options)};
	} catch (error) {
		return {ok: false, message: (error as Error)?.message ?? String(error)};
	}
}
