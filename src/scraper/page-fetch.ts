/**
A page's bytes, fetched with the run's retries: a found page's redirects kept
in the crawl's scope, and `--page-concurrency auto` told of each fetch's start,
pushback and end so it can steer the page pool.
*/

import {toScrapeError} from '../errors.js';
import type {FetchedPage, HttpClient} from '../http/client.js';
import {attempt, type RetryInfo, type RetryPolicy} from '../http/retry.js';
import type {PageJob} from '../ports.js';
import type {PageConcurrency} from './page-concurrency.js';

/** The most of a page the run reads: a listing past this is not one. */
const maxPageBytes = 64 * 1024 * 1024;

export interface PageFetchParts {
	http: HttpClient;
	retry: RetryPolicy;
	signal: AbortSignal;
	/** Whether a redirect of a found page stays where the crawl may go. */
	inScope(url: string): boolean;
	/** `--page-concurrency auto`, when on. */
	auto: PageConcurrency | undefined;
	onRetry(info: RetryInfo): void;
}

/** @throws ScrapeError the page's last failure, once the retries are spent. */
export async function fetchPage(job: PageJob, {http, retry, signal, inScope, auto, onRetry}: PageFetchParts): Promise<FetchedPage> {
	const {url} = job;
	auto?.fetching(job.id);
	let page: FetchedPage;
	try {
		// A found page's redirects must stay in scope too, or a 302 would lead the crawl where a link may not.
		const scope = job.parent === undefined ? undefined : inScope;
		page = await attempt(url, async attemptSignal => http.getBytes(url, maxPageBytes, {signal: attemptSignal, purpose: 'page', scope}), {
			...retry,
			// Under --page-concurrency auto a page's 429 or 503 is the pool's to answer, by slowing down: not counted against `retries`.
			pushback: retry.pushback || auto !== undefined,
			signal,
			onRetry(info) {
				auto?.retried(job.id, info.code);
				onRetry(info);
			},
		});
	} catch (error) {
		const failed = toScrapeError(error, url);
		auto?.failed(job.id, failed.code);
		throw failed;
	}

	auto?.fetched(job.id);
	return page;
}
