import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {
	createHostGate,
	scrape,
	type Frontier,
	type ImageStore,
	type Manifest,
	type ManifestRecord,
	type PageJob,
	type PageRequest,
	type StoreEntry,
} from '../src/index.js';
import {CrawlRules, LocalFrontier} from '../src/scraper/frontier.js';
import {faultPage} from './helpers/faults.js';
import {gallery} from './helpers/server.js';
import {tempDir} from './helpers/temp.js';

/** A store that keeps images in memory under `mem:` locations: what an object store would do, without the network. */
class MemoryStore implements ImageStore {
	readonly saved = new Map<string, Buffer>();
	readonly claimed: string[] = [];
	created = 0;
	closed = false;

	claim(url: string): void {
		this.claimed.push(url);
	}

	create(url: string): StoreEntry {
		this.created++;
		const chunks: Buffer[] = [];
		const location = `mem:${new URL(url).pathname}`;
		return {
			write: chunk => {
				chunks.push(Buffer.from(chunk));
			},
			settle: async () => ({location, existing: false, renamed: false}),
			commit: () => {
				this.saved.set(location, Buffer.concat(chunks));
				return true;
			},
			abort() {},
		};
	}

	async holds(location: string, bytes: number): Promise<boolean> {
		return this.saved.get(location)?.length === bytes;
	}

	async close(): Promise<void> {
		this.closed = true;
	}
}

class MemoryManifest implements Manifest {
	readonly records = new Map<string, ManifestRecord>();
	readonly order: string[] = [];

	lookup(url: string): ManifestRecord | undefined {
		return this.records.get(url);
	}

	ownerOf(sha256: string): string | undefined {
		return [...this.records.values()].find(record => record.sha256 === sha256)?.location;
	}

	add(record: ManifestRecord): void {
		this.records.set(record.url, record);
		this.order.push(record.url);
	}

	async close(): Promise<void> {}
}

test('a store and a manifest passed as services take every image; nothing touches the output folder', async t => {
	const server = await gallery(t, {pages: 2, perPage: 3, size: 1500});
	const dir = await tempDir(t);
	const out = path.join(dir, 'img');
	const store = new MemoryStore();
	const manifest = new MemoryManifest();
	const report = await scrape({urls: [server.template], pages: '1-2', out}, {store, manifest});
	assert.equal(report.downloaded, 6);
	assert.equal(store.claimed.length, 6);
	assert.ok(store.closed);
	assert.ok(!existsSync(out), 'the default folder store was never opened');
	for (const url of server.imageUrls()) {
		const location = `mem:${new URL(url).pathname}`;
		assert.deepEqual(store.saved.get(location), server.imageBytes(url));
		assert.equal(manifest.lookup(url)?.location, location);
	}

	server.resetStats();
	const again = await scrape({urls: [server.template], pages: '1-2', out}, {store, manifest});
	assert.deepEqual(again.skippedByReason, {exists: 6});
	assert.equal(server.stats().image.requests, 0);
});

test('a body that is not an image never reaches the store', async t => {
	const server = await gallery(t);
	const store = new MemoryStore();
	const manifest = new MemoryManifest();
	const report = await scrape({urls: [faultPage(server, ['/fault/html-as-jpeg/a.jpg', '/fault/ok/b.jpg'])], retries: 0}, {store, manifest});
	assert.equal(report.downloaded, 1);
	assert.deepEqual(report.failuresByCategory, {'not-an-image': 1});
	assert.equal(store.created, 1, 'an entry only for the image');
	assert.deepEqual(
		manifest.order.map(url => path.basename(new URL(url).pathname)),
		['b.jpg'],
	);
});

/** A frontier that records what the run asked of it, around the local one. */
class RecordingFrontier implements Frontier {
	readonly taken: string[] = [];
	readonly finished: string[] = [];
	readonly #inner: LocalFrontier;

	constructor(inner: LocalFrontier) {
		this.#inner = inner;
	}

	async add(requests: readonly PageRequest[]): Promise<PageJob[]> {
		return this.#inner.add(requests);
	}

	async take(): Promise<PageJob | undefined> {
		const job = await this.#inner.take();
		if (job !== undefined) {
			this.taken.push(job.url);
		}

		return job;
	}

	async done(job: PageJob): Promise<void> {
		this.finished.push(job.url);
		return this.#inner.done();
	}

	async isFinished(): Promise<boolean> {
		return this.#inner.isFinished();
	}
}

test('a frontier passed as a service is leased from: every page taken is marked done, each once', async t => {
	const server = await gallery(t, {pages: 3, perPage: 2, size: 1000});
	const urls = server.pageUrls();
	const frontier = new RecordingFrontier(new LocalFrontier(new CrawlRules(urls, {follow: false, depth: 1, next: false, maxPages: 50, allowHost: []})));
	const report = await scrape({urls: [...urls, urls[0]!], out: await tempDir(t), pageConcurrency: 2}, {frontier});
	assert.equal(report.pages, 3);
	assert.equal(report.downloaded, 6);
	assert.deepEqual([...frontier.taken].sort(), [...urls].sort(), 'the page given twice is claimed once');
	assert.deepEqual([...frontier.finished].sort(), [...urls].sort());
});

test('one host gate shared by two runs holds both to its per-host cap', async t => {
	const server = await gallery(t, {pages: 2, perPage: 8, size: 1000, latency: 20});
	const hostGate = createHostGate({perHost: 2, interval: 0});
	const [first, second] = await Promise.all([
		scrape({urls: [server.template], pages: '1', out: await tempDir(t), robots: 'ignore', concurrency: 4}, {hostGate}),
		scrape({urls: [server.template], pages: '2', out: await tempDir(t), robots: 'ignore', concurrency: 4}, {hostGate}),
	]);
	assert.equal(first.downloaded + second.downloaded, 16);
	assert.equal(server.stats().peakInFlight, 2, 'the two runs together never had more than the gate allows');
});
