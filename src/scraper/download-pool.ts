import PQueue from 'p-queue';
import type {Downloader} from '../download/downloader.js';
import {type ScrapeError, toScrapeError} from '../errors.js';
import type {HttpClient} from '../http/client.js';
import type {RetryInfo} from '../http/retry.js';
import type {StageClock} from '../report/stage-clock.js';
import type {ImageJob, ImageJobEnd, ImageQueue} from '../ports.js';
import type {ScrapeEvent} from '../types.js';
import type {TakenImage} from './image-intake.js';
import {failure} from './page-results.js';
import {steer} from './auto-concurrency.js';
import {imageDetails} from '../download/metadata.js';
import {dateField} from '../download/template.js';

/**
Queued downloads past which no new page is fetched, and no more of a page's
images are queued, until the backlog shrinks. Read when a run starts; tests lower it.
*/
export const flowControl = {maxBacklog: 2000};

/** The page an image was found on: its URL, its title when metadata or names ask for it, and its place for `{page}` and `{index}`. */
export interface PageOf {
	url: string;
	title?: string | undefined;
	/** `{page}`: the page's number in the run, or its listing page's with `follow` (name-positions.ts). */
	number: number;
	/** Images counted before this page's for `{index}` (a listing page's, before its detail page's). */
	before?: number | undefined;
}

export interface DownloadPoolOptions {
	/** Downloads at once; with `auto`, the most `-c auto` may reach. */
	concurrency: number;
	/** `-c auto`: the concurrency is found while the run goes (auto-concurrency.ts). */
	auto?: boolean | undefined;
	/** The run's signal: what has not started when it aborts is dropped, what runs stops. */
	signal: AbortSignal;
	downloader: Downloader;
	http: HttpClient;
	/** The download stage's clock in the report. */
	clock: StageClock;
	emit(event: ScrapeEvent): void;
	/** An image failed in a way that stops the run (a full disk). */
	stop(error: ScrapeError): void;
	/** A queue shared with other processes: images go there, and this pool handles what it hands out, `concurrency` at once. */
	shared?: ImageQueue | undefined;
}

/**
The download pool: up to `concurrency` images at once, each through the
downloader, with its events. A backlog bound lets the page pool hold back
while downloads are far behind.
*/
export class DownloadPool {
	readonly #options: DownloadPoolOptions;
	readonly #queue: PQueue;
	readonly #backlog: number;
	/** A page's images wait for the queue to fall below this, then refill it up to the backlog: a quarter at a time. */
	readonly #refillBelow: number;
	readonly #auto: ReturnType<typeof steer> | undefined;
	/** Every image event goes out through here, so `-c auto` sees what the run sees. */
	readonly #emit: (event: ScrapeEvent) => void;
	/** `{date}` for an image without Last-Modified: the day the run started. */
	readonly #date = dateField(new Date());

	constructor(options: DownloadPoolOptions) {
		this.#options = options;
		this.#queue = new PQueue({concurrency: options.concurrency});
		this.#auto = options.auto ? steer(this.#queue, options.concurrency, change => options.emit({type: 'concurrency', ...change})) : undefined;
		this.#emit =
			this.#auto === undefined
				? options.emit
				: event => {
						this.#auto!.observe(event);
						options.emit(event);
					};
		this.#backlog = Math.max(flowControl.maxBacklog, options.concurrency * 4);
		this.#refillBelow = this.#backlog - Math.ceil(this.#backlog / 4);
		options.shared?.consume(async job => this.#handle(job), options.concurrency);
	}

	/** A shared queue's job: its name claimed as it is taken (the same name whoever takes it), then downloaded. */
	async #handle(job: ImageJob): Promise<ImageJobEnd> {
		if (this.#options.signal.aborted) {
			return 'returned';
		}

		const {page, pageTitle, pageNumber, ...image} = job;
		const {alt, title} = image;
		this.#options.downloader.reserve(image.url, {page: pageNumber, index: image.position, alt, title, pageTitle, date: this.#date});
		try {
			return (await this.#download(image, {url: page, title: pageTitle, number: pageNumber})) ? 'settled' : 'returned';
		} catch (error) {
			return this.#failed(image.url, page, error) ? 'settled' : 'returned';
		}
	}

	/** Resolves once the queue is below the backlog bound: a page waits here before it is fetched. */
	async hasRoom(): Promise<void> {
		await this.#queue.onSizeLessThan(this.#backlog);
	}

	/** Drop the downloads that have not started (the run was cancelled). */
	clear(): void {
		this.#queue.clear();
		this.#options.shared?.stop();
	}

	/** Resolves once every queued download has ended: with a shared queue, everywhere in the crawl. */
	async idle(): Promise<void> {
		await this.#queue.onIdle();
		await this.#options.shared?.drained(this.#options.signal);
		this.#auto?.settle();
	}

	/** Hand images to the shared queue: said to be queued here, claimed and fetched by whichever process takes them. */
	async #share(shared: ImageQueue, images: readonly TakenImage[], page: PageOf): Promise<void> {
		const jobs = images.map(({url, original, position, alt, title}) => ({
			url,
			original,
			position: (page.before ?? 0) + position,
			alt,
			title,
			page: page.url,
			pageTitle: page.title,
			pageNumber: page.number,
		}));
		for (const job of jobs) {
			this.#emit({type: 'image-queued', url: job.url, page: page.url});
		}

		await shared.add(jobs);
	}

