import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {readdir} from 'node:fs/promises';
import {setTimeout as delay} from 'node:timers/promises';
import {test} from 'node:test';
import {manifestName} from '../src/download/manifest.js';
import {scrape} from '../src/index.js';
import {bin} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {checkEveryFileHasItsLine} from './helpers/manifest.js';
import {tempDir} from './helpers/temp.js';

/** How a round ends the run: as a user's double Ctrl-C, a service manager, or the kernel would. */
const endings = ['two SIGINTs 2 ms apart', 'SIGTERM', 'SIGKILL', 'SIGINT then SIGKILL'] as const;

/** A small seeded generator, so a failing round can be replayed with IMGSCRAPE_TEST_SEED. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

test('runs ended by signals at random points never leave a file without its line, and no complete file is fetched again', {timeout: 180_000}, async t => {
	const seed = Number(process.env.IMGSCRAPE_TEST_SEED ?? Date.now() % 1_000_000);
	t.diagnostic(`seed ${seed}`);
	const next = random(seed);
	const server = await gallery(t, {pages: 4, perPage: 150, size: 3000, latency: 2, log: true});
	const out = await tempDir(t);
	const args = [server.template, '--pages', '1-4', '-o', out, '-q', '-c', '64', '--retries', '0'];
	const total = server.imageUrls().length;
	let complete = new Set<string>();
	const rounds = 10;
	for (let round = 0; round < rounds; round++) {
		server.resetStats();
		const ending = endings[Math.floor(next() * endings.length)]!;
		// Somewhere in the first half of what is left, so every round has work in flight when it ends.
		const after = 1 + Math.floor(next() * Math.max(1, (total - complete.size) / (rounds - round)));
		const child = spawn(process.execPath, [bin, ...args], {stdio: ['ignore', 'ignore', 'ignore']});
		const exited = once(child, 'exit');
		while (server.stats().image.requests < after && child.exitCode === null) {
			await delay(1);
		}

		if (ending === 'two SIGINTs 2 ms apart') {
			child.kill('SIGINT');
			await delay(2);
			child.kill('SIGINT');
		} else if (ending === 'SIGINT then SIGKILL') {
			child.kill('SIGINT');
			await delay(Math.floor(next() * 20));
			child.kill('SIGKILL');
		} else {
			child.kill(ending);
		}

		await exited;
		const fetchedAgain = server
			.log()
			.filter(entry => entry.event === 'request' && entry.kind === 'image' && complete.has(new URL(entry.path, server.url).href));
		assert.deepEqual(fetchedAgain, [], `round ${round + 1} (${ending}) fetched complete files again`);
		complete = await checkEveryFileHasItsLine(out);
	}

	server.resetStats();
	const report = await scrape({urls: [server.template], pages: '1-4', out, concurrency: 16});
	assert.equal(report.failed, 0);
	assert.equal(report.skippedByReason.exists ?? 0, complete.size);
	assert.equal(report.downloaded, total - complete.size);
	assert.equal(server.stats().image.requests, total - complete.size, 'only what was not complete is fetched');
	assert.equal((await checkEveryFileHasItsLine(out)).size, total);
	assert.deepEqual(
		(await readdir(out)).filter(name => name.startsWith('.') && name !== manifestName),
		[],
		'no temporary or lock is left',
	);
});
