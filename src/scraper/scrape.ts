import {setMaxListeners} from 'node:events';
import PQueue from 'p-queue';
import type {CookieJar} from 'tough-cookie';
import {Downloader} from '../download/downloader.js';
import type {NameContext} from '../download/template.js';
import {type ScrapeError, toScrapeError} from '../errors.js';
import {createParsePool, type ParsePool} from '../extract/parse-pool.js';
import {createHttpClient, type FetchedPage, type HttpClient} from '../http/client.js';
import {attempt, type RetryInfo} from '../http/retry.js';
import {createCookieJar} from '../http/cookies.js';
import {createRequestPolicy} from '../http/policy.js';
import type {ResolvedOptions, ScrapeOptions} from '../options.js';
import {resolveOptions} from '../resolve-options.js';
import {ReportBuilder, type ScrapeReport} from '../report/report.js';
import type {Frontier, PageJob, ScrapeServices} from '../ports.js';
import type {ExtractOptions, ExtractResult, FoundImage, PageResult, ScrapeEvent} from '../types.js';
import {CrawlRules, LocalFrontier} from './frontier.js';
import {PageLeases} from './page-leases.js';
import {PageOrder, type OrderSlot} from './page-order.js';
import {failure, pageNotes} from './page-results.js';
import {createHostGate} from '../http/host-gate.js';
import {RenderedPages} from './rendered-pages.js';
import {createRunHttp, hostLimits} from './run-http.js';

/**
Queued downloads past which no new page is fetched, and no more of a page's
images are queued, until the backlog shrinks. Read when a run starts; tests lower it.
*/
export const flowControl = {maxBacklog: 2000};

/** A listing page larger than this is refused rather than held in memory. */
const maxPageBytes = 64 * 1024 * 1024;

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

