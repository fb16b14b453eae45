/**
Inline parsing runs in slices with the event loop turning between them, so a
cancel (Ctrl-C) ends a parse within a slice; and pages still parse one at a
time. Counted in slices and units of work, never in milliseconds.
*/
import assert from 'node:assert/strict';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {test} from 'node:test';
import {sliceWork} from '../src/extract/extract.js';
import {createParsePool} from '../src/extract/parse-pool.js';
import {parseSliceChars} from '../src/extract/tree.js';
import {newWork} from '../src/extract/work.js';
import type {ExtractOptions} from '../src/types.js';

const options: ExtractOptions = {selector: 'img', srcset: 'largest', dataUris: false, links: false, meta: false, css: false, follow: 'li a'};

/** A listing page of `n` entries: about 100 bytes each. */
function listing(n: number): Uint8Array {
	const items = Array.from({length: n}, (_, index) => `<li><a href="/d/${index}.html"><img src="/t/${index}.jpg" alt="${index}"></a></li>`);
	return new TextEncoder().encode(`<!doctype html><ul>${items.join('\n')}</ul>`);
}

test('a page parses in many slices, with the event loop turning between them', async () => {
	const work = newWork();
	const parser = createParsePool({workers: 0, work});
	let turns = 0;
	let parsing = true;
	const count = async () => {
		while (parsing) {
			await nextTurn();
			turns++;
		}
	};

	const counting = count();
	const page = listing(30_000);
	const result = await parser.parse(page, 'https://example.com/', {}, options);
	parsing = false;
	await counting;
	assert.equal(result.images.length, 30_000);
	assert.equal(result.links.length, 30_000);
	assert.ok(work.slices >= Math.floor(page.length / parseSliceChars) + Math.floor(work.visited / sliceWork), JSON.stringify(work));
	assert.ok(turns >= work.slices - 1, `the loop turned ${turns} times during ${work.slices} slices`);
});

test('a cancel ends an inline parse at the next slice', async () => {
	const work = newWork();
	const parser = createParsePool({workers: 0, work});
	const controller = new AbortController();
	const page = listing(30_000);
	const parsed = parser.parse(page, 'https://example.com/', {}, options, controller.signal);
	// Cancel as soon as the first slice of HTML has been parsed.
	while (work.parsed === 0) {
		await nextTurn();
	}

	controller.abort();
	await assert.rejects(parsed, (error: Error & {code?: string}) => error.code === 'aborted');
	assert.ok(work.parsed <= 2 * parseSliceChars, `${work.parsed} characters parsed`);
	assert.ok(work.parsed < page.length);
	assert.equal(work.visited, 0, 'the walk never started');
});

test('inline, pages parse one at a time: the next starts when the last is done', async () => {
	const parser = createParsePool({workers: 0});
	const events: string[] = [];
	await Promise.all(
		[1, 2, 3].map(async index => {
			await parser.parse(listing(3000), `https://example.com/${index}`, {}, options, undefined, () => events.push(`start ${index}`));
			events.push(`done ${index}`);
		}),
	);
	assert.deepEqual(events, ['start 1', 'done 1', 'start 2', 'done 2', 'start 3', 'done 3']);
});
