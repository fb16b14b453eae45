import {fillPage} from '../page-urls.js';
import type {PageJob, PageRequest} from '../ports.js';

/** `pages` open-ended (`N-`): the templates, and the number of their first page. */
export interface OpenPages {
	templates: readonly string[];
	from: number;
}

/** Statuses of a listing page past the first that mean the gallery has no more pages. */
const endCodes: ReadonlySet<string> = new Set(['http-404', 'http-410']);

/**
Listing pages of an open-ended `pages` range, one after another: the next
page of a template is asked for once the one before it was fetched and held
something new (images, or links to follow, that no page of the sequence held
before: a site that answers every page number with its last page ends there
too); a page past the first that answers 404 or 410 is the end of the
gallery, not a failure. One per run.
*/
export class PageSequence {
	/** The template and page number of each sequence page asked for, by URL. */
	readonly #pages = new Map<string, {template: string; page: number}>();
	readonly #from: number;
	/** Image and link URLs the sequence's pages held. */
	readonly #held = new Set<string>();

	constructor(open: OpenPages | undefined) {
		this.#from = open?.from ?? 1;
		for (const template of open?.templates ?? []) {
			this.#pages.set(new URL(fillPage(template, this.#from)).href, {template, page: this.#from});
		}
	}

	/** The page after `job` in its sequence, when `job` is one and `held` (its images, or links to follow) has something new. */
	next(job: PageJob, held: readonly string[]): PageRequest[] {
		const step = this.#pages.get(job.url);
		if (step === undefined) {
			return [];
		}

		const before = this.#held.size;
		for (const url of held) {
			this.#held.add(url);
		}

		if (this.#held.size === before) {
			return [];
		}

		const url = new URL(fillPage(step.template, step.page + 1)).href;
		this.#pages.set(url, {template: step.template, page: step.page + 1});
		// Asked for as a start page (no scope or listing budget applies); reported after the page before it.
		return [{url, depth: 0, parent: job.url, via: 'start'}];
	}

	/** Whether a failure of `job` is the end of its sequence: a page past the first that is not there. */
	isEnd(job: PageJob, code: string): boolean {
		const step = this.#pages.get(job.url);
		return step !== undefined && step.page > this.#from && endCodes.has(code);
	}
}