/** One run's state. Everything here is touched only from the main thread, so each piece of state has one owner. */
class Run {
	readonly #options: ResolvedOptions;
	readonly #signal: AbortSignal;
	readonly #stop: (error: ScrapeError) => void;
	/** The error that stopped the run, when one did (a full disk, a manifest that cannot be written). */
	#stoppedBy: ScrapeError | undefined;
	readonly #detach: () => void;
	readonly #report: ReportBuilder;
	readonly #http: HttpClient;
	readonly #downloader: Downloader | undefined;
	readonly #parser: ParsePool;
	/** Image URLs already scheduled in this run: each is fetched once. */
	readonly #seenImages = new Set<string>();
	readonly #downloadQueue: PQueue;
	readonly #backlog: number;
	/** A page's images wait for the queue to fall below this, then refill it up to the backlog: a quarter at a time. */
	readonly #refillBelow: number;
	readonly #rules: CrawlRules;
	readonly #frontier: Frontier;
	/** Whether the run made the HTTP client, and so closes it. */
	readonly #ownsHttp: boolean;
	readonly #order = new PageOrder<PageResult>(result => {
		this.#emit({type: 'page', result});
	});
	/** Each job's place in the report order, by job id; a job another process added has none and is reported as it ends. */
	readonly #slots = new Map<string, OrderSlot>();
	readonly #pages: PageLeases;
	/** With `render`: the browser that loads each page, started with the run. */
	readonly #rendered: RenderedPages | undefined;

	constructor(options: ResolvedOptions, jar: CookieJar, downloader: Downloader | undefined, services: ScrapeServices) {
		this.#options = options;
		this.#downloader = downloader;
		// One internal signal for the run's many requests and pipes: listeners pile up
		// on it by design, and the caller's signal keeps just the one listener.
		const controller = new AbortController();
		setMaxListeners(0, controller.signal);
		const forward = () => controller.abort(options.signal?.reason);
		if (options.signal?.aborted) {
			forward();
		}

		options.signal?.addEventListener('abort', forward, {once: true});
		this.#detach = () => options.signal?.removeEventListener('abort', forward);
		this.#signal = controller.signal;
		this.#stop = error => {
			this.#stoppedBy ??= error;
			controller.abort(error);
		};
		this.#report = new ReportBuilder(options);
		this.#rules = new CrawlRules(options.pageUrls, {
			follow: options.extract.follow !== undefined,
			depth: options.depth,
			next: options.extract.next !== undefined,
			maxPages: options.maxPages,
			allowHost: options.allowHost,
		});
		this.#frontier = services.frontier ?? new LocalFrontier(this.#rules);
		this.#pages = new PageLeases(this.#frontier, {concurrency: options.pageConcurrency, signal: this.#signal, run: async job => this.#runPage(job)});
		this.#ownsHttp = services.http === undefined;
		// The browser's requests share the gate the policy would otherwise make for itself.
		const gate = services.hostGate ?? (options.render === undefined ? undefined : createHostGate(hostLimits(options)));
		this.#http =
			services.http ??
			createRunHttp(options, {
				jar,
				signal: this.#signal,
				gate,
				onWarning: warning => {
					this.#emit({type: 'warning', warning});
				},
				robotsClient: () => this.#http,
			});
		this.#parser = createParsePool({workers: options.parseWorkers});
		this.#downloadQueue = new PQueue({concurrency: options.concurrency});
		this.#backlog = Math.max(flowControl.maxBacklog, options.concurrency * 4);
		this.#refillBelow = this.#backlog - Math.ceil(this.#backlog / 4);
		this.#rendered =
			options.render &&
			new RenderedPages({
				options,
				render: options.render,
				jar,
				gate,
				parser: this.#parser,
				report: this.#report,
				rules: this.#rules,
				signal: this.#signal,
				emit: event => this.#emit(event),
				claim: url => !this.#seenImages.has(url) && this.#seenImages.add(url) !== undefined,
				schedule: downloader && (async (urls, positions, job) => this.#scheduleDownloads(downloader, urls, positions, job.url, job.index + 1)),
			});
	}

	async run(): Promise<ScrapeReport> {
		const onAbort = () => {
			// Drop what has not started; what runs sees the same signal and stops.
			this.#downloadQueue.clear();
			this.#pages.pump();
		};

		this.#signal.addEventListener('abort', onAbort, {once: true});
		let parserClosed: Promise<void> | undefined;
		try {
			const jobs = await this.#frontier.add(this.#options.pageUrls.map(url => ({url, depth: 0, via: 'start' as const})));
			this.#queued(jobs);
			this.#pages.pump();
			// Downloads are only ever added by pages, so once the pages are done the download pool holds all there will be.
			await this.#pages.done;
			// Nothing is left to parse: parse workers end while the last downloads run, not after them.
			parserClosed = this.#parser.close();
			await this.#downloadQueue.onIdle();
		} finally {
			this.#signal.removeEventListener('abort', onAbort);
			this.#detach();
			this.#order.flush();
			await Promise.all([this.#ownsHttp ? this.#http.close() : undefined, parserClosed ?? this.#parser.close()]);
			await this.#rendered?.close();
			await this.#downloader?.close();
		}

		const stoppedBy = this.#stoppedBy;
		return this.#report.build(stoppedBy === undefined && this.#signal.aborted, stoppedBy && {code: stoppedBy.code, message: stoppedBy.message});
	}

	#emit(event: ScrapeEvent): void {
		this.#report.record(event);
		this.#options.onEvent(event);
	}

	/**
	Add a task that never rejects. The signal is checked when the task starts
	rather than handed to p-queue, which would settle a running task at once on
	abort, and `onIdle` would then resolve while its file is still being written.
	*/
	#enqueue(queue: PQueue, task: () => Promise<void>, onCancel: () => void, onError: (error: unknown) => void, priority = 0): void {
		if (this.#signal.aborted) {
			onCancel();
			return;
		}

		void queue.add(
			async () => {
				if (this.#signal.aborted) {
					onCancel();
					return;
				}

				try {
					await task();
				} catch (error) {
					// What a task lets escape fails its item alone (as `internal` when nobody recognises it); the run goes on.
					onError(error);
				}
			},
			{priority},
		);
	}

	/** New jobs take their place in the report order (after `parent`'s earlier children) and are announced. */
	#queued(jobs: readonly PageJob[], parent?: OrderSlot): void {
		for (const job of jobs) {
			this.#slots.set(job.id, this.#order.add(parent));
			this.#emit({type: 'page-queued', url: job.url, depth: job.depth, parent: job.parent});
		}
	}

	async #runPage(job: PageJob): Promise<void> {
		try {
			await this.#processPage(job);
		} catch (error) {
			// What a page lets escape fails that page alone (as `internal` when nobody recognises it); the run goes on.
			this.#pageFailed(job, toScrapeError(error, job.url));
		}
	}

	async #processPage(job: PageJob): Promise<void> {
		const {url} = job;
		// Flow control: a page waits while the downloads found so far are far behind, so a crawl of
		// 100,000 images holds a bounded backlog in memory rather than every image at once.
		await this.#downloadQueue.onSizeLessThan(this.#backlog);
		if (this.#signal.aborted) {
			this.#settle(job, undefined);
			return;
		}

		const endFetch = this.#report.pageFetch.start();
		let page: FetchedPage;
		try {
			// A found page's redirects must stay in scope too, or a 302 would lead the crawl where a link may not.
			const scope = job.parent === undefined ? undefined : this.#rules.inScope;
			page = await attempt(url, async signal => this.#http.getBytes(url, maxPageBytes, {signal, purpose: 'page', scope}), {
				...this.#options.retry,
				signal: this.#signal,
				onRetry: info => this.#retried(url, undefined, info),
			});
		} catch (error) {
			endFetch();
			this.#pageFailed(job, toScrapeError(error, url));
			return;
		}

		endFetch(page.bytes.length);
		let extracted: ExtractResult;
		// Read now: handing the page to a worker transfers, and so empties, its bytes.
		const pageBytes = page.bytes.length;
		// Inline this is the parse itself; with workers, dispatch to result: waiting for a free worker and the trips between threads count too.
		let endParse: ((bytes: number) => void) | undefined;
		try {
			// With `render` the page is visited in the browser instead, which parses each step's DOM.
			extracted =
				this.#rendered === undefined
					? await this.#parser.parse(page.bytes, page.url, page.headers, this.#rules.extractOptions(job, this.#options.extract), this.#signal, () => {
							endParse = this.#report.parse.start();
						})
					: await this.#rendered.visit(job, page);
		} catch (error) {
			this.#pageFailed(job, toScrapeError(error, url));
			return;
		} finally {
			endParse?.(pageBytes);
		}

		// Children take their place in the order before this page settles, so they are reported right after it.
		const children = await this.#frontier.add(this.#rules.requestsFrom(job, extracted.links, extracted.next));
		this.#queued(children, this.#slots.get(job.id));
		this.#pages.pump();
		const images = this.#rules.takesImages(job) ? extracted.images : [];
		// The new images' URLs and places on the page ({index}), not the images: once the result is
		// reported nothing else holds a page's image list while its downloads are queued.
		const fresh: string[] = [];
		const positions: number[] = [];
		for (const [position, image] of images.entries()) {
			if (!this.#seenImages.has(image.url)) {
				this.#seenImages.add(image.url);
				fresh.push(image.url);
				positions.push(position + 1);
			}
		}

		this.#settle(job, {
			index: job.index,
			url,
			depth: job.depth,
			parent: job.parent,
			ok: true,
			images,
			newImages: fresh.length + (this.#rendered?.takeQueued(job) ?? 0),
			...pageNotes(extracted, this.#rules.takesImages(job)),
		});
		if (this.#downloader !== undefined) {
			await this.#scheduleDownloads(this.#downloader, fresh, positions, url, job.index + 1);
		}
	}

	/**
	Queue a page's new images under the same backlog bound as between pages: past
	it, wait until the pool has taken a chunk off the queue. One page of a million
	images then holds a bounded number of queued downloads, not a million.
	*/
	async #scheduleDownloads(downloader: Downloader, urls: readonly string[], positions: readonly number[], page: string, pageNumber: number): Promise<void> {
		for (const [next, imageUrl] of urls.entries()) {
			if (this.#downloadQueue.size >= this.#backlog) {
				await this.#downloadQueue.onSizeLessThan(this.#refillBelow);
			}

			if (this.#signal.aborted) {
				return;
			}

			this.#scheduleDownload(downloader, {url: imageUrl}, page, {page: pageNumber, index: positions[next]!});
		}
	}

	#pageFailed(job: PageJob, error: ScrapeError): void {
		const {index, url, depth, parent} = job;
		this.#settle(job, error.code === 'aborted' ? undefined : {index, url, depth, parent, ok: false, images: [], newImages: 0, error: failure(error, url)});
	}

	/** Report a page's result in its place in the order, or skip its place (undefined: cancelled). */
	#settle(job: PageJob, result: PageResult | undefined): void {
		const slot = this.#slots.get(job.id);
		this.#slots.delete(job.id);
		if (slot === undefined) {
			if (result !== undefined) {
				this.#emit({type: 'page', result});
			}
		} else if (result === undefined) {
			this.#order.skip(slot);
		} else {
			this.#order.done(slot, result);
		}
	}

	#retried(url: string, page: string | undefined, info: RetryInfo): void {
		this.#emit({type: 'retry', url, ...(page === undefined ? {} : {page}), ...info});
	}

	#scheduleDownload(downloader: Downloader, image: Pick<FoundImage, 'url'>, page: string, context: NameContext): void {
		downloader.reserve(image.url, context);
		this.#emit({type: 'image-queued', url: image.url, page});
		this.#enqueue(
			this.#downloadQueue,
			async () => {
				const saved = await downloader.saved(image.url);
				if (saved !== undefined) {
					this.#emit({type: 'image-skipped', url: image.url, page, location: saved, reason: 'exists'});
					return;
				}

				this.#emit({type: 'image-start', url: image.url, page});
				const end = this.#report.download.start();
				try {
					const outcome = await downloader.download(this.#http, image.url, {
						signal: this.#signal,
						headers: {referer: page},
						onRetry: info => this.#retried(image.url, page, info),
					});
					if (outcome.kind === 'done') {
						this.#emit({
							type: 'image-done',
							url: image.url,
							page,
							location: outcome.location,
							bytes: outcome.bytes,
							ms: end(outcome.bytes),
							...(outcome.renamed ? {renamed: true} : {}),
						});
					} else {
						end();
						this.#emit({type: 'image-skipped', url: image.url, page, location: outcome.location, reason: outcome.reason});
					}
				} catch (error) {
					end();
					this.#imageFailed(image.url, page, error);
				}
			},
			() => {},
			error => {
				this.#imageFailed(image.url, page, error);
			},
		);
	}

	#imageFailed(url: string, page: string, error: unknown): void {
		const scrapeError = toScrapeError(error, url);
		if (scrapeError.code !== 'aborted') {
			this.#emit({type: 'image-failed', failure: failure(scrapeError, url, page)});
		}

		if (scrapeError.stopsRun) {
			this.#stop(scrapeError);
		}
	}
}
