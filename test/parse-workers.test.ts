/**
--parse-workers: the pool runs the very same extractor, so every result must be
identical to inline parsing, failures included; and the workers must never keep
the process alive.
*/
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import {availableParallelism} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {createParsePool} from '../src/extract/parse-pool.js';
import {resolveOptions} from '../src/index.js';
import {scrape} from '../src/scraper/scrape.js';
import type {ExtractOptions, Headers} from '../src/types.js';
import {bin, runCli, runInterrupted} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const corpus = path.join(fixtures, 'extract');
const scenarios = readdirSync(corpus, {withFileTypes: true})
	.filter(entry => entry.isDirectory())
	.map(entry => entry.name)
	.sort();

const defaultExtract: ExtractOptions = {selector: 'img', srcset: 'largest', dataUris: false, links: false, meta: false, css: false};

function readJson<T>(file: string, fallback: T): T {
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : fallback;
}

/** Run `list` inline and with two workers; both must agree exactly, stdout, stderr and exit code. */
async function listBothWays(args: string[]) {
	const inline = await runCli(['list', ...args, '--parse-workers', '0']);
	const workers = await runCli(['list', ...args, '--parse-workers', '2']);
	assert.equal(workers.stdout, inline.stdout);
	assert.equal(workers.stderr, inline.stderr);
	assert.equal(workers.code, inline.code);
	return inline;
}

test('list gives the same output inline and on workers over the fixture gallery', async t => {
	const server = await gallery(t, {pages: 6, perPage: 40, pageBytes: 50_000, format: 'mixed'});
	const {code, stdout, stderr} = await listBothWays([server.template, '--pages', '1-6', '--links', '--meta', '--css']);
	assert.equal(code, 0, stderr);
	const urls = stdout
		.trim()
		.split('\n')
		.map(line => (JSON.parse(line) as {url: string}).url);
	assert.deepEqual(urls, server.imageUrls());
});

test('list gives the same output inline and on workers over every page of the extractor corpus', async t => {
	const server = await gallery(t);
	const pages = scenarios.map(name => `${server.url}static/extract/${encodeURIComponent(name)}/page.html`);
	const plain = await listBothWays(pages);
	assert.equal(plain.code, 0, plain.stderr);
	assert.ok(plain.stdout.split('\n').length > 40, 'the corpus yields images');
	const everything = await listBothWays([...pages, '--links', '--meta', '--css', '--data-uris', '--srcset', 'all']);
	assert.equal(everything.code, 0, everything.stderr);
	assert.ok(everything.stdout.length > plain.stdout.length, 'the opt-ins find more');
});

test('the pool parser returns exactly the recorded result for every corpus scenario, headers and options included', async t => {
	const parser = createParsePool({workers: 2});
	t.after(() => parser.close());
	assert.ok(scenarios.length > 20);
	await Promise.all(
		scenarios.map(async name => {
			const folder = path.join(corpus, name);
			const {pageUrl = `https://example.com/${name}/page.html`, ...overrides} = readJson<Partial<ExtractOptions> & {pageUrl?: string}>(
				path.join(folder, 'options.json'),
				{},
			);
			const headers = readJson<Headers>(path.join(folder, 'headers.json'), {});
			const bytes = new Uint8Array(readFileSync(path.join(folder, 'page.html')));
			const result = await parser.parse(bytes, pageUrl, headers, {...defaultExtract, ...overrides});
			assert.deepStrictEqual(result, readJson(path.join(folder, 'expected.json'), {}), name);
		}),
	);
});

test("a deep page matched with :has() is no parse failure in both modes: its images up to the selector's bound, and a warning", async t => {
	// Matching :has() used to recurse through the descendants and overflow the stack on this page, which failed it.
	// It now costs each of the 511 spans above the depth limit a walk over the 40,000 below: more than the bound.
	const dir = await tempDir(t);
	await mkdir(path.join(dir, 'deep'));
	await writeFile(path.join(dir, 'deep', 'page.html'), `<img src="first.jpg">${'<span>'.repeat(40_000)}<img src="deep.jpg">`);
	const server = await gallery(t, {pages: 3, perPage: 5, staticDir: dir});
	const deep = `${server.url}static/deep/page.html`;
	const pages = server.pageUrls();
	const {code, stdout, stderr} = await listBothWays([pages[0]!, deep, pages[1]!, pages[2]!, '--selector', 'img, span:has(img)']);
	assert.equal(code, 0, stderr);
	assert.match(
		stderr,
		/^imgscrape: \S+\/deep\/page\.html: warning: image selector `img, span:has\(img\)` stopped matching partway, past its bound of \d+ steps on this page: images after that point were not taken\n$/,
	);
	const urls = stdout
		.trim()
		.split('\n')
		.map(line => (JSON.parse(line) as {url: string}).url);
	const images = server.imageUrls();
	assert.deepEqual(urls, [...images.slice(0, 5), `${server.url}static/deep/first.jpg`, ...images.slice(5)]);
});

test('a page the extractor throws on is a parse failure in both modes, and the parser goes on', async () => {
	// Options are validated before a run, so only a caller of the parser itself can hand it an invalid selector.
	const page = new TextEncoder().encode('<img src="a.jpg">');
	for (const workers of [0, 1]) {
		const parser = createParsePool({workers});
		try {
			await assert.rejects(
				parser.parse(page, 'https://example.com/', {}, {...defaultExtract, selector: 'img[', follow: 'a'}),
				(error: Error & {code?: string}) => {
					assert.equal(error.code, 'parse', `workers ${workers}`);
					return true;
				},
			);
			const result = await parser.parse(new TextEncoder().encode('<img src="a.jpg">'), 'https://example.com/', {}, defaultExtract);
			assert.deepEqual(result.images, [{url: 'https://example.com/a.jpg', source: 'img'}]);
		} finally {
			await parser.close();
		}
	}
});

