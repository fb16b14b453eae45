import {performance} from 'node:perf_hooks';
import type {ConcurrencyChange, ConcurrencyReason, Failure, PageResult, RenderedPage, ScrapeEvent, SkipReason, Warning} from '../types.js';
import {StageClock, type StageReport} from './stage-clock.js';

/** The summary of a run: what `scrape()` resolves with and `--json` prints. */
export interface ScrapeReport {
	/** Listing pages fetched and parsed. */
	pages: number;
	pagesFailed: number;
	/** Pages whose images, links or next-page links were cut at `maxPerPage`. */
	pagesCapped: number;
	/** Distinct images found across all pages. */
	images: number;
	downloaded: number;
	failed: number;
	/** Images not downloaded although nothing failed: already saved (resume), duplicates, or left out by a size or type filter. */
	skipped: number;
	/** `skipped` by reason: `exists`, `duplicate`, `too-large`, `too-small`, `filtered`, `dimensions`, `excluded`; a reason none had is absent. */
	skippedByReason: Partial<Record<SkipReason, number>>;
	/** Retries of pages and images (each failed attempt that was tried again). */
	retries: number;
	/** Rewritten image URLs that answered 404 or 410, so the URL as found was fetched instead. */
	fallbacks: number;
	/** Images saved whose pixel size was not in their first megabyte (or whose type's size cannot be read): kept, with no width and height. */
	dimensionsUnknown: number;
	/** Images saved under another name because a file the run does not own stood under the one they wanted. */
	renamed: number;
	/** Bytes written to disk. */
	bytes: number;
	elapsedMs: number;
	/** From the start of the run to the first image saved; null when none was. */
	firstImageMs: number | null;
	imagesPerSecond: number;
	megabytesPerSecond: number;
	/** True when `abort` stopped the run: that many images in a row were already saved. */
	caughtUp: boolean;
	/** True when the run was cancelled before it finished. */
	aborted: boolean;
	/** The error that stopped the run before it finished (a full disk, a manifest that cannot be written); null when none did. */
	stoppedBy: {code: string; message: string} | null;
	/** `render`, when pages were rendered: each visit in the browser, from its context's opening to its closing. */
	phases: {pageFetch: StageReport; parse: StageReport; download: StageReport; render?: StageReport};
	/** With `render`: every page's visit (time, steps, new images per step), in the order the visits ended. */
	render?: RenderedPage[];
	failuresByCategory: Record<string, number>;
	/** Every failed page and image, pages first, in the order they failed. */
	failures: Failure[];
	/** What the run changed course for without failing, in the order it happened: a site's Crawl-delay, or what could not be read from a page that was otherwise fine (`page`: a selector stopped by its bound). */
	warnings: Warning[];
	/** One row per page, in page order: the images it holds, and how many of them were new to the run. */
	pageResults: Array<{url: string; depth: number; ok: boolean; images: number; newImages: number; capped?: PageResult['capped']; error?: string}>;
	/** Peak resident set size of the process, in bytes. */
	peakRssBytes: number;
	/** Parse worker threads (0: pages were parsed on the main thread). */
	parseWorkers: number;
	/**
	A selector that matched nothing on every page it applied to: `selector`
	(on the pages that take images) or `follow` (on the pages that follow
	links), with how many pages that was and how many `img` (or `a`) elements
	those pages have, which says whether the selector or the page is at fault.
	*/
	unmatched: Unmatched[];
	/** With `-c auto`: the download concurrency it settled on, why, and how many times it changed on the way. */
	autoConcurrency?: AutoSettled;
	/** With `--page-concurrency auto`: the same for the page pool. */
	autoPageConcurrency?: AutoSettled;
}

/** Where an auto pool settled, why, and how many times it changed on the way. */
export interface AutoSettled {
	settled: number;
	reason: ConcurrencyReason;
	detail: string;
	changes: number;
}

