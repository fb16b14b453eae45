import {Downloader} from '../download/downloader.js';
import {createCookieJar} from '../http/cookies.js';
import type {ResolvedOptions, ScrapeOptions} from '../options.js';
import type {ScrapeServices} from '../ports.js';
import type {ScrapeReport} from '../report/report.js';
import {resolveOptions} from '../resolve-options.js';
import {Run} from './run.js';

export {flowControl} from './download-pool.js';

/**
Scrape the images of a gallery's listing pages.

A page pool fetches the pages; each page is parsed as soon as it arrives and
its new images go straight to a bounded download pool, so the two stages
overlap. Resolves, once both pools are idle, with the report: also when the
run is cancelled through `signal` (then `report.aborted` is true). Rejects
only for bad options (`UsageError`): a failure, even a bug (`internal`), fails
its page or image alone and is counted in the report.
*/
export async function scrape(options: ScrapeOptions, services: ScrapeServices = {}): Promise<ScrapeReport> {
	return runResolved(resolveOptions(options), services);
}

/**
`scrape()` on options that `resolveOptions` has already checked: the CLI
resolves them first, to refuse bad ones before it draws any progress, and
they are not checked twice.
*/
export async function runResolved(resolved: ResolvedOptions, services: ScrapeServices = {}): Promise<ScrapeReport> {
	// Before the output folder, so a bad cookies file leaves nothing behind.
	const jar = await createCookieJar({cookie: resolved.cookie, cookies: resolved.cookies, startUrls: resolved.pageUrls});
	let downloader: Downloader | undefined;
	if (resolved.download) {
		downloader = await Downloader.open(resolved, services);
	}

	let run: Run;
	try {
		run = new Run(resolved, jar, downloader, services);
	} catch (error) {
		// The output folder is locked by now: a run that cannot start must not keep it.
		await downloader?.close();
		throw error;
	}

	return run.run();
}
