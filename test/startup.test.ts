/**
Start-up: `imgscrape --version` is answered by the bin from package.json
without loading the CLI's bundle, and says what yargs' `--version` would.
Checked by the modules the process loads (a loader hook lists them), never by
time.
*/
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {packageManifest} from '../src/package-root.js';
import {bin} from './helpers/cli.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

const run = promisify(execFile);

/** Run the bin with a loader hook that writes every module URL it loads to stderr, one per line. */
async function loaded(t: Parameters<typeof tempDir>[0], args: string[]): Promise<{stdout: string; modules: string[]}> {
	const dir = await tempDir(t);
	const hooks = path.join(dir, 'hooks.mjs');
	const register = path.join(dir, 'register.mjs');
	const hook = ['export async function load(url, context, next) {', "\tconsole.error('loaded ' + url);", '\treturn next(url, context);', '}', ''];
	await writeFile(hooks, hook.join('\n'));
	await writeFile(register, `import {register} from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
	const {stdout, stderr} = await run(process.execPath, ['--import', pathToFileURL(register).href, bin, ...args]);
	return {
		stdout,
		modules: stderr
			.split('\n')
			.filter(line => line.startsWith('loaded '))
			.map(line => line.slice('loaded '.length)),
	};
}

test('--version and -v alone load the bin and nothing of the bundle, and print the version of package.json', async t => {
	const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;
	assert.equal(version, packageManifest.version);
	for (const flag of ['--version', '-V']) {
		const {stdout, modules} = await loaded(t, [flag]);
		assert.equal(stdout, `${version}\n`);
		assert.ok(
			modules.some(url => url.endsWith('/bin/imgscrape.js')),
			`the hook sees the bin: ${modules.join(', ')}`,
		);
		assert.deepEqual(
			modules.filter(url => url.startsWith('file:') && !url.endsWith('/bin/imgscrape.js')),
			[],
		);
	}
});

test('with any other argument the bundle answers: --version with --help is the help', async t => {
	const {stdout, modules} = await loaded(t, ['--version', '--help']);
	assert.match(stdout, /--page-concurrency/);
	assert.ok(modules.some(url => url.includes('/dist/cli/')));
});

test("a scrape never loads Node's own undici: the bundle brings its own, and a second copy is start-up spent for nothing", async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 500});
	const dir = await tempDir(t);
	// Node lists every internal module it has loaded; the hook prints Node's copy of undici if it is among them.
	const probe = path.join(dir, 'probe.mjs');
	await writeFile(
		probe,
		"process.on('exit', () => { console.error('internal ' + process.moduleLoadList.filter(name => name.includes('undici')).join(',')); });\n",
	);
	const {stderr} = await run(process.execPath, ['--import', pathToFileURL(probe).href, bin, `${server.url}index.html`, '-o', path.join(dir, 'out'), '-q']);
	assert.equal(readdirSync(path.join(dir, 'out')).filter(name => name.endsWith('.jpg')).length, 2, 'the scrape saved both images');
	assert.match(stderr, /^internal $/m, stderr);
});
