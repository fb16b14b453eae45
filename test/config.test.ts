import assert from 'node:assert/strict';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {starterConfig} from '../src/config/starter.js';
import {type Config, findConfig, loadConfig, matchSite, parseConfig, resolveConfig, UsageError} from '../src/index.js';
import {tempDir} from './helpers/temp.js';

/*
The config file as a library reads it: lookup, JSON with comments, the
checks of every key, and the options one URL gets, with their sources.
*/

const file = '/home/u/imgscrape.config.json';

/** What `parseConfig` refuses with, one line each. */
const refusals: Array<[string, string, string]> = [
	[
		'an unknown option, with the nearest as suggestion',
		'{"sites": {"*.example.com": {"selectr": ".thumb img"}}}',
		`${file}: sites."*.example.com".selectr: unknown option: expected an option of scrape() (camelCase); did you mean \`selector\`?`,
	],
	[
		'a flag spelled as on the command line',
		'{"defaults": {"page-concurrency": 2}}',
		`${file}: defaults."page-concurrency": unknown option: expected an option of scrape() (camelCase); did you mean \`pageConcurrency\`?`,
	],
	[
		'an unknown option with nothing near',
		'{"defaults": {"zzzzzzzz": 1}}',
		`${file}: defaults.zzzzzzzz: unknown option: expected an option of scrape() (camelCase)`,
	],
	[
		'a wrong type',
		'{"defaults": {"concurrency": "8"}}',
		`${file}: defaults.concurrency: expected a whole number from 1 and up or \`auto\`, got \`8\` (string); write it without quotes: 8`,
	],
	[
		'a boolean in quotes',
		'{"profiles": {"p": {"css": "true"}}}',
		`${file}: profiles.p.css: expected a boolean, got \`true\` (string); write it without quotes: true`,
	],
	['a bad value', '{"defaults": {"depth": 0}}', `${file}: defaults.depth: expected a whole number from 1 and up, got \`0\` (number)`],
	[
		'a value not among the choices',
		'{"profiles": {"fast": {"srcset": "larges"}}}',
		`${file}: profiles.fast.srcset: expected one of largest, all, src, got \`larges\` (string); did you mean \`largest\`?`,
	],
	[
		'a bad size',
		'{"sites": {"a.example": {"maxSize": "10 parsecs"}}}',
		`${file}: sites."a.example".maxSize: expected a size such as 500000, 500k, 10MB or 2MiB, got \`10 parsecs\` (string)`,
	],
	[
		'a URL where a host pattern goes',
		'{"sites": {"https://www.example.com/gallery/": {}}}',
		`${file}: sites."https://www.example.com/gallery/": expected a host pattern such as example.com, *.example.com or 127.0.0.1:8080; did you mean \`www.example.com\`?`,
	],
	[
		'a wildcard without its dot',
		'{"sites": {"*example.com": {}}}',
		`${file}: sites."*example.com": expected a host pattern such as example.com, *.example.com or 127.0.0.1:8080; did you mean \`*.example.com\`?`,
	],
	['a misspelt section', '{"default": {}}', `${file}: default: unknown key: expected defaults, sites or profiles; did you mean \`defaults\`?`],
	[
		'an option outside any section',
		'{"selector": "img"}',
		`${file}: selector: unknown key: expected defaults, sites or profiles; options go inside "defaults": {"selector": ...}`,
	],
	['a section of the wrong type', '{"sites": []}', `${file}: sites: expected an object of host patterns, got \`[]\` (array)`],
	['options of the wrong type', '{"profiles": {"p": 4}}', `${file}: profiles.p: expected an object of options, got \`4\` (number)`],
	['not an object', '[]', `${file}: expected an object with defaults, sites or profiles, got \`[]\` (array)`],
	['a syntax error, with line and column', '{\n\t"defaults": {"concurrency": 4,,}\n}', `${file}:2:32: not valid JSON with comments: property name expected`],
	['an empty file', '', `${file}:1:1: not valid JSON with comments: value expected`],
];

for (const [name, text, message] of refusals) {
	test(`a config file is refused, in one line naming the file and the key: ${name}`, () => {
		assert.throws(
			() => parseConfig(text, file),
			(error: unknown) => {
				assert.ok(error instanceof UsageError);
				assert.equal(error.message, message);
				assert.ok(!error.message.includes('\n'));
				return true;
			},
		);
	});
}

test('comments and trailing commas are welcome; `~/` in a path is the home folder', () => {
	const config = parseConfig(
		`// imgscrape
{
	/* every run */
	"defaults": {"out": "~/Pictures", "cookies": "./c.txt", "concurrency": 8,},
	"sites": {"*.Example.com": {"selector": ".thumb img"}},
}`,
		file,
		'/home/u',
	);
	assert.deepEqual(config, {
		file,
		defaults: {out: '/home/u/Pictures', cookies: './c.txt', concurrency: 8},
		sites: {'*.example.com': {selector: '.thumb img'}},
		profiles: {},
	});
});

test('the starter file of `config --init` loads as it is', () => {
	const config = parseConfig(starterConfig, file);
	assert.deepEqual(Object.keys(config.sites), ['*.example.com']);
	assert.deepEqual(Object.keys(config.profiles), ['gentle']);
	assert.equal(resolveConfig(config, 'https://www.example.com/', {profile: 'gentle'}).options.perHost, 1);
});

