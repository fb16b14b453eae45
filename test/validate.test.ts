import assert from 'node:assert/strict';
import {test} from 'node:test';
import {startFixtureServer} from '../src/fixture-server/index.js';
import {resolveOptions} from '../src/index.js';
import {runCli} from './helpers/cli.js';

/** The message a call refuses with, and the name of its error. */
async function refusal(call: () => unknown): Promise<{name: string; message: string}> {
	try {
		await call();
	} catch (error) {
		return {name: (error as Error).name, message: (error as Error).message};
	}

	assert.fail('expected a refusal');
}

/** The one line a CLI usage error prints, without the `imgscrape: ` prefix. */
async function cliRefusal(args: string[]): Promise<string> {
	const {code, stderr} = await runCli(args);
	assert.equal(code, 2, stderr);
	return stderr.split('\n')[0]!.replace(/^imgscrape: /, '');
}

test('"a whole number from N" is one check with one message, wherever it is asked', async t => {
	const rows: Array<[string, () => Promise<string>, string]> = [
		[
			'resolveOptions',
			async () => (await refusal(() => resolveOptions({urls: ['http://h/'], pageConcurrency: 0}))).message,
			'Expected `pageConcurrency` to be a whole number from 1 and up, got `0` (number)',
		],
		['scrape -c 2.5', async () => cliRefusal(['http://127.0.0.1:1/', '-c', '2.5']), '-c: expected a whole number from 1 and up, got `2.5`'],
		[
			'startFixtureServer',
			async () => (await refusal(() => startFixtureServer({pages: 0}))).message,
			'Expected `pages` to be a whole number from 1 and up, got `0` (number)',
		],
		[
			'startFixtureServer port',
			async () => (await refusal(() => startFixtureServer({port: 70_000}))).message,
			'Expected `port` to be a whole number from 0 to 65535, got `70000` (number)',
		],
		['serve', async () => cliRefusal(['serve', '--pages', '0']), '--pages: expected a whole number from 1 and up, got `0`'],
		['bench scenario', async () => cliRefusal(['bench', '--pages', '0']), '--pages: expected a whole number from 1 and up, got `0`'],
		['bench --repeat', async () => cliRefusal(['bench', '--repeat', '0']), '--repeat: expected a whole number from 1 and up, got `0`'],
		['bench list', async () => cliRefusal(['bench', '-c', '0,4']), '-c: expected a comma-separated list of whole numbers from 1 and up, got `0,4`'],
	];
	for (const [where, message, wanted] of rows) {
		await t.test(where, async () => {
			assert.equal(await message(), wanted);
		});
	}
});

test('"an http or https URL" is one check with one message, for options, page URLs and bench --url', async t => {
	const rows: Array<[string, () => Promise<string>, string]> = [
		[
			'proxy',
			async () => (await refusal(() => resolveOptions({urls: ['http://h/'], proxy: 'ftp://x/'}))).message,
			'Expected `proxy` to be an http or https URL, got `ftp://x/` (string)',
		],
		['referer', async () => cliRefusal(['http://127.0.0.1:1/', '--referer', 'x']), '--referer: expected an http or https URL, got `x`: Invalid URL'],
		['page URL', async () => cliRefusal(['ftp://x/']), '`ftp://x/` is not an http or https URL'],
		['bench --url', async () => cliRefusal(['bench', '--url', 'ftp://x/']), 'Expected `--url` to be an http or https URL, got `ftp://x/` (string)'],
	];
	for (const [where, message, wanted] of rows) {
		await t.test(where, async () => {
			assert.equal(await message(), wanted);
		});
	}
});

test('the fixture server keeps its RangeError; the CLI turns it into a usage error', async () => {
	assert.equal((await refusal(() => startFixtureServer({latency: -1}))).name, 'RangeError');
	assert.equal(await cliRefusal(['serve', '--port', '70000']), '--port: expected a whole number from 0 to 65535, got `70000`');
});
