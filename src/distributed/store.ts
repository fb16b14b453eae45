/**
A worker's output folder as the crawl's store: the folder store, except that
an image the shared manifest places in another worker's folder counts as
held. This process cannot look there, and the record is only written once
that worker's file is in place.
*/

import path from 'node:path';
import {FolderStore, type FolderStoreOptions} from '../download/folder-store.js';
import type {ImageStore} from '../ports.js';

export function crawlStore(options: FolderStoreOptions): ImageStore {
	FolderStore.check(options.out);
	const folder = FolderStore.open(options);
	const own = path.resolve(options.out) + path.sep;
	return {
		claim: (url, context) => folder.claim(url, context),
		create: url => folder.create(url),
		close: async () => folder.close(),
		async holds(location, bytes) {
			return location.startsWith(own) ? folder.holds(location, bytes) : true;
		},
	};
}