test('the site entry is the closest match: exact host over wildcard, host:port over host, longer domain over shorter', () => {
	const sites = {
		'*.example.com': {},
		'*.cdn.example.com': {},
		'www.example.com': {},
		'www.example.com:8080': {},
		'127.0.0.1': {},
	};
	const config = {sites};
	assert.equal(matchSite(config, 'https://www.example.com/a'), 'www.example.com');
	assert.equal(matchSite(config, 'http://www.example.com:8080/a'), 'www.example.com:8080');
	assert.equal(matchSite(config, 'https://example.com/'), '*.example.com', 'a wildcard takes the domain itself');
	assert.equal(matchSite(config, 'https://pic.example.com/{page}.html'), '*.example.com');
	assert.equal(matchSite(config, 'https://a.cdn.example.com/'), '*.cdn.example.com');
	assert.equal(matchSite(config, 'http://127.0.0.1:4000/'), '127.0.0.1', 'a host without port takes any port');
	assert.equal(matchSite(config, 'https://notexample.com/'), undefined);
	assert.equal(matchSite(config, 'not a url'), undefined);
});

test('precedence: defaults, then the site entry, then the profile; null puts an option back to its default', () => {
	const config: Config = {
		defaults: {concurrency: 8, retries: 5, selector: 'img', delay: 100},
		sites: {'*.example.com': {selector: '.thumb img', retries: 1, delay: null as unknown as number}},
		profiles: {gentle: {perHost: 1, retries: 9}},
	};
	const site = resolveConfig(config, 'https://pic.example.com/');
	assert.deepEqual(site.options, {concurrency: 8, retries: 1, selector: '.thumb img'});
	assert.deepEqual(site.sources, {
		concurrency: {from: 'defaults'},
		retries: {from: 'site', site: '*.example.com'},
		selector: {from: 'site', site: '*.example.com'},
	});
	assert.equal(site.site, '*.example.com');

	const other = resolveConfig(config, 'https://other.org/');
	assert.deepEqual(other.options, {concurrency: 8, retries: 5, selector: 'img', delay: 100}, "another host's pages do not take the entry");
	assert.equal(other.site, undefined);

	const profiled = resolveConfig(config, 'https://pic.example.com/', {profile: 'gentle'});
	assert.deepEqual(profiled.options, {concurrency: 8, retries: 9, selector: '.thumb img', perHost: 1});
	assert.deepEqual(profiled.sources.retries, {from: 'profile', profile: 'gentle'});
});

test('a config built in code is checked like a file, and an unknown profile is refused with a suggestion', () => {
	assert.throws(() => resolveConfig({defaults: {concurrency: 0}} as Config, 'https://a.example/'), {
		name: 'UsageError',
		message: 'config: defaults.concurrency: expected a whole number from 1 and up, got `0` (number)',
	});
	const config = parseConfig('{"profiles": {"gentle": {}, "fast": {}}}', file);
	assert.throws(() => resolveConfig(config, 'https://a.example/', {profile: 'gentel'}), {
		message: `${file}: no profile \`gentel\`: expected one of gentle, fast; did you mean \`gentle\`?`,
	});
	assert.throws(() => resolveConfig(parseConfig('{}', file), undefined, {profile: 'x'}), {message: `${file}: no profile \`x\`: it has none`});
});

test('lookup: --config FILE, then ./imgscrape.config.json, then $XDG_CONFIG_HOME (else ~/.config)/imgscrape/config.json; --no-config reads none', async t => {
	const dir = await tempDir(t);
	const cwd = path.join(dir, 'work');
	const xdg = path.join(dir, 'xdg');
	const home = path.join(dir, 'home');
	const write = async (target: string, retries: number) => {
		await mkdir(path.dirname(target), {recursive: true});
		await writeFile(target, JSON.stringify({defaults: {retries}}));
		return target;
	};

	const local = await write(path.join(cwd, 'imgscrape.config.json'), 1);
	const user = await write(path.join(xdg, 'imgscrape', 'config.json'), 2);
	const fromHome = await write(path.join(home, '.config', 'imgscrape', 'config.json'), 3);
	const explicit = await write(path.join(dir, 'mine.json'), 4);
	const env = {XDG_CONFIG_HOME: xdg, HOME: home};
	const read = async (lookup: Parameters<typeof findConfig>[0]) => (await findConfig(lookup)).config?.file;

	assert.equal(await read({explicit: 'mine.json', cwd: dir, env}), explicit);
	assert.equal(await read({cwd, env}), local);
	assert.equal(await read({cwd: dir, env}), user);
	assert.equal(await read({cwd: dir, env: {HOME: home}}), fromHome);
	assert.equal(await read({cwd: dir, env: {HOME: home, XDG_CONFIG_HOME: 'relative/xdg'}}), fromHome, 'a relative XDG_CONFIG_HOME is ignored');
	const none = await findConfig({explicit: false, cwd, env});
	assert.deepEqual(none, {config: undefined, searched: [], disabled: true});
	const nothing = await findConfig({cwd: dir, env: {HOME: path.join(dir, 'nobody')}});
	assert.deepEqual(nothing.searched, [path.join(dir, 'imgscrape.config.json'), path.join(dir, 'nobody', '.config', 'imgscrape', 'config.json')]);
	assert.equal(nothing.config, undefined);

	await assert.rejects(findConfig({explicit: 'missing.json', cwd, env}), {
		name: 'UsageError',
		message: `Cannot read the config file \`${path.join(cwd, 'missing.json')}\`: no such file`,
	});
	assert.equal((await loadConfig(local)).defaults.retries, 1);
});
