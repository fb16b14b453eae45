import assert from 'node:assert/strict';
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {dateField} from '../src/download/template.js';
import {scrape} from '../src/index.js';
import {runCli} from './helpers/cli.js';
import {gbkTitles} from './helpers/gbk-site.js';
import {gallery} from './helpers/server.js';
import {listFiles, tempDir} from './helpers/temp.js';

/** Every file under `dir`, with `/` between folders, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {recursive: true, withFileTypes: true});
	return entries
		.filter(entry => entry.isFile() && !entry.name.startsWith('.imgscrape'))
		.map(entry => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
		.sort();
}

/*
The name template's fields from the page (`{alt}`, `{title}`, `{pageTitle}`),
the body (`{date}`), and `{page}`/`{index}` counted through a listing's detail
pages when a crawl follows links. fixtures/metadata/index.html: a titled page
with snow.jpg (alt, title, Last-Modified 2022-11-15), ice.png (alt only) and a 404.
*/

const titles = gbkTitles;

test("{alt}, {title}, {pageTitle} and {date}: what the page said, and Last-Modified or else the run's date", async t => {
	const server = await gallery(t);
	const out = await tempDir(t);
	const today = dateField(new Date());
	const report = await scrape({urls: [`${server.url}static/metadata/index.html`], out, retries: 0, name: '{pageTitle}/{date} {alt} [{title}].{ext}'});
	assert.equal(report.downloaded, 2, JSON.stringify(report.failures));
	const files = await filesUnder(out);
	assert.ok(files.includes('Winter gallery/2022-11-15 Snow on pines [First snow].jpg'), files.join(', '));
	// The day can turn during the run: either side of midnight is the run's date.
	assert.ok(files.includes(`Winter gallery/${today} Ice [].png`) || files.includes(`Winter gallery/${dateField(new Date())} Ice [].png`), files.join(', '));
});

test('with --follow, {page} is the listing page an image descends from and {index} counts on through its detail pages, whatever the concurrency', async t => {
	const server = await gallery(t, {site: 'gbk-site'});
	const out = await tempDir(t);
	const {code, stderr} = await runCli([
		`${server.url}index{_page}.html`,
		...['--pages', '1-3', '--follow', 'ul.clearfix li a', '--selector', '.photo-pic img'],
		...['--page-concurrency', '6', '-c', '8', '-o', out, '--name', '{page}/{index} {alt}', '-q'],
	]);
	assert.equal(code, 0, stderr);
	const expected = titles.map((title, at) => `${Math.floor(at / 4) + 1}/${(at % 4) + 1} ${title}.jpg`);
	assert.deepEqual(await filesUnder(out), [...expected].sort());
	assert.equal(server.stats().image.requests, 12);
});

test('a --name without {ext} gets a one-line note, and the files their real extension', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 500});
	const out = await tempDir(t);
	const {code, stderr} = await runCli([server.template, '--pages', '1', '-o', out, '--name', 'shot-{index}']);
	assert.equal(code, 0, stderr);
	assert.deepEqual(await listFiles(out), ['shot-1.jpg', 'shot-2.jpg']);
	assert.equal(stderr.split('\n').filter(line => line.includes('{ext}')).length, 1, stderr);
	assert.match(stderr, /^imgscrape: note: --name 'shot-\{index\}' has no \{ext\}, so each file gets its real type's extension$/m);
});
