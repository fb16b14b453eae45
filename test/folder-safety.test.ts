import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync} from 'node:fs';
import {mkdir, readdir, readFile, symlink, writeFile} from 'node:fs/promises';
import {hostname} from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {test} from 'node:test';
import {lockName} from '../src/download/folder-lock.js';
import {manifestName} from '../src/download/manifest.js';
import {scrape, UsageError} from '../src/index.js';
import {bin, runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {mountTmpfs} from './helpers/mount.js';
import {listFiles, tempDir, treeSnapshot} from './helpers/temp.js';

/** A folder outside the output folder, with a file in it, to show that nothing there changes. */
async function outsideFolder(dir: string): Promise<string> {
	const outside = path.join(dir, 'outside');
	await mkdir(outside);
	await writeFile(path.join(outside, 'p1-01.jpg'), "the user's, not the gallery's");
	return outside;
}

for (const [what, name, linkFor] of [
	['{host}', '{host}/{name}.{ext}', (port: number) => `127.0.0.1_${port}`],
	['{path}', '{path}/{name}.{ext}', () => 'uploads'],
] as const) {
	test(`a planted folder link under ${what} is refused: the images fail as fs naming the link, nothing outside changes`, async t => {
		const server = await gallery(t, {pages: 1, perPage: 3, size: 1000});
		const dir = await tempDir(t);
		const out = path.join(dir, 'img');
		const outside = await outsideFolder(dir);
		await mkdir(out);
		const link = linkFor(server.port);
		await symlink(outside, path.join(out, link));
		const before = await treeSnapshot(outside);

		const report = await scrape({urls: [server.template], pages: '1', out, name, retries: 0});
		assert.equal(report.downloaded, 0);
		assert.deepEqual(report.failuresByCategory, {fs: 3});
		for (const failure of report.failures) {
			assert.match(
				failure.message,
				new RegExp(`refusing to write through \`${path.join(out, link).replaceAll('.', '\\.')}\`: a link to \`${outside}\`, outside the output folder`),
			);
		}

		assert.deepEqual(await treeSnapshot(outside), before);
	});
}

test('a folder link that stays inside the output folder is followed', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const out = await tempDir(t);
	await mkdir(path.join(out, 'real'));
	await symlink(path.join(out, 'real'), path.join(out, `127.0.0.1_${server.port}`));
	const report = await scrape({urls: [server.template], pages: '1', out, name: '{host}/{name}.{ext}'});
	assert.equal(report.downloaded, 2);
	assert.deepEqual(await readdir(path.join(out, 'real')), ['p1-01.jpg', 'p1-02.jpg']);
});

test('a manifest or archive that is a link is refused with one line, before any request, and its target is untouched', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const dir = await tempDir(t);
	const out = path.join(dir, 'img');
	const outside = await outsideFolder(dir);
	await mkdir(out);
	await symlink(path.join(outside, 'p1-01.jpg'), path.join(out, manifestName));
	await symlink(path.join(outside, 'p1-01.jpg'), path.join(dir, 'archive.jsonl'));
	const before = await treeSnapshot(outside);

	await assert.rejects(
		scrape({urls: [server.template], pages: '1', out}),
		(error: unknown) => error instanceof UsageError && /is a symbolic link/.test(error.message),
	);
	for (const args of [
		['-o', out],
		['-o', path.join(dir, 'other'), '--archive', path.join(dir, 'archive.jsonl')],
	]) {
		const {code, stderr} = await runCli([server.template, '--pages', '1', '-q', ...args]);
		assert.equal(code, 2);
		assert.match(stderr, /^imgscrape: Cannot use `.*` as the manifest: it is a symbolic link \(to `.*p1-01\.jpg`\); give the real path\n$/);
	}

	assert.equal(server.stats().requests, 0);
	assert.deepEqual(await treeSnapshot(outside), before);
	assert.ok(!existsSync(path.join(dir, 'other')), 'a refused run makes no folder');
});

test('a second run into a folder in use exits 2 naming the first; the first completes and a rerun loses nothing', async t => {
	const server = await gallery(t, {pages: 2, perPage: 20, size: 2000, latency: 60});
	const out = await tempDir(t);
	const args = [server.template, '--pages', '1-2', '-o', out, '-q', '-c', '2'];
	const first = spawn(process.execPath, [bin, ...args], {stdio: ['ignore', 'ignore', 'pipe']});
	const exited = once(first, 'exit') as Promise<[number | null]>;
	// The first run holds the folder once it asks for an image.
	while (server.stats().image.requests === 0) {
		await delay(5);
	}

	const second = await runCli(args);
	assert.equal(second.code, 2);
	assert.match(
		second.stderr,
		new RegExp(
			`^imgscrape: Another imgscrape run \\(pid ${first.pid} on ${hostname()}, since [\\dT:.Z-]+\\) is writing to \`${out}\`; wait for it to end or choose another --out\\n$`,
		),
	);
	const [code] = await exited;
	assert.equal(code, 0);
	assert.deepEqual(
		await listFiles(out),
		server
			.imageUrls()
			.map(url => path.basename(url))
			.sort(),
		'the first run saved everything and left no lock',
	);
	for (const url of server.imageUrls()) {
		assert.deepEqual(await readFile(path.join(out, path.basename(url))), server.imageBytes(url));
	}

	server.resetStats();
	const rerun = await scrape({urls: [server.template], pages: '1-2', out});
	assert.deepEqual(rerun.skippedByReason, {exists: 40});
	assert.equal(server.stats().image.requests, 0);
});

