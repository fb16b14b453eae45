import assert from 'node:assert/strict';
import {test} from 'node:test';
import {resolveOptions, scrape, type ScrapeEvent, type ScrapeOptions} from '../src/index.js';
import {runResolved} from '../src/scraper/scrape.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

test('scrape() reads each option once: it resolves them once', async t => {
	const server = await gallery(t, {pages: 1, perPage: 2, size: 1000});
	const reads = new Map<string, number>();
	const given: ScrapeOptions = {urls: [server.pageUrls()[0]!], out: await tempDir(t), concurrency: 2, download: false};
	const counted = new Proxy(given, {
		get(target, key, receiver) {
			reads.set(String(key), (reads.get(String(key)) ?? 0) + 1);
			return Reflect.get(target, key, receiver) as unknown;
		},
	});
	const report = await scrape(counted);
	assert.equal(report.images, 2);
	assert.equal(reads.get('concurrency'), 1);
	assert.equal(reads.get('out'), 1);
});

test('runResolved takes resolved options as they are, with the onEvent set after resolution', async t => {
	const server = await gallery(t, {pages: 2, perPage: 3, size: 1000});
	const resolved = resolveOptions({urls: [server.template], pages: '1-2', out: await tempDir(t), concurrency: 2});
	// Resolved options have pageUrls, not urls: resolving them again would refuse them.
	assert.equal('urls' in resolved, false);
	assert.throws(() => resolveOptions(resolved as unknown as ScrapeOptions), /at least one page URL/);
	const events: ScrapeEvent[] = [];
	const report = await runResolved({...resolved, onEvent: event => events.push(event)});
	assert.equal(report.downloaded, 6);
	assert.equal(events.filter(event => event.type === 'image-done').length, 6);
	assert.equal(server.stats().image.requests, 6);
	assert.ok(server.stats().image.peakInFlight <= 2);
});