	/**
	Queue a page's new images under the same backlog bound as between pages: past
	it, wait until the pool has taken a chunk off the queue. One page of a million
	images then holds a bounded number of queued downloads, not a million.
	*/
	async schedule(images: readonly TakenImage[], page: PageOf): Promise<void> {
		if (this.#options.shared !== undefined) {
			await this.#share(this.#options.shared, images, page);
			return;
		}

		for (const image of images) {
			if (this.#queue.size >= this.#backlog) {
				await this.#queue.onSizeLessThan(this.#refillBelow);
			}

			if (this.#options.signal.aborted) {
				return;
			}

			this.#add(image, page);
		}
	}

	/**
	Save an image whose body is already here (a start URL that answered with an
	image) in the caller's turn, outside the queue: the page job holds the body
	until it is saved, so the page pool bounds how many are held.
	*/
	async saveFetched(image: TakenImage, body: Buffer, page: PageOf): Promise<void> {
		if (this.#options.shared !== undefined) {
			// Another process may take it: it fetches the image again rather than carry the body through the queue.
			await this.#share(this.#options.shared, [image], page);
			return;
		}

		if (!this.#queued(image, page)) {
			return;
		}

		try {
			await this.#download(image, page, body);
		} catch (error) {
			this.#failed(image.url, page.url, error);
		}
	}

	/** Claim the image's location in discovery order and say it is queued; false when the run is over and nothing should start. */
	#queued(image: TakenImage, page: PageOf): boolean {
		const {alt, title} = image;
		const index = (page.before ?? 0) + image.position;
		this.#options.downloader.reserve(image.url, {page: page.number, index, alt, title, pageTitle: page.title, date: this.#date});
		this.#emit({type: 'image-queued', url: image.url, page: page.url});
		return !this.#options.signal.aborted;
	}

	#add(image: TakenImage, page: PageOf): void {
		if (!this.#queued(image, page)) {
			return;
		}

		const {signal} = this.#options;
		// The signal is checked when the task starts rather than handed to p-queue, which would settle a
		// running task at once on abort, and `idle` would then resolve while its file is still being written.
		void this.#queue.add(async () => {
			if (signal.aborted) {
				return;
			}

			try {
				await this.#download(image, page);
			} catch (error) {
				// What a task lets escape fails its item alone (as `internal` when nobody recognises it); the run goes on.
				this.#failed(image.url, page.url, error);
			}
		});
	}

	/** Resolves true once the image is settled (saved, skipped or failed), false when the run was cancelled before. */
	async #download(image: TakenImage, {url: page, title: pageTitle}: PageOf, body?: Buffer): Promise<boolean> {
		const {downloader, signal, clock} = this.#options;
		const emit = this.#emit;
		const {url, original} = image;
		const saved = await downloader.saved(url);
		if (saved !== undefined) {
			emit({type: 'image-skipped', url, page, location: saved, reason: 'exists'});
			return true;
		}

		emit({type: 'image-start', url, page});
		const end = clock.start();
		try {
			const outcome = await downloader.download(this.#options.http, url, {
				signal,
				headers: {referer: page},
				onRetry: (info: RetryInfo) => {
					emit({type: 'retry', url, page, ...info});
				},
				original,
				body,
				onFallback: code => {
					emit({type: 'image-fallback', url, original: original!, page, code});
				},
				details: imageDetails(page, pageTitle, image),
			});
			if (outcome.kind === 'done') {
				const {location, bytes, renamed, dimensions} = outcome;
				emit({type: 'image-done', url, page, location, bytes, ms: end(bytes), ...(renamed ? {renamed: true} : {}), ...dimensions});
			} else {
				end();
				emit({type: 'image-skipped', url, page, location: outcome.location, reason: outcome.reason});
			}

			return true;
		} catch (error) {
			end();
			return this.#failed(url, page, error);
		}
	}

	/** Report a failure; false when it was the run's cancellation, which is no failure of the image. */
	#failed(url: string, page: string, error: unknown): boolean {
		const scrapeError = toScrapeError(error, url);
		if (scrapeError.code !== 'aborted') {
			this.#emit({type: 'image-failed', failure: failure(scrapeError, url, page)});
		}

		if (scrapeError.stopsRun) {
			this.#options.stop(scrapeError);
		}

		return scrapeError.code !== 'aborted';
	}
}
