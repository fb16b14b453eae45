import type {TestContext} from 'node:test';
import {startFixtureServer, type FixtureServer, type GalleryOptions} from '../../src/fixture-server/index.js';

/** A fixture gallery on an ephemeral loopback port, closed when the test ends. */
export async function gallery(t: TestContext, options: GalleryOptions = {}): Promise<FixtureServer> {
	const server = await startFixtureServer(options);
	t.after(() => server.close());
	return server;
}
