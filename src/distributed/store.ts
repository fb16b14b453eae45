/**
A worker's output folder as the crawl's store: the folder store, except that
an image the shared manifest places in another worker's folder counts as
held (this process cannot look there, and the record is only written once
that worker's file is in place), and that every file name is reserved in
Redis for its URL, so no two images of the crawl share a name in any of its
folders: put together, the folders never collide. A re-delivered image finds
its name reserved for itself and takes it again.
*/

import path from 'node:path';
import {FolderStore, type FolderStoreOptions} from '../download/folder-store.js';
import type {ImageStore, Settled, StoreEntry, StoredBody} from '../ports.js';
import type {Connection, CrawlKeys} from './redis.js';

/** Reserve `name` for `url` across the crawl: true when it is free or already this URL's. */
async function reserve(connection: Connection, keys: CrawlKeys, name: string, url: string): Promise<boolean> {
	const {redis} = connection;
	if ((await redis.hsetnx(keys.names, name, url)) === 1) {
		return true;
	}

	return (await redis.hget(keys.names, name)) === url;
}

export function crawlStore(options: FolderStoreOptions, connection: Connection, keys: CrawlKeys): ImageStore {
	FolderStore.check(options.out);
	const folder = FolderStore.open(options);
	const out = path.resolve(options.out);
	const own = out + path.sep;
	return {
		claim: (url, context) => folder.claim(url, context),
		create(url): StoreEntry {
			const entry = folder.create(url);
			return {
				write: chunk => entry.write(chunk),
				commit: () => entry.commit(),
				abort: () => entry.abort(),
				async settle(body: StoredBody): Promise<Settled> {
					for (;;) {
						const settled = await entry.settle(body);
						// Names compare as the folder store compares them: without case, as macOS and Windows do.
						const name = path.relative(out, settled.location).split(path.sep).join('/').toLowerCase();
						if (await reserve(connection, keys, name, url)) {
							return settled;
						}
						// Another image of the crawl holds the name in some worker's folder: settling again takes the next one.
					}
				},
			};
		},
		close: async () => folder.close(),
		async holds(location, bytes) {
			return location.startsWith(own) ? folder.holds(location, bytes) : true;
		},
	};
}
