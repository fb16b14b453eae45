import type {OrderSlot} from './page-order.js';

/** A page to fetch, and where it sits in the crawl. */
export interface PageJob {
	url: string;
	/** 0 for listing pages (start pages and next pages), +1 per followed link. */
	depth: number;
	/** The page it was found on; undefined for start pages. */
	parent: string | undefined;
	/** Run-wide number in discovery order, for progress lines. */
	index: number;
	slot: OrderSlot;
}

export interface FrontierOptions {
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
The crawl's frontier: the one owner of which pages are known, so each URL is
fetched once per run whatever the path to it, and of the scope rules (same
hosts as the start pages unless widened, depth, the listing-page budget).
*/
export class Frontier {
	readonly #options: FrontierOptions;
	readonly #seen = new Set<string>();
	readonly #hosts: Set<string>;
	#listingPages = 0;
	#index = 0;

	constructor(startUrls: readonly string[], options: FrontierOptions) {
		this.#options = options;
		this.#hosts = new Set([...startUrls.map(url => new URL(url).hostname), ...options.allowHost.map(host => host.toLowerCase())]);
	}

	/** Whether images are taken from this page: with `follow`, only on the last level. */
	takesImages(job: PageJob): boolean {
		return !this.#options.follow || job.depth === this.#options.depth;
	}

	/** Whether the extractor should look for links to follow on this page. */
	followsLinks(job: PageJob): boolean {
		return this.#options.follow && job.depth < this.#options.depth;
	}

	/** Whether the extractor should look for next-page links on this page. */
	followsNext(job: PageJob): boolean {
		return this.#options.next && job.depth === 0;
	}

	/** Claim a start page; undefined when the same URL was given before. */
	start(url: string, slot: () => OrderSlot): PageJob | undefined {
		if (!this.#claim(url)) {
			return undefined;
		}

		this.#listingPages++;
		return {url, depth: 0, parent: undefined, index: this.#index++, slot: slot()};
	}

	/**
	Claim the pages a fetched page leads to: followed links one level down,
	then next-page links on its own level. Unknown, in-scope URLs only.
	*/
	discover(job: PageJob, links: readonly string[], next: readonly string[], slot: () => OrderSlot): PageJob[] {
		const jobs: PageJob[] = [];
		const add = (url: string, depth: number) => {
			if (this.inScope(url) && this.#claim(url)) {
				jobs.push({url, depth, parent: job.url, index: this.#index++, slot: slot()});
			}
		};

		if (this.followsLinks(job)) {
			for (const url of links) {
				add(url, job.depth + 1);
			}
		}

		if (this.followsNext(job)) {
			for (const url of next) {
				if (this.#listingPages >= this.#options.maxPages) {
					break;
				}

				const before = jobs.length;
				add(url, 0);
				this.#listingPages += jobs.length - before;
			}
		}

		return jobs;
	}

	/** Whether a found page, or a redirect hop on the way to one, stays on the crawl's hosts. */
	readonly inScope = (url: string): boolean => this.#hosts.has(new URL(url).hostname);

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
