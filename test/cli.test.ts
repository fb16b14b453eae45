import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {bin, runCli, runInterrupted} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

test('scrape --json prints one report object on stdout and saves every image', async t => {
	const server = await gallery(t, {pages: 4, perPage: 5, size: 3000});
	const out = await tempDir(t);
	const {code, stdout, stderr} = await runCli([server.template, '--pages', '1-4', '-o', out, '-c', '50', '--json']);
	assert.equal(code, 0, stderr);
	const report = JSON.parse(stdout) as Record<string, unknown>;
	for (const key of ['pages', 'images', 'downloaded', 'failed', 'skipped', 'bytes', 'elapsedMs', 'phases']) {
		assert.ok(key in report, `report has ${key}`);
	}

	assert.equal(report.pages, 4);
	assert.equal(report.images, 20);
	assert.equal(report.downloaded, 20);
	assert.equal(report.bytes, 60_000);
	assert.deepEqual(Object.keys(report.phases as object), ['pageFetch', 'parse', 'download']);
	assert.equal((await listFiles(out)).length, 20);
	assert.equal(stdout.trim().split('\n').length, 1, 'stdout holds the JSON alone');
});

test('the human report goes to stderr, progress is plain lines off a TTY, stdout stays empty', async t => {
	const server = await gallery(t, {pages: 2, perPage: 3, size: 1000});
	const out = await tempDir(t);
	const {code, stdout, stderr} = await runCli(['scrape', server.template, '--pages', '1-2', '-o', out]);
	assert.equal(code, 0);
	assert.equal(stdout, '');
	assert.match(stderr, /^page 1 .*index\.html: 3 images, 3 new$/m);
	assert.match(stderr, /^6 images saved from 2 pages in /m);
	assert.match(stderr, /download\s+6\s/);
	const quiet = await runCli(['scrape', server.template, '--pages', '1-2', '-o', out, '--quiet']);
	assert.doesNotMatch(quiet.stderr, /^page 1/m);
});

test('list prints one JSON line per image, in page order, and downloads nothing', async t => {
	const server = await gallery(t, {pages: 3, perPage: 4, pageLatency: {1: 200}});
	const {code, stdout} = await runCli(['list', server.template, '--pages', '1-3', '--page-concurrency', '3']);
	assert.equal(code, 0);
	const lines = stdout
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {url: string; page: string; source: string});
	assert.deepEqual(
		lines.map(line => line.url),
		server.imageUrls(),
	);
	assert.deepEqual([...new Set(lines.map(line => line.page))], server.pageUrls());
	assert.ok(lines.every(line => line.source === 'img'));
	assert.equal(server.stats().image.requests, 0);
});

test('page URLs come from --input-file and from stdin, skipping blanks and comments', async t => {
	const server = await gallery(t, {pages: 2, perPage: 2});
	const dir = await tempDir(t);
	const file = path.join(dir, 'pages.txt');
	await writeFile(file, `# the gallery\n\n${server.pageUrls()[1]!}\n  \n${server.pageUrls()[0]!}\n`);
	const fromFile = await runCli(['list', '-i', file]);
	assert.equal(fromFile.code, 0, fromFile.stderr);
	assert.deepEqual(
		fromFile.stdout
			.trim()
			.split('\n')
			.map(line => (JSON.parse(line) as {url: string}).url),
		[...server.imageUrls().slice(2), ...server.imageUrls().slice(0, 2)],
	);
	const fromStdin = await runCli(['list', '-i', '-'], {stdin: `${server.pageUrls()[0]!}\n`});
	assert.equal(fromStdin.stdout.trim().split('\n').length, 2);
});

