import assert from 'node:assert/strict';
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {FolderStore} from '../src/download/folder-store.js';
import {JsonlManifest as Manifest} from '../src/download/manifest.js';
import {tempDir} from './helpers/temp.js';

test('the manifest records files relative to itself and a reopened one agrees with the disk', async t => {
	const dir = await tempDir(t);
	const file = path.join(dir, 'archive', 'seen.jsonl');
	const image = path.join(dir, 'img', 'a.jpg');
	await mkdir(path.dirname(image), {recursive: true});
	await writeFile(image, 'abc');
	const manifest = await Manifest.open(file);
	await manifest.add({url: 'http://h/a.jpg', location: image, bytes: 3, sha256: 'f'.repeat(64)});
	await manifest.add({url: 'http://h/b.jpg', location: path.join(dir, 'img', 'b.jpg'), bytes: 5, sha256: 'e'.repeat(64)});
	await manifest.close();
	const lines = (await readFile(file, 'utf8'))
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {url: string; file: string; time: string});
	assert.deepEqual(
		lines.map(line => [line.url, line.file]),
		[
			['http://h/a.jpg', '../img/a.jpg'],
			['http://h/b.jpg', '../img/b.jpg'],
		],
	);
	assert.ok(lines.every(line => !Number.isNaN(Date.parse(line.time))));

	const again = await Manifest.open(file);
	const store = FolderStore.open({out: path.join(dir, 'img'), name: undefined, overwrite: false});
	t.after(async () => store.close());
	const completed = async (url: string) => {
		const record = again.lookup(url);
		return record !== undefined && (await store.holds(record.location, record.bytes)) ? record.location : undefined;
	};

	assert.equal(await completed('http://h/a.jpg'), image);
	assert.equal(await completed('http://h/b.jpg'), undefined, 'the file is not on disk');
	await writeFile(image, 'ab');
	assert.equal(await completed('http://h/a.jpg'), undefined, 'the size disagrees');
	assert.equal(await completed('http://h/c.jpg'), undefined, 'never recorded');
});

test('a torn last line from a killed run is ignored, and the next entry starts on a line of its own', async t => {
	const dir = await tempDir(t);
	const file = path.join(dir, 'm.jsonl');
	await writeFile(path.join(dir, 'a.jpg'), 'abcd');
	await writeFile(file, `${JSON.stringify({url: 'http://h/a.jpg', file: 'a.jpg', bytes: 4, sha256: 'a', time: ''})}\nnot json\n{"url": "http://h/b.jpg", "fi`);
	const manifest = await Manifest.open(file);
	assert.deepEqual(
		['http://h/a.jpg', 'http://h/b.jpg'].map(url => manifest.lookup(url)?.url),
		['http://h/a.jpg', undefined],
	);
	await manifest.add({url: 'http://h/c.jpg', location: path.join(dir, 'c.jpg'), bytes: 1, sha256: 'c'});
	await manifest.close();
	const reopened = await Manifest.open(file);
	assert.deepEqual(
		['http://h/a.jpg', 'http://h/b.jpg', 'http://h/c.jpg'].map(url => reopened.lookup(url)?.url),
		['http://h/a.jpg', undefined, 'http://h/c.jpg'],
	);
});