test('the lock of a dead run is taken over; one from another host is refused, naming it', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const out = await tempDir(t);
	const dead = spawn(process.execPath, ['-e', '']);
	await once(dead, 'exit');
	await writeFile(path.join(out, lockName), JSON.stringify({pid: dead.pid, host: hostname(), started: '2026-01-01T00:00:00.000Z'}));
	await writeFile(path.join(out, '.imgscrape-dead-run-7.part'), 'half an image');
	const report = await scrape({urls: [server.template], pages: '1', out});
	assert.equal(report.downloaded, 2);
	assert.deepEqual(await listFiles(out), ['p1-01.jpg', 'p1-02.jpg'], 'the stale lock and temporary are gone, ours released');

	await writeFile(path.join(out, lockName), JSON.stringify({pid: 1, host: 'elsewhere.example', started: '2026-01-01T00:00:00.000Z'}));
	const {code, stderr} = await runCli([server.template, '--pages', '1', '-o', out, '-q']);
	assert.equal(code, 2);
	assert.match(
		stderr,
		/^imgscrape: The output folder `.*` is locked by a run on another host \(pid 1 on elsewhere\.example, since 2026-01-01T00:00:00\.000Z\); remove `.*\.imgscrape\.lock` if that run has ended\n$/,
	);
});

test("a folder named like a temporary is not the run's to remove, and does not stop it", async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const out = await tempDir(t);
	await mkdir(path.join(out, '.imgscrape-x.part'));
	await writeFile(path.join(out, '.imgscrape-x.part', 'keep.txt'), 'mine');
	const report = await scrape({urls: [server.template], pages: '1', out});
	assert.equal(report.downloaded, 2);
	assert.equal(await readFile(path.join(out, '.imgscrape-x.part', 'keep.txt'), 'utf8'), 'mine');
});

test('paths that cannot be used are refused with one line and exit 2 before any request', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const dir = await tempDir(t);
	await writeFile(path.join(dir, 'file'), 'a file');
	await mkdir(path.join(dir, 'folder'));
	const rows: Array<[string, string[], RegExp]> = [
		['--archive is a folder', ['-o', path.join(dir, 'a'), '--archive', path.join(dir, 'folder')], /as the manifest: it is a folder$/],
		[
			'--archive under a file',
			['-o', path.join(dir, 'b'), '--archive', path.join(dir, 'file', 'm.jsonl')],
			/as the manifest: a file stands where a folder on its path should be$/,
		],
		['--out is a file', ['-o', path.join(dir, 'file')], /as the output folder: a file stands in the way$/],
		['--out under a file', ['-o', path.join(dir, 'file', 'img')], /file\/img` as the output folder: `.*file` is a file, not a folder$/],
		['--report is a folder', ['-o', path.join(dir, 'c'), '--report', path.join(dir, 'folder')], /as the report file: it is a folder$/],
	];
	for (const [name, args, message] of rows) {
		await t.test(name, async () => {
			server.resetStats();
			const {code, stderr} = await runCli([server.template, '--pages', '1', '-q', ...args]);
			assert.equal(code, 2, stderr);
			assert.equal(stderr.split('\n').length, 2, `one line: ${stderr}`);
			assert.match(stderr.trim(), message);
			assert.equal(server.stats().requests, 0);
		});
	}

	assert.deepEqual(await listFiles(dir), ['file', 'folder'], 'no refused run made a folder');
});

test('a read-only output folder is refused before any request', async t => {
	const readOnly = mountTmpfs(t, 'ro,size=64k');
	if (readOnly === undefined) {
		return;
	}

	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const {code, stderr} = await runCli([server.template, '--pages', '1', '-q', '-o', readOnly, '--archive', path.join(await tempDir(t), 'm.jsonl')]);
	assert.equal(code, 2);
	assert.equal(stderr, `imgscrape: Cannot write to the output folder \`${readOnly}\`: read-only file system\n`);
	assert.equal(server.stats().requests, 0);
});

test('a run whose every page fails leaves no new output folder behind', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const dir = await tempDir(t);
	const out = path.join(dir, 'new', 'img');
	const report = await scrape({urls: [`${server.url}missing.html`], out, retries: 0});
	assert.equal(report.pagesFailed, 1);
	assert.deepEqual(await listFiles(dir), []);
});
