import assert from 'node:assert/strict';
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

/*
The config file on the command line: which file is read, what each level
sets in real runs, `imgscrape config URL`, `--init`, and the refusals.
*/

async function writeConfig(dir: string, config: unknown, name = 'imgscrape.config.json'): Promise<string> {
	const file = path.join(dir, name);
	await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config, null, '\t'));
	return file;
}

/** Every file below `dir`, relative, sorted, the manifest left out. */
async function files(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {recursive: true, withFileTypes: true});
	return entries
		.filter(entry => entry.isFile() && entry.name !== '.imgscrape.jsonl')
		.map(entry => path.relative(dir, path.join(entry.parentPath, entry.name)))
		.sort();
}

test('each level of precedence decides in a real run: built-in, defaults, site entry, profile, command line', async t => {
	const site = await gallery(t, {pages: 1, perPage: 2});
	const elsewhere = await gallery(t, {pages: 1, perPage: 2});
	const dir = await tempDir(t);
	const config = await writeConfig(dir, {
		defaults: {name: 'defaults/{name}.{ext}'},
		sites: {[`127.0.0.1:${site.port}`]: {name: 'site/{name}.{ext}'}},
		profiles: {p: {name: 'profile/{name}.{ext}'}},
	});
	const run = async (url: string, flags: string[]) => {
		const out = path.join(dir, `out-${flags.join('') || 'plain'}-${url === site.pageUrls()[0] ? 'site' : 'other'}`);
		const result = await runCli([url, '-o', out, '-q', ...flags]);
		assert.equal(result.code, 0, result.stderr);
		return files(out);
	};

	const [onSite] = site.pageUrls() as [string];
	const [offSite] = elsewhere.pageUrls() as [string];
	assert.deepEqual(await run(onSite, ['--no-config']), ['p1-01.jpg', 'p1-02.jpg']);
	assert.deepEqual(await run(offSite, ['--config', config]), ['defaults/p1-01.jpg', 'defaults/p1-02.jpg'], "another host's pages take the defaults only");
	assert.deepEqual(await run(onSite, ['--config', config]), ['site/p1-01.jpg', 'site/p1-02.jpg']);
	assert.deepEqual(await run(onSite, ['--config', config, '--profile', 'p']), ['profile/p1-01.jpg', 'profile/p1-02.jpg']);
	assert.deepEqual(await run(onSite, ['--config', config, '--profile', 'p', '--name', 'cli/{name}.{ext}']), ['cli/p1-01.jpg', 'cli/p1-02.jpg']);
});

test("start URLs of two sites make one run each, every URL with its own site's options", async t => {
	const site = await gallery(t, {pages: 1, perPage: 2});
	const elsewhere = await gallery(t, {pages: 1, perPage: 2});
	const dir = await tempDir(t);
	const config = await writeConfig(dir, {sites: {[`127.0.0.1:${site.port}`]: {name: 'site/{name}.{ext}'}}});
	const out = path.join(dir, 'out');
	const report = path.join(dir, 'report.json');
	const result = await runCli([site.pageUrls()[0]!, elsewhere.pageUrls()[0]!, '-o', out, '--config', config, '--json', '-q', '--report', report]);
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(await files(out), ['p1-01.jpg', 'p1-02.jpg', 'site/p1-01.jpg', 'site/p1-02.jpg']);
	assert.equal(result.stderr, `imgscrape: run 1 of 2: site 127.0.0.1:${site.port}, 1 start page\nimgscrape: run 2 of 2: no site entry, 1 start page\n`);
	const printed = result.stdout
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {downloaded: number; pageResults: Array<{url: string}>});
	assert.deepEqual(
		printed.map(run => [run.downloaded, run.pageResults.map(page => page.url)]),
		[
			[2, [site.pageUrls()[0]]],
			[2, [elsewhere.pageUrls()[0]]],
		],
		'--json prints one report per run',
	);
	const written = JSON.parse(await readFile(report, 'utf8')) as unknown[];
	assert.equal(written.length, 2, '--report holds the list of both reports');
});

test('the new options can be set in the config file too: writeMetadata and mtime', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2});
	const dir = await tempDir(t);
	const config = await writeConfig(dir, {defaults: {writeMetadata: true, mtime: false}});
	const out = path.join(dir, 'out');
	const result = await runCli([server.pageUrls()[0]!, '-o', out, '--config', config, '-q']);
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(await files(out), ['p1-01.jpg', 'p1-01.jpg.json', 'p1-02.jpg', 'p1-02.jpg.json']);
});

