import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runCli} from './helpers/cli.js';
import {faultPage} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

test('the fault-handling flags reach scrape(): retries, redirects, sizes, types, names, dedupe', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	// One at a time, so a.jpg (retried) is saved before c.jpg, its duplicate, arrives.
	const page = faultPage(server, [
		'/fault/status/503,200/a.jpg',
		'/fault/redirect/2/b.jpg',
		'/fault/ok/big.jpg?size=9000',
		'/fault/ok/c.jpg?seed=a.jpg',
		'/fault/type/gif/d.gif',
	]);
	const {code, stdout, stderr} = await runCli([
		page,
		'-o',
		out,
		'-c',
		'1',
		'--json',
		'--retries',
		'1',
		'--retry-delay',
		'1',
		'--max-retry-after',
		'10',
		'--deadline',
		'5000',
		'--max-redirects',
		'2',
		'--max-size',
		'8k',
		'--min-size',
		'10',
		'--accept',
		'jpg,png',
		'--name',
		'{page}-{name}.{ext}',
		'--dedupe-content',
	]);
	assert.equal(code, 0, stderr);
	const report = JSON.parse(stdout) as {downloaded: number; retries: number; skippedByReason: Record<string, number>};
	assert.equal(report.retries, 1);
	assert.equal(report.downloaded, 2);
	assert.deepEqual(report.skippedByReason, {'too-large': 1, duplicate: 1, filtered: 1});
	assert.deepEqual(await listFiles(out), ['1-a.jpg', '1-b.jpg']);
});

test('the human report counts retries and skipped items by reason, and lists failures with their category', async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const page = faultPage(server, ['/fault/status/500,200/a.jpg', '/fault/html-as-jpeg/b.jpg', '/fault/status/404/c.jpg']);
	const first = await runCli([page, '-o', out, '--retry-delay', '1']);
	assert.equal(first.code, 1);
	assert.match(first.stderr, /^1 of 3 images saved from 1 page in /m);
	assert.match(first.stderr, /^ {2}pages 1 read; images 1 saved \(2\.00 kB\), 2 failed$/m);
	assert.match(first.stderr, /; 1 retry; peak RSS/);
	assert.match(first.stderr, /^ {2}failed: 2 images \((not-an-image 1, http-404 1|http-404 1, not-an-image 1)\)$/m);
	assert.match(first.stderr, /not-an-image {2}image {2}http:\S+\/fault\/html-as-jpeg\/b\.jpg \(on http:\S+\): the body is not an image$/m);
	assert.match(first.stderr, /http-404 {6}image {2}http:\S+\/fault\/status\/404\/c\.jpg \(on http:\S+\): HTTP 404 Not Found$/m);
	const second = await runCli([page, '-o', out, '--retry-delay', '1', '--retries', '0']);
	assert.match(second.stderr, /^ {2}pages 1 read; images 2 failed, 1 skipped \(exists 1\)$/m);
	assert.match(second.stderr, /^ {2}0 retries; peak RSS/m);
});

test('bad values for the new flags are usage errors that name the option', async () => {
	const cases: Array<[string[], RegExp]> = [
		[['--retries', '-1'], /^imgscrape: --retries: expected a whole number from 0 and up, got `-1`$/m],
		[['--retry-delay', 'soon'], /--retry-delay: expected a duration .*got `soon`/],
		[['--deadline', '1.5'], /--deadline: expected a whole number of milliseconds.*got `1.5`/],
		[['--max-redirects', '-2'], /--max-redirects: .*got `-2`/],
		[['--max-size', '10XB'], /--max-size: expected a size.*got `10XB`$/m],
		[['--min-size', '2MB', '--max-size', '1MB'], /--min-size \(2000000\) to be at most --max-size \(1000000\)/],
		[['--accept', 'jpg,doc'], /--accept.*`doc`/],
		[['--name', '{name}.{type}'], /\{type\}/],
		[['--archive', ''], /--archive: expected a value, got an empty value/],
		[['--min-speed', 'fast'], /--min-speed: .*`fast`/],
		[['--max-ratio', '-1'], /--max-ratio: .*got `-1`/],
	];
	for (const [args, message] of cases) {
		const {code, stderr} = await runCli(['http://127.0.0.1:9/', ...args]);
		assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
		assert.match(stderr, message, args.join(' '));
		assert.doesNotMatch(stderr, /\n\s+at /);
	}
});