/** An auto pool's summary after one more of its changes (or its settled one). */
function autoAfter(previous: AutoSettled | undefined, event: ConcurrencyChange): AutoSettled {
	return {settled: event.to, reason: event.reason, detail: event.detail, changes: (previous?.changes ?? 0) + (event.settled ? 0 : 1)};
}

/** A selector that matched nothing on any page it applied to. */
export interface Unmatched {
	option: 'selector' | 'follow';
	selector: string;
	pages: number;
	/** The element the hint counts on those pages: `img` for `selector`, `a` for `follow`. */
	tag: 'img' | 'a';
	elements: number;
}

/** What one selector matched over the pages it applied to. */
class MatchTally {
	pages = 0;
	matchedPages = 0;
	elements = 0;

	add(matched: number | undefined, elements: number | undefined): void {
		if (matched === undefined) {
			return;
		}

		this.pages++;
		this.elements += elements ?? 0;
		if (matched > 0) {
			this.matchedPages++;
		}
	}

	unmatched(option: Unmatched['option'], selector: string | undefined, tag: Unmatched['tag']): Unmatched[] {
		return selector === undefined || this.pages === 0 || this.matchedPages > 0 ? [] : [{option, selector, pages: this.pages, tag, elements: this.elements}];
	}
}

/** What the report builder needs of the options. */
export interface ReportLimits {
	pageConcurrency: number;
	concurrency: number;
	parseWorkers: number;
	/** The image selector and the follow selector, for the hint when one matched nothing. */
	selector?: string | undefined;
	follow?: string | undefined;
}

/** Reduces the run's events, and the stage clocks, into a `ScrapeReport`. */
export class ReportBuilder {
	readonly pageFetch: StageClock;
	readonly parse: StageClock;
	readonly download: StageClock;
	readonly render: StageClock;
	readonly #rendered: RenderedPage[] = [];
	readonly #started = performance.now();
	#firstImageMs: number | null = null;
	#pages = 0;
	#pagesFailed = 0;
	#pagesCapped = 0;
	#images = 0;
	#downloaded = 0;
	#failed = 0;
	#skipped = 0;
	#retries = 0;
	#renamed = 0;
	#fallbacks = 0;
	#caughtUp = false;
	#dimensionsUnknown = 0;
	readonly #skippedByReason: Partial<Record<SkipReason, number>> = {};
	#bytes = 0;
	readonly #pageFailures: Failure[] = [];
	readonly #imageFailures: Failure[] = [];
	readonly #warnings: Warning[] = [];
	readonly #pageResults: ScrapeReport['pageResults'] = [];
	#auto: ScrapeReport['autoConcurrency'];
	readonly #limits: ReportLimits;
	readonly #selected = new MatchTally();
	readonly #followed = new MatchTally();
	#autoPages: ScrapeReport['autoPageConcurrency'];

	constructor(limits: ReportLimits) {
		this.#limits = limits;
		this.pageFetch = new StageClock(limits.pageConcurrency);
		// Inline, parsing is synchronous: one page at a time. On workers a page is in the stage
		// from dispatch to result, queue wait included, so the worker count bounds nothing here.
		this.parse = new StageClock(limits.parseWorkers === 0 ? 1 : null);
		this.download = new StageClock(limits.concurrency);
		// Rendered pages hold their places in the page pool.
		this.render = new StageClock(limits.pageConcurrency);
	}

	record(event: ScrapeEvent): void {
		switch (event.type) {
			case 'page': {
				const {result} = event;
				this.#images += result.newImages;
				if (result.ok) {
					this.#pages++;
				} else {
					this.#pagesFailed++;
					this.#pageFailures.push(result.error!);
				}

				if (result.capped !== undefined) {
					this.#pagesCapped++;
				}

				this.#selected.add(result.matched?.selected, result.matched?.img);
				this.#followed.add(result.matched?.followed, result.matched?.a);

				for (const message of result.warnings ?? []) {
					this.#warnings.push({code: 'page', url: result.url, message});
				}

				this.#pageResults.push({
					url: result.url,
					depth: result.depth,
					ok: result.ok,
					images: result.images.length,
					newImages: result.newImages,
					...(result.capped ? {capped: result.capped} : {}),
					...(result.error ? {error: result.error.code} : {}),
				});
				break;
			}

