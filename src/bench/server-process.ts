/**
The child-process side of the bench's fixture gallery: the servers live here,
on their own event loop and CPU, so serving never competes with the scraper
it measures. Driven over the IPC channel by `gallery-process.ts`.
*/

import {startFixtureServer, type FixtureServer} from '../fixture-server/index.js';
import type {GalleryRequest, GalleryResponse} from './gallery-process.js';

const servers = new Map<number, FixtureServer>();
let nextId = 1;

async function handle(request: GalleryRequest): Promise<GalleryResponse> {
	switch (request.type) {
		case 'start': {
			const server = await startFixtureServer(request.options);
			const id = nextId++;
			servers.set(id, server);
			return {type: 'started', id, url: server.url, template: server.template};
		}

		case 'stats': {
			const server = servers.get(request.server)!;
			return {type: 'stats', stats: server.stats()};
		}

		case 'reset': {
			servers.get(request.server)!.resetStats();
			return {type: 'done'};
		}

		case 'stop': {
			await servers.get(request.server)?.close();
			servers.delete(request.server);
			return {type: 'done'};
		}
	}
}

process.on('message', (message: {id: number; request: GalleryRequest}) => {
	handle(message.request).then(
		response => process.send!({id: message.id, response}),
		(error: unknown) => process.send!({id: message.id, response: {type: 'error', message: (error as Error)?.message ?? String(error)}}),
	);
});

// The parent going away (even killed) closes the channel: stop serving then.
process.on('disconnect', () => {
	void Promise.all([...servers.values()].map(server => server.close())).then(() => process.exit(0));
});
