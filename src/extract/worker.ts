/**
The worker thread's side of the parse pool (see parse-pool.ts): the very same
`extract()` the main thread runs inline. An exception comes back as plain data
rather than a thrown error, because only plain fields survive the trip to the
main thread (an error's class and `code` do not). The result goes back packed
(packed-result.ts): two strings and one typed array rather than an object per
image, which the main thread would otherwise rebuild field by field.
*/
import type {ExtractOptions, Headers} from '../types.js';
import {extract} from './extract.js';
import {packResult, type PackedResult} from './packed-result.js';

/** One page to parse, as posted to a worker. */
export interface ParseTask {
	/** The page's bytes; their buffer is transferred, not copied. */
	bytes: Uint8Array;
	pageUrl: string;
	headers: Headers;
	options: ExtractOptions;
}

/** What a worker posts back for one page. */
export type ParseOutcome = {ok: true; packed: PackedResult} | {ok: false; message: string};

/** Parse one page; never throws. */
export default function parseTask(task: ParseTask): ParseOutcome {
	try {
		return {ok: true, packed: packResult(extract(task.bytes, task.pageUrl, task.headers, task.options))};
	} catch (error) {
		return {ok: false, message: (error as Error)?.message ?? String(error)};
	}
}

/*
Warm-up, run as the thread loads (piscina loads this module when the pool
starts, while the run fetches its first page): a small page through the whole
extractor, so the first real page does not also pay for the extractor's
first-call set-up and its coldest code.
*/
const warmPage = new TextEncoder().encode(
	`<!doctype html><title>w</title><ul>${Array.from({length: 200}, (_, index) => `<li><a href="p${index}.html"><img src="i${index}.jpg" srcset="i${index}.jpg 1x, j${index}.jpg 2x" alt="a ${index}" width="10"></a></li>`).join('')}</ul>`,
);
parseTask({
	bytes: warmPage,
	pageUrl: 'http://127.0.0.1/',
	headers: {'content-type': 'text/html; charset=utf-8'},
	options: {selector: 'img', srcset: 'largest', dataUris: false, links: true, meta: true, css: true, follow: 'a', next: 'auto'},
});
