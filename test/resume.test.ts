import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {readFile, rm, truncate, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {manifestName} from '../src/download/manifest.js';
import {scrape} from '../src/index.js';
import {scrapeWithEvents} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

test('a rerun skips what the manifest and the disk agree on, and fetches what is missing or wrong', async t => {
	const server = await gallery(t, {pages: 2, perPage: 5, size: 3000});
	const out = await tempDir(t);
	const options = {urls: [server.template], pages: '1-2', out};
	const first = await scrape(options);
	assert.equal(first.downloaded, 10);
	const lines = (await readFile(path.join(out, manifestName), 'utf8'))
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {url: string; file: string; bytes: number; sha256: string});
	assert.equal(lines.length, 10);
	assert.deepEqual(new Set(lines.map(line => line.url)), new Set(server.imageUrls()));
	assert.ok(lines.every(line => line.bytes === 3000 && /^[\da-f]{64}$/.test(line.sha256) && !line.file.includes('/')));

	server.resetStats();
	const {report, events} = await scrapeWithEvents(options);
	assert.equal(report.skipped, 10);
	assert.deepEqual(report.skippedByReason, {exists: 10});
	assert.equal(report.downloaded, 0);
	assert.equal(server.stats().image.requests, 0);
	assert.ok(
		events.every(event => event.type !== 'image-start'),
		'a skipped image never starts',
	);
	assert.equal(events.filter(event => event.type === 'image-skipped' && event.location !== undefined).length, 10);

	await rm(path.join(out, 'p1-02.jpg'));
	await truncate(path.join(out, 'p2-05.jpg'), 100);
	server.resetStats();
	const third = await scrape(options);
	assert.equal(third.skipped, 8);
	assert.equal(third.downloaded, 2);
	assert.equal(server.stats().image.requests, 2);
	for (const url of server.imageUrls()) {
		assert.deepEqual(await readFile(path.join(out, path.basename(url))), server.imageBytes(url), url);
	}
});

test('--archive shares one manifest across folders and runs', async t => {
	const server = await gallery(t, {pages: 1, perPage: 4, size: 2000});
	const dir = await tempDir(t);
	const archive = path.join(dir, 'archive.jsonl');
	const first = await scrape({urls: [server.template], pages: '1', out: path.join(dir, 'a'), archive});
	assert.equal(first.downloaded, 4);
	server.resetStats();
	const second = await scrape({urls: [server.template], pages: '1', out: path.join(dir, 'b'), archive});
	assert.equal(second.skipped, 4);
	assert.equal(server.stats().image.requests, 0);
	assert.deepEqual(await listFiles(dir), ['a', 'archive.jsonl']);
	assert.ok(!existsSync(path.join(dir, 'b')), 'the archive, not the folder, holds the record, and the run left no empty folder behind');
	const entries = (await readFile(archive, 'utf8'))
		.trim()
		.split('\n')
		.map(line => (JSON.parse(line) as {file: string}).file);
	assert.ok(
		entries.every(file => file.startsWith('a/')),
		entries.join(' '),
	);
});

test('temporary files left by a killed run are removed when the next run starts', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const out = await tempDir(t);
	await writeFile(path.join(out, '.imgscrape-0123456789ab.part'), 'half a jpeg');
	await writeFile(path.join(out, '.imgscrape-keep.txt'), 'not ours to remove');
	const report = await scrape({urls: [server.template], pages: '1', out});
	assert.equal(report.downloaded, 2);
	assert.deepEqual(await listFiles(out), ['.imgscrape-keep.txt', 'p1-01.jpg', 'p1-02.jpg']);
});