test('usage errors exit 2 with one line and no stack trace', async t => {
	const dir = await tempDir(t);
	const cases: Array<[string[], RegExp]> = [
		[['not a url'], /^imgscrape: `not a url` is not a URL/],
		[['ftp://example.com/'], /`ftp:\/\/example.com\/` is not an http or https URL/],
		[['http://127.0.0.1:9/', '--bogus'], /^imgscrape: unknown option --bogus$/m],
		[['http://127.0.0.1:9/', '-c', '0'], /-c: expected a whole number from 1 and up, got `0`/],
		[['http://127.0.0.1:9/', '-c', 'many'], /-c: expected .*or `auto`, got `many`/],
		[['http://127.0.0.1:9/', '--page-concurrency', '-3'], /--page-concurrency: .*got `-3`/],
		[['http://127.0.0.1:9/index{_page}.html', '--pages', '4-1'], /--pages `4-1` counts down from 4 to 1: write the smaller page first, 1-4/],
		[['http://127.0.0.1:9/index{_page}.html', '--pages', 'all'], /--pages/],
		[['http://127.0.0.1:9/index{_page}.html'], /--pages/],
		[['http://127.0.0.1:9/', '--pages', '1-2'], /placeholder/],
		[[], /at least one page URL/],
		[['-i', path.join(dir, 'missing.txt')], /Cannot read the input file/],
		[['http://127.0.0.1:9/', '--srcset', 'tiny'], /--srcset: expected one of largest, all, src, got `tiny`/],
		[['list'], /at least one page URL/],
	];
	for (const [args, message] of cases) {
		const {code, stdout, stderr} = await runCli(args);
		assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
		assert.match(stderr, message, args.join(' '));
		assert.doesNotMatch(stderr, /\n\s+at /, `no stack trace for ${args.join(' ')}`);
		assert.equal(stderr.split('\n')[0]!.startsWith('imgscrape: '), true, stderr);
		assert.equal(stdout, '');
	}
});

test('a failed page or image exits 1 after finishing the rest', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const out = await tempDir(t);
	const {code, stderr} = await runCli([`${server.url}static/pipeline/broken.html`, '-o', out]);
	assert.equal(code, 1);
	assert.match(stderr, /^ {2}pages 1 read; images 1 saved \(1\.00 kB\), 1 failed$/m);
	assert.match(stderr, /^ {2}failed: 1 image \(http-404 1\)$/m);
	assert.match(stderr, /http-404 {2}image {2}http:\/\/127\.0\.0\.1:\d+\/uploads\/allimg\/missing\.jpg \(on \S+\): HTTP 404 Not Found$/m);
	assert.deepEqual(await listFiles(out), ['p1-01.jpg']);
});

test('--help and --version exit 0 and print to stdout', async () => {
	const help = await runCli(['--help']);
	assert.equal(help.code, 0);
	assert.match(help.stdout, /--concurrency/);
	assert.match(help.stdout, /--page-concurrency/);
	const version = await runCli(['--version']);
	assert.equal(version.code, 0);
	assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

test('Ctrl-C stops the process with exit 130, a report, and no partial file', async t => {
	const server = await gallery(t, {pages: 4, perPage: 25, size: 200_000, latency: 40});
	const out = await tempDir(t);
	// Interrupt once the first page has been parsed and downloads are under way.
	const {code, stderr} = await runInterrupted([server.template, '--pages', '1-4', '-o', out, '-c', '4'], /^page 1 /m);
	assert.equal(code, 130, stderr);
	assert.match(stderr, /cancelled after/);
	const files = await listFiles(out);
	assert.ok(files.length < 100);
	for (const file of files) {
		assert.ok(!file.startsWith('.'), `stray temporary file ${file}`);
	}
});

test('Ctrl-C typed at a terminal interrupts the run while the spinner is drawn', {
	timeout: 60_000,
	skip: process.platform === 'win32' || !existsSync('/usr/bin/script') ? 'needs util-linux script for a pseudo-terminal' : false,
}, async t => {
	const server = await gallery(t, {pages: 4, perPage: 40, size: 2000, latency: 100});
	const out = await tempDir(t);
	// script(1) runs the CLI on a pseudo-terminal, so stderr is a TTY and the ora spinner runs;
	// the 0x03 byte written to it is what pressing Ctrl-C sends.
	// A pseudo-terminal starts with no size; ora needs columns to lay out its line.
	const command = `stty cols 120 rows 40; ${[process.execPath, bin, server.template, '--pages', '1-4', '-c', '2', '-o', out].map(arg => `'${arg}'`).join(' ')}`;
	// ora draws only on an interactive terminal, which it denies whenever CI is set: as a user's shell has it.
	const {CI: _ci, ...env} = process.env;
	const child = spawn('/usr/bin/script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'pipe'], env: {...env, TERM: 'xterm'}});
	let output = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		output += chunk;
		// The spinner's first frame: signals are trapped by then, and the run has begun.
		if (output.includes('pages ') && !child.stdin.writableEnded) {
			child.stdin.end('\u0003');
		}
	});
	const [code] = (await once(child, 'exit')) as [number | null];
	assert.equal(code, 130, output);
	assert.match(output, /SIGINT, stopping/);
	assert.match(output, /cancelled after/);
});
