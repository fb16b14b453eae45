/**
One run, from its start pages to its report: the page pool leasing from the
frontier, each page fetched, parsed (or rendered) and its images taken into
the download pool, the report order, and what stops the run.
*/

import {setMaxListeners} from 'node:events';
import type {CookieJar} from 'tough-cookie';
import type {Downloader} from '../download/downloader.js';
import {type ScrapeError, toScrapeError} from '../errors.js';
import {createParsePool, type ParsePool} from '../extract/parse-pool.js';
import type {FetchedPage, HttpClient} from '../http/client.js';
import type {RetryInfo} from '../http/retry.js';
import type {ResolvedOptions} from '../options.js';
import {ReportBuilder, type ScrapeReport} from '../report/report.js';
import type {Frontier, PageJob, ScrapeServices} from '../ports.js';
import type {ExtractResult, FoundImage, PageResult, ScrapeEvent} from '../types.js';
import {CrawlRules, LocalFrontier} from './frontier.js';
import {PageConcurrency} from './page-concurrency.js';
import {fetchPage} from './page-fetch.js';
import {PageLeases} from './page-leases.js';
import {PageOrder, type OrderSlot} from './page-order.js';
import {PageSequence} from './page-sequence.js';
import {failure, isImageBody, pageNotes} from './page-results.js';
import {DownloadPool} from './download-pool.js';
import {ImageIntake} from './image-intake.js';
import {NamePositions, namesNeedOrder} from './name-positions.js';
import {applyImageRules, hasImageRules} from './image-rules.js';
import {createRunHttp, hostLimits} from './run-http.js';
import {createHostGate} from '../http/host-gate.js';
import {RenderedPages} from './rendered-pages.js';

