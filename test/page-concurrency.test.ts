/**
`--page-concurrency auto`: the page pool under the same controller as
`-c auto`, against a fixture gallery that answers 503 (or slows down) above
N listing pages in flight. Judged on behaviour: where it settled, no failed
page, the server's own peak of pages in flight, the report's line.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseArgs} from '../src/cli/parse-args.js';
import {formatReport} from '../src/report/format.js';
import type {ScrapeOptions} from '../src/options.js';
import {resolveOptions} from '../src/resolve-options.js';
import {scrape} from '../src/scraper/scrape.js';
import type {ConcurrencyChange} from '../src/types.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

const pages = 80;

/** List every page of the gallery under --page-concurrency auto, keeping its concurrency changes. */
async function listPages(server: {template: string}, options: Partial<ScrapeOptions> = {}) {
	const changes: ConcurrencyChange[] = [];
	const report = await scrape({
		urls: [server.template],
		pages: `1-${pages}`,
		download: false,
		pageConcurrency: 'auto',
		robots: 'ignore',
		...options,
		onEvent(event) {
			if (event.type === 'concurrency') changes.push(event);
		},
	});
	return {report, changes};
}

test('--page-concurrency auto against a gallery that answers 503 above 4 pages in flight: every page listed, settled within one step of 4', async t => {
	const server = await gallery(t, {pages, perPage: 2, size: 300, latency: 30, pageCapacity: 4, overload: 'refuse'});
	// A page's 503 is the pool's to answer by slowing down: it does not count against --retries.
	const {report, changes} = await listPages(server, {retries: 0});
	assert.equal(report.pagesFailed, 0, JSON.stringify(report.failures));
	assert.equal(report.pages, pages);
	assert.ok(server.stats().refused > 0, 'the run went past the limit at least once');
	const settled = report.autoPageConcurrency!;
	assert.ok(Math.abs(settled.settled - 4) <= 1, `settled at ${settled.settled}: ${JSON.stringify(changes)}`);
	assert.equal(settled.reason, 'overload');
	assert.ok(changes.every(change => change.pool === 'pages'));
	assert.equal(changes.at(-1)?.settled, true);
	assert.equal(settled.changes, changes.length - 1);
	assert.equal(report.autoConcurrency, undefined, 'the download pool is not under auto');
	assert.match(formatReport(report), /--page-concurrency auto settled at \d+: the server pushed back above it \(http-503 at \d+ in flight\)/);
});

test('--page-concurrency auto against a gallery whose pages slow down above 4 in flight settles within one step of 4', async t => {
	const server = await gallery(t, {pages, perPage: 2, size: 300, latency: 30, pageCapacity: 4, overload: 'slow', overloadLatency: 100});
	const {report, changes} = await listPages(server);
	assert.equal(report.pagesFailed, 0);
	assert.equal(report.pages, pages);
	const settled = report.autoPageConcurrency!;
	assert.ok(Math.abs(settled.settled - 4) <= 1, `settled at ${settled.settled} (${settled.reason}: ${settled.detail})`);
	// It stepped back on the latency jump; the run may end while it probes one above the limit again.
	assert.ok(
		changes.some(change => change.reason === 'latency' && change.from > 4 && change.to <= 4),
		JSON.stringify(changes),
	);
});

test('--page-concurrency auto never takes more pages at once than --max-concurrency, and both pools can be auto in one run', async t => {
	const server = await gallery(t, {pages: 40, perPage: 4, size: 300, latency: 20});
	const out = await tempDir(t);
	const report = await scrape({urls: [server.template], pages: '1-40', out, pageConcurrency: 'auto', concurrency: 'auto', maxConcurrency: 3, robots: 'ignore'});
	assert.equal(report.pages, 40);
	assert.equal(report.downloaded, 160);
	assert.ok(server.stats().page.peakInFlight <= 3, `peak ${server.stats().page.peakInFlight} pages in flight`);
	assert.equal(report.autoPageConcurrency?.settled, 3);
	assert.equal(report.autoPageConcurrency?.reason, 'max');
	assert.equal(report.autoConcurrency?.settled, 3);
	assert.match(formatReport(report), /--page-concurrency auto settled at 3[^\n]*\n {2}-c auto settled at 3/);
});

test('--page-concurrency takes a count or auto, bounded by --max-concurrency and a finite --per-host; nothing else', async () => {
	const page = async (args: string[]) => {
		const {invocation} = await parseArgs(args);
		return (invocation as {options: {pageConcurrency?: unknown}}).options.pageConcurrency;
	};
	assert.equal(await page(['http://127.0.0.1/', '--page-concurrency', 'auto']), 'auto');
	assert.equal(await page(['list', 'http://127.0.0.1/', '--page-concurrency', 'auto', '--max-concurrency', '5']), 'auto');
	assert.equal(await page(['http://127.0.0.1/', '--page-concurrency', '8']), 8);
	const url = ['http://127.0.0.1/'];
	assert.deepEqual(
		[
			resolveOptions({urls: url, pageConcurrency: 'auto'}),
			resolveOptions({urls: url, pageConcurrency: 'auto', perHost: 3}),
			resolveOptions({urls: url, pageConcurrency: 'auto', maxConcurrency: 12}),
			// The downloads' retries are as with a fixed -c: only the page fetches heed the pushback.
		].map(each => [each.pageConcurrency, each.autoPageConcurrency, each.retry.pushback]),
		[
			[64, true, false],
			[3, true, false],
			[12, true, false],
		],
	);
	const fixed = resolveOptions({urls: url});
	assert.deepEqual([fixed.pageConcurrency, fixed.autoPageConcurrency, fixed.retry.pushback], [4, false, false]);
	assert.throws(
		() => resolveOptions({urls: url, pageConcurrency: 'many' as 'auto'}),
		/`pageConcurrency` to be a whole number from 1 and up or `auto`, got `many`/,
	);
	assert.throws(() => resolveOptions({urls: url, pageConcurrency: 0}), /`pageConcurrency`/);
});
