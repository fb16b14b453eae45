import type {Frontier, PageJob, PageRequest} from '../ports.js';
import type {ExtractOptions} from '../types.js';

export interface CrawlOptions {
	/** Whether links are followed, and how deep. */
	follow: boolean;
	depth: number;
	/** Whether next-page links are followed, and up to how many listing pages in all. */
	next: boolean;
	maxPages: number;
	/** Host names (any port) links may lead to besides those of the start pages. */
	allowHost: readonly string[];
}

/**
What a crawl does at each level, from the options alone: pure, so every
process of a shared crawl decides the same way.
*/
export class CrawlRules {
	readonly options: CrawlOptions;
	readonly #hosts: Set<string>;

	constructor(startUrls: readonly string[], options: CrawlOptions) {
		this.options = options;
		this.#hosts = new Set([...startUrls.map(url => new URL(url).hostname), ...options.allowHost.map(host => host.toLowerCase())]);
	}

	/** Whether images are taken from a page: with `follow`, only on the last level. */
	takesImages(job: PageJob): boolean {
		return !this.options.follow || job.depth === this.options.depth;
	}

	/** Whether the extractor should look for links to follow on a page. */
	followsLinks(job: PageJob): boolean {
		return this.options.follow && job.depth < this.options.depth;
	}

	/** Whether the extractor should look for next-page links on a page. */
	followsNext(job: PageJob): boolean {
		return this.options.next && job.depth === 0;
	}

	/** The extractor options for one page: images on the last level only, links where the crawl goes on. */
	extractOptions(job: PageJob, options: ExtractOptions): ExtractOptions {
		return {...options, follow: this.followsLinks(job) ? options.follow : undefined, next: this.followsNext(job) ? options.next : undefined};
	}

	/** The pages a fetched page leads to: followed links one level down, then next-page links on its own level. */
	requestsFrom(job: PageJob, links: readonly string[], next: readonly string[]): PageRequest[] {
		return [
			...(this.followsLinks(job) ? links.map(url => ({url, depth: job.depth + 1, parent: job.url, via: 'link' as const})) : []),
			...(this.followsNext(job) ? next.map(url => ({url, depth: 0, parent: job.url, via: 'next' as const})) : []),
		];
	}

	/** Whether a found page, or a redirect hop on the way to one, stays on the crawl's hosts. */
	readonly inScope = (url: string): boolean => this.#hosts.has(new URL(url).hostname);
}

/**
The frontier of one process: the one owner of which pages are known, so each
URL is fetched once per run whatever the path to it, and of the scope rules
(same hosts as the start pages unless widened, depth, the listing-page budget).
Jobs wait in one queue per depth and the deepest are taken first: detail
pages hold the images, and finishing a branch frees its memory sooner.
*/
export class LocalFrontier implements Frontier {
	readonly #rules: CrawlRules;
	readonly #seen = new Set<string>();
	readonly #queues: PageJob[][] = [];
	#queued = 0;
	#inProgress = 0;
	#listingPages = 0;
	#index = 0;

	constructor(rules: CrawlRules) {
		this.#rules = rules;
	}

	async add(requests: readonly PageRequest[]): Promise<PageJob[]> {
		const {options} = this.#rules;
		const jobs: PageJob[] = [];
		for (const request of requests) {
			if (request.via === 'next' && this.#listingPages >= options.maxPages) {
				continue;
			}

			if (request.via !== 'start' && (!this.#rules.inScope(request.url) || request.depth > options.depth)) {
				continue;
			}

			if (!this.#claim(request.url)) {
				continue;
			}

			if (request.depth === 0) {
				this.#listingPages++;
			}

			const index = this.#index++;
			const job: PageJob = {id: String(index), url: request.url, depth: request.depth, parent: request.parent, index};
			this.#queues[job.depth] ??= [];
			this.#queues[job.depth]!.push(job);
			this.#queued++;
			jobs.push(job);
		}

		return jobs;
	}

	async take(): Promise<PageJob | undefined> {
		for (let depth = this.#queues.length - 1; depth >= 0; depth--) {
			const job = this.#queues[depth]?.shift();
			if (job !== undefined) {
				this.#queued--;
				this.#inProgress++;
				return job;
			}
		}

		return undefined;
	}

	async done(): Promise<void> {
		this.#inProgress--;
	}

	async isFinished(): Promise<boolean> {
		return this.#queued === 0 && this.#inProgress === 0;
	}

	#claim(url: string): boolean {
		// The fragment never changes the document fetched.
		const key = url.split('#', 1)[0]!;
		if (this.#seen.has(key)) {
			return false;
		}

		this.#seen.add(key);
		return true;
	}
}