test('the parse stage counts every page in both modes', async t => {
	const server = await gallery(t, {pages: 5, perPage: 3});
	for (const parseWorkers of [0, 1] as const) {
		const report = await scrape({urls: [server.template], pages: '1-5', download: false, parseWorkers});
		assert.equal(report.phases.parse.count, 5);
		assert.equal(report.phases.parse.limit, parseWorkers === 0 ? 1 : null);
		if (parseWorkers === 0) {
			assert.equal(report.phases.parse.peakInFlight, 1, 'inline, pages are parsed one at a time');
		}

		assert.equal(report.images, 15);
		assert.equal(report.pagesFailed, 0);
	}
});

/** The process's OS thread count, where Linux tells it. */
function threadCount(): number | undefined {
	const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
	const match = /^Threads:\s+(\d+)$/m.exec(status);
	return match ? Number(match[1]) : undefined;
}

test('a run leaves no worker thread behind', {skip: threadCount() === undefined && 'needs /proc/self/status'}, async t => {
	const server = await gallery(t, {pages: 3, perPage: 3});
	const options = {urls: [server.template], pages: '1-3', download: false} as const;
	// An inline run first, so threads the runtime starts lazily on first use are already there.
	await scrape({...options, parseWorkers: 0});
	const before = threadCount();
	const report = await scrape({...options, parseWorkers: 2});
	assert.equal(report.images, 9);
	assert.equal(threadCount(), before);
});

test('page bytes are transferred to the worker, not copied, unless they share a pooled buffer', async t => {
	const parser = createParsePool({workers: 1});
	t.after(() => parser.close());
	const own = new TextEncoder().encode(`<img src="a.jpg">${' '.repeat(10_000)}`);
	assert.equal((await parser.parse(own, 'https://example.com/', {}, defaultExtract)).images.length, 1);
	assert.equal(own.byteLength, 0, "the page's own buffer went to the worker");
	// Buffer.from of a short string is a slice of Node's shared pool: copied, so the rest of the pool stays usable.
	const pooled = Buffer.from('<img src="b.jpg">');
	assert.notEqual(pooled.buffer.byteLength, pooled.byteLength);
	assert.equal((await parser.parse(pooled, 'https://example.com/', {}, defaultExtract)).images[0]?.url, 'https://example.com/b.jpg');
	assert.equal(pooled.toString(), '<img src="b.jpg">');
});

test('an aborted parse rejects as aborted, and the pool goes on parsing afterwards', async t => {
	const parser = createParsePool({workers: 1});
	t.after(() => parser.close());
	const controller = new AbortController();
	const page = new TextEncoder().encode('<img src="x.jpg">'.repeat(20_000));
	const pending = parser.parse(page, 'https://example.com/', {}, defaultExtract, controller.signal);
	controller.abort();
	await assert.rejects(pending, {code: 'aborted'});
	const after = await parser.parse(new TextEncoder().encode('<img src="y.jpg">'), 'https://example.com/', {}, defaultExtract);
	assert.deepEqual(
		after.images.map(image => image.url),
		['https://example.com/y.jpg'],
	);
});

test('parseWorkers is validated, naming the option and the value; auto leaves a core to the main thread', async () => {
	assert.equal(resolveOptions({urls: ['https://example.com/']}).parseWorkers, 0);
	assert.equal(resolveOptions({urls: ['https://example.com/'], parseWorkers: 'auto'}).parseWorkers, Math.max(1, availableParallelism() - 1));
	await assert.rejects(scrape({urls: ['https://example.com/'], parseWorkers: -1}), /`parseWorkers`.*`-1` \(number\)/);
	await assert.rejects(scrape({urls: ['https://example.com/'], parseWorkers: 1.5}), /`parseWorkers`.*`1\.5` \(number\)/);
	const typo = await runCli(['list', 'https://example.com/', '--parse-workers', 'many']);
	assert.equal(typo.code, 2);
	assert.equal(typo.stderr, 'imgscrape: --parse-workers: expected a whole number from 0 and up or `auto`, got `many`\n');
});

test('the process exits on its own after a run with workers', async t => {
	const server = await gallery(t, {pages: 3, perPage: 4});
	const child = spawn(process.execPath, [bin, 'list', server.template, '--pages', '1-3', '--parse-workers', 'auto'], {stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		stdout += chunk;
	});
	// A leaked worker would keep the process alive and this would never resolve (the test would time out).
	const [code] = (await once(child, 'exit')) as [number | null];
	assert.equal(code, 0);
	assert.equal(stdout.trim().split('\n').length, 12);
});

test('Ctrl-C during a run with workers exits 130 and ends the process', async t => {
	const server = await gallery(t, {pages: 8, perPage: 300, size: 2000, pageBytes: 400_000, latency: 40});
	const out = await tempDir(t);
	// Interrupt once the first page is parsed: others are fetching or parsing, downloads are under way.
	const {code, stderr} = await runInterrupted(
		[server.template, '--pages', '1-8', '-o', out, '-c', '2', '--page-concurrency', '2', '--parse-workers', '2'],
		/^page 1 /m,
	);
	assert.equal(code, 130, stderr);
	assert.match(stderr, /cancelled after/);
});