			case 'image-done': {
				this.#downloaded++;
				this.#bytes += event.bytes;
				if (event.renamed) {
					this.#renamed++;
				}

				if (event.width === undefined) {
					this.#dimensionsUnknown++;
				}

				this.#firstImageMs ??= performance.now() - this.#started;
				break;
			}

			case 'image-failed': {
				this.#failed++;
				this.#imageFailures.push(event.failure);
				break;
			}

			case 'image-skipped': {
				this.#skipped++;
				this.#skippedByReason[event.reason] = (this.#skippedByReason[event.reason] ?? 0) + 1;
				break;
			}

			case 'retry': {
				this.#retries++;
				break;
			}

			case 'image-fallback': {
				this.#fallbacks++;
				break;
			}

			case 'caught-up': {
				this.#caughtUp = true;
				break;
			}

			case 'warning': {
				this.#warnings.push(event.warning);
				break;
			}

			case 'concurrency': {
				if (event.pool === 'pages') {
					this.#autoPages = autoAfter(this.#autoPages, event);
				} else {
					this.#auto = autoAfter(this.#auto, event);
				}

				break;
			}

			case 'page-rendered': {
				const {type: _, ...page} = event;
				this.#rendered.push(page);
				break;
			}

			case 'image-queued':
			case 'image-start':
			case 'request':
			case 'page-queued': {
				break;
			}
		}
	}

	build(aborted: boolean, stoppedBy?: {code: string; message: string}): ScrapeReport {
		const elapsedMs = performance.now() - this.#started;
		const failures = [...this.#pageFailures, ...this.#imageFailures];
		const failuresByCategory: Record<string, number> = {};
		for (const failure of failures) {
			failuresByCategory[failure.code] = (failuresByCategory[failure.code] ?? 0) + 1;
		}

		const seconds = elapsedMs / 1000;
		return {
			pages: this.#pages,
			pagesFailed: this.#pagesFailed,
			pagesCapped: this.#pagesCapped,
			images: this.#images,
			downloaded: this.#downloaded,
			failed: this.#failed,
			skipped: this.#skipped,
			skippedByReason: {...this.#skippedByReason},
			retries: this.#retries,
			fallbacks: this.#fallbacks,
			dimensionsUnknown: this.#dimensionsUnknown,
			renamed: this.#renamed,
			bytes: this.#bytes,
			elapsedMs,
			firstImageMs: this.#firstImageMs,
			imagesPerSecond: seconds > 0 ? this.#downloaded / seconds : 0,
			megabytesPerSecond: seconds > 0 ? this.#bytes / 1e6 / seconds : 0,
			caughtUp: this.#caughtUp,
			aborted,
			stoppedBy: stoppedBy ?? null,
			phases: {
				pageFetch: this.pageFetch.report(elapsedMs),
				parse: this.parse.report(elapsedMs),
				download: this.download.report(elapsedMs),
				...(this.#rendered.length > 0 ? {render: this.render.report(elapsedMs)} : {}),
			},
			...(this.#rendered.length > 0 ? {render: [...this.#rendered]} : {}),
			failuresByCategory,
			failures,
			warnings: [...this.#warnings],
			pageResults: this.#pageResults,
			peakRssBytes: process.resourceUsage().maxRSS * 1024,
			parseWorkers: this.#limits.parseWorkers,
			unmatched: [...this.#selected.unmatched('selector', this.#limits.selector, 'img'), ...this.#followed.unmatched('follow', this.#limits.follow, 'a')],
			...(this.#auto === undefined ? {} : {autoConcurrency: this.#auto}),
			...(this.#autoPages === undefined ? {} : {autoPageConcurrency: this.#autoPages}),
		};
	}
}
