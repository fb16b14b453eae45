import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {manifestName} from '../src/download/manifest.js';
import {scrape} from '../src/index.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

const bin = fileURLToPath(new URL('../../bin/imgscrape.js', import.meta.url));

test('a run killed with SIGINT mid-download leaves only whole files, and the rerun skips exactly those', async t => {
	// The last page is slow, so the run cannot finish before the signal lands.
	const server = await gallery(t, {pages: 4, perPage: 25, size: 150_000, latency: 30, pageLatency: {4: 800}});
	const out = await tempDir(t);
	const child = spawn(process.execPath, [bin, server.template, '--pages', '1-4', '-o', out, '-c', '4', '--json'], {stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		stdout += chunk;
	});
	const exited = once(child, 'exit') as Promise<[number | null]>;
	// Wait until a few files are complete; the pool then has more in flight.
	while ((await readdir(out)).filter(name => name.endsWith('.jpg')).length < 3) {
		await delay(5);
	}

	child.kill('SIGINT');
	const [code] = await exited;
	assert.equal(code, 130);
	const first = JSON.parse(stdout) as {aborted: boolean; downloaded: number};
	assert.equal(first.aborted, true);

	const files = await listFiles(out);
	assert.ok(files.length >= 3 && files.length < 100, `${files.length} files`);
	assert.equal(files.length, first.downloaded);
	for (const file of files) {
		assert.ok(!file.startsWith('.'), `stray temporary file ${file}`);
		assert.deepEqual(await readFile(path.join(out, file)), server.imageBytes(`/uploads/allimg/${file}`), `${file} is whole`);
	}

	const manifest = (await readFile(path.join(out, manifestName), 'utf8')).trim().split('\n');
	assert.equal(manifest.length, files.length, 'the manifest was flushed on the way out');

	server.resetStats();
	const report = await scrape({urls: [server.template], pages: '1-4', out, concurrency: 8});
	assert.equal(report.aborted, false);
	assert.equal(report.skipped, files.length);
	assert.equal(report.downloaded, 100 - files.length);
	assert.equal(report.failed, 0);
	assert.equal(server.stats().image.requests, 100 - files.length);
	const all = await listFiles(out);
	assert.deepEqual(
		all,
		server
			.imageUrls()
			.map(url => path.basename(url))
			.sort(),
	);
	for (const file of all) {
		assert.deepEqual(await readFile(path.join(out, file)), server.imageBytes(`/uploads/allimg/${file}`), file);
	}
});
