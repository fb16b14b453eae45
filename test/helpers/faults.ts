import type {FixtureServer} from '../../src/fixture-server/index.js';
import {scrape, type ScrapeEvent, type ScrapeOptions} from '../../src/index.js';

/** A fault-route page (`/fault/ROUTE/NAME?src=...`) whose images are `sources`, resolved against the server. */
export function faultPage(server: FixtureServer, sources: string[], route = 'ok/list.html'): string {
	const query = sources.map(source => `src=${encodeURIComponent(source)}`).join('&');
	return `${server.url}fault/${route}${query === '' ? '' : `?${query}`}`;
}

/** Fast retries for tests: no real waiting, unless a test asks for it. */
export const quickRetries = {retryDelay: 1, maxRetryAfter: 20} as const;

/** Run `scrape()` and keep its events. */
export async function scrapeWithEvents(options: ScrapeOptions) {
	const events: ScrapeEvent[] = [];
	const report = await scrape({...quickRetries, ...options, onEvent: event => events.push(event)});
	return {report, events};
}