test('list takes the config too', async t => {
	const server = await gallery(t, {pages: 1, perPage: 5});
	const dir = await tempDir(t);
	const config = await writeConfig(dir, {sites: {'127.0.0.1': {maxPerPage: 2}}});
	const result = await runCli(['list', server.pageUrls()[0]!, '--config', config]);
	assert.equal(result.code, 0, result.stderr);
	assert.equal(result.stdout.trim().split('\n').length, 2);
});

test('`imgscrape config URL` prints the file read and every option with where it came from', async t => {
	const dir = await tempDir(t);
	const file = await writeConfig(dir, {
		defaults: {retries: 5, selector: 'img'},
		sites: {'*.example.com': {selector: '.thumb img'}, 'other.org': {}},
		profiles: {gentle: {perHost: 1}},
	});
	const result = await runCli(['config', 'https://pic.example.com/list.html', '--profile', 'gentle', '-c', '3', '--ignore-robots'], {
		cwd: dir,
		env: {XDG_CONFIG_HOME: path.join(dir, 'none')},
	});
	assert.equal(result.code, 0, result.stderr);
	const lines = result.stdout.split('\n');
	assert.deepEqual(lines.slice(0, 5), [`config file: ${file}`, 'url: https://pic.example.com/list.html', 'site: *.example.com', 'profile: gentle', 'options:']);
	const row = (key: string) =>
		lines
			.find(line => line.startsWith(`  ${key} `))
			?.trim()
			.split(/\s{2,}/);
	assert.deepEqual(row('selector'), ['selector', '".thumb img"', 'site *.example.com']);
	assert.deepEqual(row('retries'), ['retries', '5', 'config defaults']);
	assert.deepEqual(row('perHost'), ['perHost', '1', 'profile gentle']);
	assert.deepEqual(row('concurrency'), ['concurrency', '3', 'command line']);
	assert.deepEqual(row('robots'), ['robots', '"ignore"', 'command line']);
	assert.deepEqual(row('pageConcurrency'), ['pageConcurrency', '4', 'default']);
	assert.deepEqual(row('maxSize'), ['maxSize', 'no limit', 'default']);

	const template = await runCli(['config', 'https://pic.example.com/index{_page}.html'], {cwd: dir, env: {XDG_CONFIG_HOME: path.join(dir, 'none')}});
	assert.equal(template.code, 0, 'a page placeholder waits for the --pages of the scrape');
	assert.match(template.stdout, /^site: \*\.example\.com$/m);

	const unmatched = await runCli(['config', 'https://elsewhere.net/'], {cwd: dir, env: {XDG_CONFIG_HOME: path.join(dir, 'none')}});
	assert.match(unmatched.stdout, /^site: none matches \(site entries: \*\.example\.com, other\.org\)$/m);
	assert.match(unmatched.stdout, /^ {2}selector +"img" +config defaults$/m);

	const disabled = await runCli(['config', '--no-config'], {cwd: dir});
	assert.match(disabled.stdout, /^config file: none \(--no-config\)$/m);
	// Given twice, the last says, as for every single-value flag.
	const overruled = await runCli(['config', '--config', 'missing.json', '--no-config'], {cwd: dir});
	assert.match(overruled.stdout, /^config file: none \(--no-config\)$/m);
	const nowhere = await runCli(['config'], {cwd: path.join(dir, 'empty'), env: {HOME: path.join(dir, 'home')}});
	assert.equal(
		nowhere.stdout.split('\n')[0],
		`config file: none (looked for ${path.join(dir, 'empty', 'imgscrape.config.json')} and ${path.join(dir, 'home', '.config', 'imgscrape', 'config.json')})`,
	);
});

test('the user config folder is read when the working folder has none', async t => {
	const dir = await tempDir(t);
	const xdg = path.join(dir, 'xdg');
	await mkdir(path.join(xdg, 'imgscrape'), {recursive: true});
	const file = await writeConfig(path.join(xdg, 'imgscrape'), {defaults: {retries: 7}}, 'config.json');
	const result = await runCli(['config'], {cwd: dir, env: {XDG_CONFIG_HOME: xdg}});
	assert.equal(result.code, 0);
	assert.match(result.stdout, new RegExp(`^config file: ${file.replaceAll('.', '\\.')}$`, 'm'));
	assert.match(result.stdout, /^ {2}retries +7 +config defaults$/m);
});

