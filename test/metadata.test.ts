import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {manifestName} from '../src/download/manifest.js';
import {scrape, type ImageMetadata} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {faultPage, quickRetries, scrapeWithEvents} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

/*
Metadata beside each image (--write-metadata, --metadata-file), the manifest's
page, and the saved file's time from Last-Modified (--no-mtime).
The fixture page fixtures/metadata/index.html has a title, two images with
alt and title text (one sent with Last-Modified and an ETag) and one 404.
*/

const modified = 'Tue, 15 Nov 2022 08:12:31 GMT';

function pageOf(server: {url: string}): string {
	return `${server.url}static/metadata/index.html`;
}

async function json<T>(file: string): Promise<T> {
	return JSON.parse(await readFile(file, 'utf8')) as T;
}

async function lines<T>(file: string): Promise<T[]> {
	return (await readFile(file, 'utf8'))
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as T);
}

test('--write-metadata puts NAME.EXT.json beside each saved image, with what the page and the server said of it', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const page = pageOf(server);
	const before = Date.now();
	const {code} = await runCli([page, '-o', out, '--write-metadata', '--retries', '0', '-q']);
	assert.equal(code, 1, 'the 404 image fails the run');
	assert.deepEqual(await listFiles(out), ['ice.png', 'ice.png.json', 'snow.jpg', 'snow.jpg.json'], 'no sidecar for the failed image, no temporary left');

	const snowUrl = `${server.url}fault/ok/snow.jpg?last-modified=Tue,%2015%20Nov%202022%2008:12:31%20GMT&etag=%22abc123%22`;
	const snow = await json<ImageMetadata>(path.join(out, 'snow.jpg.json'));
	const bytes = await readFile(path.join(out, 'snow.jpg'));
	assert.ok(Date.parse(snow.saved) >= before - 1000 && Date.parse(snow.saved) <= Date.now(), 'saved is when it was saved');
	assert.deepEqual(snow, {
		url: snowUrl,
		page,
		pageTitle: 'Winter gallery',
		alt: 'Snow on pines',
		title: 'First snow',
		width: 8,
		height: 8,
		bytes: bytes.length,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		contentType: 'image/jpeg',
		lastModified: modified,
		etag: '"abc123"',
		saved: snow.saved,
	});
	const ice = await json<ImageMetadata>(path.join(out, 'ice.png.json'));
	assert.deepEqual(
		Object.keys(ice),
		['url', 'page', 'pageTitle', 'alt', 'width', 'height', 'bytes', 'sha256', 'contentType', 'saved'],
		'what is unknown is left out',
	);
	assert.equal(ice.contentType, 'image/png');

	const manifest = await lines<Record<string, unknown>>(path.join(out, manifestName));
	assert.deepEqual(
		manifest
			.map(({url, file, page: from, width, height}) => ({url, file, page: from, width, height}))
			.sort((a, b) => String(a.file).localeCompare(String(b.file))),
		[
			{url: `${server.url}fault/ok/ice.png?seed=ice`, file: 'ice.png', page, width: ice.width, height: ice.height},
			{url: snowUrl, file: 'snow.jpg', page, width: 8, height: 8},
		],
		'the manifest line names the page and the pixel size too',
	);
});

test('a sidecar is never written over a file the user has: the image and its sidecar take the stable alternative name together', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const mine = Buffer.from('{"mine": true}\n');
	await writeFile(path.join(out, 'snow.jpg.json'), mine);
	const {report, events} = await scrapeWithEvents({urls: [pageOf(server)], out, writeMetadata: true, retries: 0});
	assert.equal(report.downloaded, 2);
	assert.equal(report.renamed, 1);
	assert.deepEqual(await readFile(path.join(out, 'snow.jpg.json')), mine, "the user's file is byte-identical");
	const done = events.find(event => event.type === 'image-done' && event.url.includes('snow.jpg'));
	assert.ok(done?.type === 'image-done');
	const name = path.basename(done.location);
	assert.notEqual(name, 'snow.jpg');
	assert.deepEqual(await listFiles(out), [name, `${name}.json`, 'ice.png', 'ice.png.json', 'snow.jpg.json'].sort());
	assert.equal((await json<ImageMetadata>(path.join(out, `${name}.json`))).alt, 'Snow on pines');
});

