import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {needBinary} from './helpers/binaries.js';
import {bin, noConfigHome} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

/** The live line's states as a terminal of `columns` showed them: the bin run on a pseudo-terminal by util-linux's `script`. */
async function framesOn(columns: number, args: string[]): Promise<string[]> {
	const command = `stty cols ${columns} rows 30; ${[process.execPath, bin, ...args].map(arg => `'${arg.replaceAll("'", "'\\''")}'`).join(' ')}`;
	// ora draws only on an interactive terminal: not under CI (the variable's presence), nor TERM=dumb.
	const {CI: _, ...env} = process.env;
	const {stdout} = await promisify(execFile)('script', ['-qfec', command, '/dev/null'], {
		env: {...env, TERM: 'xterm', XDG_CONFIG_HOME: noConfigHome},
		timeout: 60_000,
	});
	const plain = stdout.replaceAll(/\u001B\[[?\d;]*[A-Za-z]/g, '\n');
	return plain
		.split(/[\r\n]+/)
		.map(line => line.replace(/^[^\p{L}\d]+ /u, '').trim())
		.filter(line => /^pages \d+\/\d+/.test(line));
}

test('on a terminal the live line counts pages and images, shows the rates, the elapsed time and the ETA, and fits the width', async t => {
	if (needBinary(t, 'script', ['/usr/bin/script', '/bin/script'], 'apt-get install util-linux') === undefined) {
		return;
	}

	// 40 images one at a time, each 20 ms away: the line is redrawn many times before the end.
	const server = await gallery(t, {pages: 2, perPage: 20, size: 2000, latency: 20});
	const args = [server.template, '--pages', '1-2', '-o', await tempDir(t), '-c', '1'];
	const frames = await framesOn(100, args);
	assert.ok(frames.length > 2, frames.join('\n'));
	const withEta = frames.filter(frame => /^pages 2\/2 · images \d+\/40 · [\d.]+ kB · [\d.]+ kB\/s · [\d.]+ img\/s · \d:\d\d · ETA \d:\d\d$/.test(frame));
	assert.ok(withEta.length > 0, frames.join('\n'));
	assert.ok(
		frames.every(frame => frame.length <= 97),
		frames.join('\n'),
	);
	const narrow = await framesOn(40, [...args.slice(0, 3), '-o', await tempDir(t), '-c', '1']);
	assert.ok(narrow.length > 2, narrow.join('\n'));
	assert.ok(
		narrow.every(frame => frame.length <= 37 && /images \d+\/\d+/.test(frame)),
		narrow.join('\n'),
	);
	assert.equal(server.stats().image.requests, 80);
});
