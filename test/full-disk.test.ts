import assert from 'node:assert/strict';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import type {ScrapeReport} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {checkEveryFileHasItsLine} from './helpers/manifest.js';
import {mountTmpfs} from './helpers/mount.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

test('a manifest on a full disk stops the run cleanly: the report, the error named, exit 1, whole lines only', async t => {
	const small = mountTmpfs(t, 'size=8k');
	if (small === undefined) {
		return;
	}

	const server = await gallery(t, {pages: 2, perPage: 60, size: 1500});
	const out = await tempDir(t);
	const archive = path.join(small, 'archive.jsonl');
	const {code, stdout, stderr} = await runCli([server.template, '--pages', '1-2', '-o', out, '--archive', archive, '--json', '-q']);
	assert.equal(code, 1, stderr);
	const report = JSON.parse(stdout) as ScrapeReport;
	assert.equal(report.stoppedBy?.code, 'fs');
	assert.match(report.stoppedBy?.message ?? '', /^cannot write the manifest `.*archive\.jsonl`: ENOSPC: no space left on device/);
	assert.equal(report.aborted, false);
	assert.ok(report.downloaded > 0 && report.downloaded < 120, `${report.downloaded} saved before the disk was full`);

	const recorded = await checkEveryFileHasItsLine(out, archive);
	assert.equal(recorded.size, report.downloaded, 'every file saved has its line, and no image whose line failed was put in place');
	assert.ok((await readFile(archive, 'utf8')).endsWith('\n'), 'no torn last line');
	assert.deepEqual(
		(await readdir(out)).filter(name => name.startsWith('.')),
		[],
		'no temporary or lock is left',
	);

	const human = await runCli([server.template, '--pages', '1-2', '-o', out, '--archive', archive]);
	assert.equal(human.code, 1);
	assert.match(human.stderr, /stopped after/);
	assert.match(human.stderr, /^ {2}stopped by fs: cannot write the manifest .*ENOSPC/m);
	assert.doesNotMatch(human.stderr, /\n\s+at /, 'no stack trace');
});

test('images on a full disk stop the run too, rather than fail one by one; nothing partial is left', async t => {
	const small = mountTmpfs(t, 'size=96k');
	if (small === undefined) {
		return;
	}

	const server = await gallery(t, {pages: 2, perPage: 50, size: 3000});
	const {code, stdout, stderr} = await runCli([server.template, '--pages', '1-2', '-o', small, '--json', '-q', '-c', '4']);
	assert.equal(code, 1, stderr);
	const report = JSON.parse(stdout) as ScrapeReport;
	assert.equal(report.stoppedBy?.code, 'fs');
	assert.match(report.stoppedBy?.message ?? '', /ENOSPC/);
	assert.ok(report.failed <= 4, `${report.failed} images failed: only those in flight when the disk filled`);
	assert.ok(server.stats().image.requests < 100, 'the run stopped asking for images');
	assert.equal((await checkEveryFileHasItsLine(small)).size, report.downloaded);
	assert.deepEqual(
		(await readdir(small)).filter(name => name.startsWith('.') && name !== '.imgscrape.jsonl'),
		[],
		'no temporary or lock is left',
	);
});
