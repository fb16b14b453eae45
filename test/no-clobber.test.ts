import assert from 'node:assert/strict';
import {mkdir, readFile, rm, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {manifestName} from '../src/download/manifest.js';
import {urlHash} from '../src/download/names.js';
import {scrape} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {scrapeWithEvents} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir, treeSnapshot} from './helpers/temp.js';

interface Line {
	url: string;
	file: string;
	bytes: number;
	sha256: string;
}

async function manifestLines(file: string): Promise<Line[]> {
	return (await readFile(file, 'utf8'))
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as Line);
}

test('a file the user already has is never replaced: the image takes its hashed name, and the same bytes count as exists', async t => {
	const server = await gallery(t, {pages: 1, perPage: 3, size: 2000});
	const out = await tempDir(t);
	const [first, second] = server.imageUrls() as [string, string, string];
	const photo = Buffer.from("the user's own photo, not from this gallery");
	await writeFile(path.join(out, 'p1-01.jpg'), photo);
	await writeFile(path.join(out, 'p1-02.jpg'), server.imageBytes(second));

	const {report, events} = await scrapeWithEvents({urls: [server.template], pages: '1', out});
	assert.equal(report.failed, 0);
	assert.equal(report.downloaded, 2);
	assert.equal(report.renamed, 1);
	assert.deepEqual(report.skippedByReason, {exists: 1});
	assert.deepEqual(await readFile(path.join(out, 'p1-01.jpg')), photo, "the user's file is byte-identical");
	const hashed = `p1-01-${urlHash(first)}.jpg`;
	assert.deepEqual(await readFile(path.join(out, hashed)), server.imageBytes(first));
	assert.ok(events.some(event => event.type === 'image-done' && event.url === first && event.renamed === true && event.location === path.join(out, hashed)));
	assert.deepEqual(await listFiles(out), [hashed, 'p1-01.jpg', 'p1-02.jpg', 'p1-03.jpg'].sort());

	// The file that already held the bytes is recorded like any other, so the next run asks for nothing.
	const lines = await manifestLines(path.join(out, manifestName));
	assert.deepEqual(
		new Map(lines.map(line => [line.url, line.file])),
		new Map([
			[first, hashed],
			[second, 'p1-02.jpg'],
			[server.imageUrls()[2]!, 'p1-03.jpg'],
		]),
	);
	server.resetStats();
	const again = await scrape({urls: [server.template], pages: '1', out});
	assert.deepEqual(again.skippedByReason, {exists: 3});
	assert.equal(server.stats().image.requests, 0);
	assert.deepEqual(await readFile(path.join(out, 'p1-01.jpg')), photo);
});

test('a folder filled by an earlier run whose manifest is gone, or lives elsewhere, is recognised file by file, not copied again', async t => {
	const server = await gallery(t, {pages: 2, perPage: 4, size: 1500});
	const dir = await tempDir(t);
	const out = path.join(dir, 'img');
	const options = {urls: [server.template], pages: '1-2', out};
	assert.equal((await scrape(options)).downloaded, 8);
	const before = await treeSnapshot(out);
	await rm(path.join(out, manifestName));

	const report = await scrape({...options, archive: path.join(dir, 'elsewhere.jsonl')});
	assert.equal(report.downloaded, 0);
	assert.equal(report.renamed, 0);
	assert.deepEqual(report.skippedByReason, {exists: 8});
	const {[manifestName]: _, ...files} = before;
	assert.deepEqual(await treeSnapshot(out), files, 'no second copy, nothing replaced');
	assert.equal((await manifestLines(path.join(dir, 'elsewhere.jsonl'))).length, 8);
});

test('--overwrite replaces what stands under a wanted name, as before', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1200});
	const out = await tempDir(t);
	await writeFile(path.join(out, 'p1-01.jpg'), 'old bytes');
	const {code, stderr} = await runCli([server.template, '--pages', '1', '-o', out, '-q', '--overwrite']);
	assert.equal(code, 0, stderr);
	assert.deepEqual(await readFile(path.join(out, 'p1-01.jpg')), server.imageBytes(server.imageUrls()[0]!));
	assert.deepEqual(await listFiles(out), ['p1-01.jpg', 'p1-02.jpg']);
});

test('a link under a wanted name is left alone, and so is what it points to', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1200});
	const dir = await tempDir(t);
	const out = path.join(dir, 'img');
	const outside = path.join(dir, 'outside');
	await mkdir(out);
	await mkdir(outside);
	await writeFile(path.join(outside, 'target.jpg'), 'precious');
	await symlink(path.join(outside, 'target.jpg'), path.join(out, 'p1-01.jpg'));
	const outsideBefore = await treeSnapshot(outside);

	for (const overwrite of [false, true]) {
		const report = await scrape({urls: [server.template], pages: '1', out, overwrite});
		assert.equal(report.failed, 0);
		assert.deepEqual(await treeSnapshot(outside), outsideBefore, `overwrite ${overwrite}: nothing outside changed`);
	}
});

test("different URLs with the same name still each keep their file, and a user's file under that name survives too", async t => {
	const server = await gallery(t, {pages: 1, perPage: 3, size: 1100});
	const out = await tempDir(t);
	await writeFile(path.join(out, 'same.jpg'), 'mine');
	const report = await scrape({urls: [server.template], pages: '1', out, name: 'same.{ext}'});
	assert.equal(report.failed, 0);
	assert.equal(report.downloaded, 3);
	assert.equal(report.renamed, 1, 'only the URL that wanted same.jpg itself was displaced');
	assert.equal(await readFile(path.join(out, 'same.jpg'), 'utf8'), 'mine');
	const files = await listFiles(out);
	assert.equal(files.length, 4);
	for (const url of server.imageUrls()) {
		const file = files.find(name => name.includes(urlHash(url)));
		assert.ok(file, `${url} has a file of its own`);
		assert.deepEqual(await readFile(path.join(out, file)), server.imageBytes(url));
	}
});