test('a failed or interrupted image leaves neither image nor sidecar nor temporary behind', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const failed = await scrapeWithEvents({urls: [faultPage(server, ['/fault/short/cut.jpg?size=50000'])], out, writeMetadata: true, retries: 0});
	assert.equal(failed.report.failed, 1);
	assert.deepEqual(await listFiles(out), []);

	const controller = new AbortController();
	const report = await scrape({
		...quickRetries,
		urls: [faultPage(server, ['/fault/stall/held.jpg?size=50000'])],
		out,
		writeMetadata: true,
		metadataFile: path.join(out, 'all.jsonl'),
		retries: 0,
		signal: controller.signal,
		onEvent(event) {
			if (event.type === 'image-start') {
				controller.abort();
			}
		},
	});
	assert.equal(report.aborted, true);
	assert.equal(report.downloaded, 0);
	assert.deepEqual(
		(await listFiles(out)).filter(name => name !== 'all.jsonl'),
		[],
		'nothing of the interrupted image',
	);
	assert.equal(await readFile(path.join(out, 'all.jsonl'), 'utf8'), '', 'no metadata line for it');
});

test('on resume a skipped image gets no new sidecar and no new metadata line', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const metadataFile = path.join(out, 'meta', 'images.jsonl');
	const options = {urls: [pageOf(server)], out, writeMetadata: true, metadataFile, retries: 0};
	const first = await scrape(options);
	assert.equal(first.downloaded, 2);
	const sidecar = await readFile(path.join(out, 'snow.jpg.json'));
	const logged = await readFile(metadataFile, 'utf8');
	const second = await scrape(options);
	assert.equal(second.downloaded, 0);
	assert.deepEqual(second.skippedByReason, {exists: 2});
	assert.deepEqual(await readFile(path.join(out, 'snow.jpg.json')), sidecar, 'the sidecar is as the first run wrote it');
	assert.equal(await readFile(metadataFile, 'utf8'), logged, 'no line for skipped images');
});

test('--metadata-file alone writes one JSON line per saved image, naming its file, and no sidecars', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const file = path.join(out, 'meta.jsonl');
	const {code} = await runCli([pageOf(server), '-o', out, '--metadata-file', file, '--retries', '0', '-q']);
	assert.equal(code, 1);
	assert.deepEqual(await listFiles(out), ['ice.png', 'meta.jsonl', 'snow.jpg']);
	const records = await lines<ImageMetadata & {file: string}>(file);
	assert.deepEqual(records.map(record => record.file).sort(), ['ice.png', 'snow.jpg']);
	const snow = records.find(record => record.file === 'snow.jpg')!;
	assert.equal(snow.pageTitle, 'Winter gallery');
	assert.equal(snow.title, 'First snow');
	assert.equal(snow.lastModified, modified);
});

test('an unusable --metadata-file is refused before any request, with one line and exit 2', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const {code, stderr} = await runCli([pageOf(server), '-o', out, '--metadata-file', out, '-q']);
	assert.equal(code, 2);
	assert.match(stderr, new RegExp(`^imgscrape: Cannot use \`${out.replaceAll('/', '\\/')}\` as the metadata file: [^\\n]+\\n$`));
	assert.equal(server.stats().requests, 0);
});

test("the saved file's modification time is the response's Last-Modified; --no-mtime keeps the time of download", async t => {
	const server = await gallery(t);
	const kept = await tempDir(t);
	const before = Date.now();
	assert.equal((await runCli([pageOf(server), '-o', kept, '--retries', '0', '-q'])).code, 1);
	assert.equal((await stat(path.join(kept, 'snow.jpg'))).mtime.toISOString(), new Date(modified).toISOString());
	const withoutHeader = (await stat(path.join(kept, 'ice.png'))).mtimeMs;
	assert.ok(withoutHeader >= before - 2000, 'without Last-Modified the file has the time it was written');

	const plain = await tempDir(t);
	assert.equal((await runCli([pageOf(server), '-o', plain, '--no-mtime', '--retries', '0', '-q'])).code, 1);
	assert.ok((await stat(path.join(plain, 'snow.jpg'))).mtimeMs >= before - 2000, '--no-mtime: the time of download');
});

test('the extractor reports the page title and image titles only when metadata asks for them', async () => {
	const {extract} = await import('../src/index.js');
	const html = Buffer.from('<title> A\n page </title><svg><title>icon</title></svg><img src="a.jpg" title=" T " alt="A">');
	const base = {selector: 'img', srcset: 'largest', dataUris: false, links: false, meta: false, css: false} as const;
	assert.deepEqual(extract(html, 'https://example.com/', {}, base), {
		images: [{url: 'https://example.com/a.jpg', source: 'img', alt: 'A'}],
		links: [],
		next: [],
		encoding: 'UTF-8',
		counts: {selected: 1, img: 1, a: 0},
	});
	const titled = extract(html, 'https://example.com/', {}, {...base, titles: true});
	assert.equal(titled.title, 'A page');
	assert.deepEqual(titled.images, [{url: 'https://example.com/a.jpg', source: 'img', alt: 'A', title: 'T'}]);
});
