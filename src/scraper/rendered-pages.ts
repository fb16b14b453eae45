import type {CookieJar} from 'tough-cookie';
import {ScrapeError} from '../errors.js';
import type {ParsePool} from '../extract/parse-pool.js';
import type {FetchedPage} from '../http/client.js';
import type {HostGate} from '../http/host-gate.js';
import type {RenderOptions, ResolvedOptions} from '../options.js';
import type {PageJob} from '../ports.js';
import {loadRenderer, type Renderer} from '../render/load.js';
import type {ReportBuilder} from '../report/report.js';
import type {ExtractResult, FoundImage, ScrapeEvent} from '../types.js';
import type {CrawlRules} from './frontier.js';

export interface RenderedPagesParts {
	options: ResolvedOptions;
	render: RenderOptions;
	jar: CookieJar;
	gate: HostGate | undefined;
	parser: ParsePool;
	report: ReportBuilder;
	rules: CrawlRules;
	signal: AbortSignal;
	emit(event: ScrapeEvent): void;
	/**
	Take a step's images as the run takes a page's (URL rules, new to the run,
	queued for download under the backlog bound), resolving with how many were
	new; undefined when they wait for the page's end (the run only lists, or takes
	pages in report order for a range).
	*/
	take: ((images: readonly FoundImage[], offset: number, job: PageJob) => Promise<number>) | undefined;
}

/**
The run's side of `render`: each fetched page is visited in the browser instead
of being parsed, holding its page-pool place throughout, and each step's new
images are queued for download as the step ends, while the visit goes on.
*/
export class RenderedPages {
	readonly #parts: RenderedPagesParts;
	/** Loaded, and the browser started, as the run starts: by the first page it is ready. */
	readonly #renderer: Promise<Renderer>;
	/** Per page in its visit (job id): the images new to the run it queued so far. */
	readonly #queued = new Map<string, number>();

	constructor(parts: RenderedPagesParts) {
		this.#parts = parts;
		const {options, report, parser} = parts;
		this.#renderer = loadRenderer({
			options: parts.render,
			jar: parts.jar,
			gate: parts.gate,
			allowHost: options.allowHost,
			userAgent: options.userAgent,
			headers: options.headers,
			proxy: options.proxy,
			insecure: options.insecure,
			// Each harvest of the DOM is timed as a parse.
			async parse(bytes, url, extract, signal) {
				const end = report.parse.start();
				try {
					return await parser.parse(bytes, url, {'content-type': 'text/html; charset=utf-8'}, extract, signal);
				} finally {
					end(bytes.length);
				}
			},
			onRendered(page) {
				parts.emit({type: 'page-rendered', ...page});
			},
			onRestart(url, message) {
				parts.emit({type: 'warning', warning: {code: 'page', url, message}});
			},
		}).catch((error: unknown) => {
			throw new ScrapeError('render', `the browser's driver could not be loaded: ${(error as Error).message}`, {cause: error});
		});
		// Each page's visit reports a failure to load; none is left unhandled when no page comes.
		this.#renderer.catch(() => {});
	}

	/**
	Visit a fetched page.
	@throws ScrapeError as `Renderer.render` does: the page fails.
	*/
	async visit(job: PageJob, page: FetchedPage): Promise<ExtractResult> {
		const {rules, options, take} = this.#parts;
		const end = this.#parts.report.render.start();
		const onImages =
			take === undefined || !rules.takesImages(job)
				? undefined
				: async (images: readonly FoundImage[], offset: number) => {
						const fresh = await take(images, offset, job);
						this.#queued.set(job.id, (this.#queued.get(job.id) ?? 0) + fresh);
					};
		try {
			const renderer = await this.#renderer;
			return await renderer.render(page, rules.extractOptions(job, options.extract), this.#parts.signal, onImages);
		} finally {
			end(page.bytes.length);
		}
	}

	/** How many of a visited page's images were new to the run and queued during its visit: by the time it settles they count as seen. */
	takeQueued(job: PageJob): number {
		const queued = this.#queued.get(job.id) ?? 0;
		this.#queued.delete(job.id);
		return queued;
	}

	/** Close the browser; nothing of it keeps running. */
	async close(): Promise<void> {
		const renderer = await this.#renderer.catch(() => undefined);
		await renderer?.close();
	}
}