test('config --init writes a starter file that loads, and never over an existing one', async t => {
	const dir = await tempDir(t);
	const env = {XDG_CONFIG_HOME: path.join(dir, 'none')};
	const file = path.join(dir, 'imgscrape.config.json');
	const first = await runCli(['config', '--init'], {cwd: dir, env});
	assert.deepEqual([first.code, first.stdout, first.stderr], [0, `wrote ${file}\n`, '']);
	const shown = await runCli(['config', 'https://www.example.com/'], {cwd: dir, env});
	assert.equal(shown.code, 0, shown.stderr);
	assert.match(shown.stdout, /^ {2}selector +"\.gallery img" +site \*\.example\.com$/m);

	const again = await runCli(['config', '--init'], {cwd: dir, env});
	assert.deepEqual([again.code, again.stderr], [2, `imgscrape: Cannot write the config file \`${file}\`: it exists already (not overwritten)\n`]);
	const elsewhere = await runCli(['config', '--init', '--config', 'sub.json'], {cwd: dir, env});
	assert.deepEqual([elsewhere.code, elsewhere.stdout], [0, `wrote ${path.join(dir, 'sub.json')}\n`]);
});

test('a bad config file stops every command with one line naming the file and the key, exit 2, before any request', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2});
	const dir = await tempDir(t);
	const file = await writeConfig(dir, '{\n\t// a typo\n\t"sites": {"*.example.com": {"selectr": "img"}}\n}\n');
	const line = `imgscrape: ${file}: sites."*.example.com".selectr: unknown option: expected an option of scrape() (camelCase); did you mean \`selector\`?\n`;
	for (const args of [[server.pageUrls()[0]!, '-o', path.join(dir, 'out')], ['list', server.pageUrls()[0]!], ['config']]) {
		const result = await runCli(args, {cwd: dir});
		assert.deepEqual([result.code, result.stdout, result.stderr], [2, '', line], args.join(' '));
	}

	for (const [text, wrong] of [
		[
			'{"defaults": {"concurrency": "8"}}',
			'defaults.concurrency: expected a whole number from 1 and up or `auto`, got `8` (string); write it without quotes: 8',
		],
		['{"profiles": {"p": {"robots": "strct"}}}', 'profiles.p.robots: expected one of pages, strict, ignore, got `strct` (string); did you mean `strict`?'],
	] as const) {
		const bad = await writeConfig(dir, text, 'bad.json');
		const result = await runCli([server.pageUrls()[0]!, '-o', path.join(dir, 'out'), '--config', bad], {cwd: dir});
		assert.deepEqual([result.code, result.stderr], [2, `imgscrape: ${bad}: ${wrong}\n`]);
	}

	assert.equal(server.stats().requests, 0);
	const outOfPlace = await runCli(['config', '--config', file, '--no-config'], {cwd: dir});
	assert.equal(outOfPlace.code, 0, 'the last of --config and --no-config wins, as yargs reads them');
});

test('the refusals of --config and --profile are one line and exit 2', async t => {
	const dir = await tempDir(t);
	const file = await writeConfig(dir, {profiles: {gentle: {}}});
	const cases: Array<[string[], string]> = [
		[['config', '--config', 'missing.json'], `imgscrape: Cannot read the config file \`${path.join(dir, 'missing.json')}\`: no such file\n`],
		[['config', '--config', file, '--profile', 'gentel'], `imgscrape: ${file}: no profile \`gentel\`: expected one of gentle; did you mean \`gentle\`?\n`],
		[['config', '--no-config', '--profile', 'gentle'], 'imgscrape: --profile gentle needs a config file: --no-config reads none\n'],
		[['https://a.example/', '--config', file, '--profile', 'nope'], `imgscrape: ${file}: no profile \`nope\`: expected one of gentle\n`],
	];
	for (const [args, stderr] of cases) {
		const result = await runCli(args, {cwd: dir});
		assert.deepEqual([result.code, result.stderr], [2, stderr], args.join(' '));
	}
});

test('options the config and the command line set together are checked as one: a conflict is refused before any request', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2});
	const dir = await tempDir(t);
	const file = await writeConfig(dir, {sites: {'127.0.0.1': {depth: 2}}});
	const refused = await runCli([server.pageUrls()[0]!, '-o', path.join(dir, 'out'), '--config', file]);
	assert.deepEqual(
		[refused.code, refused.stderr],
		[2, `imgscrape: \`depth\` needs \`follow\`: the selector of the links to go down (\`depth\` is set by ${file}: site 127.0.0.1)\n`],
	);
	assert.equal(server.stats().requests, 0);
	const fixed = await runCli([server.pageUrls()[0]!, '-o', path.join(dir, 'out'), '--config', file, '--follow', 'a.none', '-q']);
	assert.equal(fixed.code, 0, fixed.stderr);
});