/** One run's state. Everything here is touched only from the main thread, so each piece of state has one owner. */
export class Run {
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
	/** Which images the run takes: each URL once, URL rules and range applied. */
	readonly #intake: ImageIntake;
	readonly #positions = new NamePositions();
	/** With a range, downloads are queued as pages are released in report order, one page after another. */
	#orderedQueueing: Promise<void> = Promise.resolve();
	#caughtUp = false;
	readonly #sequence: PageSequence;
	/** The download pool; none when the run only lists. */
	readonly #downloads: DownloadPool | undefined;
	readonly #rules: CrawlRules;
	readonly #frontier: Frontier;
	/** Whether the run made the HTTP client, and so closes it. */
	readonly #ownsHttp: boolean;
	readonly #order = new PageOrder<PageResult>(result => {
		this.#release(result);
	});
	/** Each job's place in the report order, by job id; a job another process added has none and is reported as it ends. */
	readonly #slots = new Map<string, OrderSlot>();
	readonly #pages: PageLeases;
	/** `--page-concurrency auto`: steers `#pages` from the page fetches. */
	readonly #pageAuto: PageConcurrency | undefined;
	/** With `render`: the browser that loads each page, started with the run. */
	readonly #rendered: RenderedPages | undefined;

	constructor(options: ResolvedOptions, jar: CookieJar, downloader: Downloader | undefined, services: ScrapeServices) {
		this.#options = options;
		this.#downloader = downloader;
		this.#sequence = new PageSequence(options.openPages);
		this.#intake = new ImageIntake(
			options.range,
			options.abort === undefined ? undefined : {after: options.abort, saved: url => downloader?.recorded(url) ?? false},
			namesNeedOrder(options.files.name, options.extract.follow),
		);
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
		this.#report = new ReportBuilder({...options, selector: options.extract.selector, follow: options.extract.follow});
		this.#rules = new CrawlRules(options.pageUrls, {
			follow: options.extract.follow !== undefined,
			depth: options.depth,
			next: options.extract.next !== undefined,
			maxPages: options.maxPages,
			allowHost: options.allowHost,
		});
		this.#frontier = services.frontier ?? new LocalFrontier(this.#rules);
		this.#pages = new PageLeases(this.#frontier, {concurrency: options.pageConcurrency, signal: this.#signal, run: async job => this.#runPage(job)});
		this.#pageAuto = options.autoPageConcurrency
			? new PageConcurrency(this.#pages, options.pageConcurrency, change => this.#emit({type: 'concurrency', ...change}))
			: undefined;
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
				onRequest: request => {
					this.#emit({type: 'request', ...request});
				},
				robotsClient: () => this.#http,
				robots: services.robots,
			});
		this.#parser = createParsePool({workers: options.parseWorkers});
		this.#downloads =
			downloader &&
			new DownloadPool({
				concurrency: options.concurrency,
				auto: options.autoConcurrency,
				signal: this.#signal,
				downloader,
				http: this.#http,
				clock: this.#report.download,
				emit: event => {
					this.#emit(event);
				},
				stop: this.#stop,
				shared: services.images,
			});
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
				// With a range or --abort, pages are taken in report order: a rendered page's images wait for its end.
				take: this.#downloads && !this.#intake.ordered ? async (images, offset, job) => this.#takeNow(job, images, offset) : undefined,
			});
	}

	async run(): Promise<ScrapeReport> {
		const onAbort = () => {
			// Drop what has not started; what runs sees the same signal and stops.
			this.#downloads?.clear();
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
			this.#pageAuto?.settle();
			await this.#orderedQueueing;
			// Nothing is left to parse: parse workers end while the last downloads run, not after them.
			parserClosed = this.#parser.close();
			await this.#downloads?.idle();
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
		await this.#downloads?.hasRoom();
		if (this.#signal.aborted) {
			this.#settle(job, undefined);
			return;
		}

		const endFetch = this.#report.pageFetch.start();
		let page: FetchedPage;
		try {
			page = await fetchPage(job, {
				http: this.#http,
				retry: this.#options.retry,
				signal: this.#signal,
				inScope: this.#rules.inScope,
				auto: this.#pageAuto,
				onRetry: info => {
					this.#retried(url, undefined, info);
				},
			});
		} catch (error) {
			endFetch();
			this.#pageFailed(job, toScrapeError(error, url));
			return;
		}

		endFetch(page.bytes.length);
		if (job.parent === undefined && (await isImageBody(page))) {
			// A start URL that answers with an image is that image, not a page of them: `list | jq -r .url | imgscrape -i -`.
			const direct: FoundImage[] = [{url, source: 'direct'}];
			const {include, exclude} = this.#options.imageRules;
			await this.#take(job, applyImageRules(direct, {rewrite: [], include, exclude, variants: 'all'}), {}, page.bytes);
			return;
		}

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
		const found = this.#rules.takesImages(job) ? extracted.images : [];
		const held = [...found.map(image => image.url), ...(this.#rules.followsLinks(job) ? extracted.links : [])];
		const children = await this.#frontier.add([...this.#rules.requestsFrom(job, extracted.links, extracted.next), ...this.#sequence.next(job, held)]);
		this.#queued(children, this.#slots.get(job.id));
		this.#pages.pump();
		const images = hasImageRules(this.#options.imageRules) ? applyImageRules(found, this.#options.imageRules) : found;
		await this.#take(job, images, {...pageNotes(extracted, this.#rules.takesImages(job)), ...(extracted.title === undefined ? {} : {title: extracted.title})});
	}

	/**
	Settle a page with its images and take the new ones: now, as it arrives, or
	with a range when it is released in report order. `body`: the page is itself
	the one image, already fetched, and saved in the page's turn.
	*/
	async #take(job: PageJob, images: FoundImage[], notes: Pick<PageResult, 'capped' | 'warnings' | 'matched' | 'title'>, body?: Buffer): Promise<void> {
		const {url} = job;
		const intake = this.#intake.ordered ? undefined : this.#intake.take(images);
		this.#settle(job, {
			index: job.index,
			url,
			depth: job.depth,
			parent: job.parent,
			ok: true,
			images: intake?.images ?? images,
			newImages: intake === undefined ? 0 : intake.taken.length + intake.excluded.length + (this.#rendered?.takeQueued(job) ?? 0),
			...notes,
		});
		if (intake === undefined) {
			return;
		}

		this.#excluded(intake.excluded, url);
		const [first] = intake.taken;
		if (body !== undefined && first !== undefined) {
			await this.#downloads?.saveFetched(first, body, {url, title: notes.title, number: job.index + 1});
		} else {
			await this.#downloads?.schedule(intake.taken, {url, title: notes.title, number: job.index + 1});
		}
	}

	/** A rendered page's step: its new images taken as they come, while the visit goes on; resolves with how many were new. */
	async #takeNow(job: PageJob, images: readonly FoundImage[], offset: number): Promise<number> {
		const rules = this.#options.imageRules;
		const intake = this.#intake.take(hasImageRules(rules) ? applyImageRules([...images], rules) : images, offset);
		this.#excluded(intake.excluded, job.url);
		await this.#downloads?.schedule(intake.taken, {url: job.url, number: job.index + 1});
		return intake.taken.length + intake.excluded.length;
	}

	/** A page's result reaches the report in page order: with a range, this is where its images are taken. */
	#release(result: PageResult): void {
		const place = this.#intake.ordered ? this.#positions.next(result.depth, result.images.length) : undefined;
		if (place === undefined || !result.ok) {
			this.#emit({type: 'page', result});
			return;
		}

		const intake = this.#intake.take(result.images);
		this.#emit({type: 'page', result: {...result, images: intake.images, newImages: intake.taken.length + intake.excluded.length}});
		this.#excluded(intake.excluded, result.url);
		const downloads = this.#downloads;
		if (downloads !== undefined && intake.taken.length > 0) {
			this.#orderedQueueing = this.#orderedQueueing.then(async () => downloads.schedule(intake.taken, {url: result.url, title: result.title, ...place}));
		}

		if (this.#intake.complete) {
			if (this.#intake.caughtUp && !this.#caughtUp) {
				this.#caughtUp = true;
				this.#emit({type: 'caught-up', page: result.url, images: this.#options.abort!});
			}

			// No page past the one that completes the range (or catches up) is fetched; those in flight finish.
			this.#pages.stop();
		}
	}

	/** Images the URL rules left out: reported as skipped, never fetched. */
	#excluded(images: readonly FoundImage[], page: string): void {
		for (const image of images) {
			this.#emit({type: 'image-skipped', url: image.url, page, location: undefined, reason: 'excluded'});
		}
	}

	#pageFailed(job: PageJob, error: ScrapeError): void {
		const {index, url, depth, parent} = job;
		// The gallery's end is no failure: the page is left out of the report.
		this.#settle(
			job,
			error.code === 'aborted' || this.#sequence.isEnd(job, error.code)
				? undefined
				: {index, url, depth, parent, ok: false, images: [], newImages: 0, error: failure(error, url)},
		);
	}

	/** Report a page's result in its place in the order, or skip its place (undefined: cancelled). */
	#settle(job: PageJob, result: PageResult | undefined): void {
		const slot = this.#slots.get(job.id);
		this.#slots.delete(job.id);
		if (slot === undefined) {
			if (result !== undefined) {
				this.#release(result);
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
}
