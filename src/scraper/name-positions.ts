/**
`{page}` and `{index}` in names when a crawl follows links: `{page}` numbers
the listing pages (start and next pages), `{index}` runs through a listing
page's images and on through its detail pages', in order. Counted as pages are
released in report order, which is depth first in document order, so a detail
page belongs to the last listing page released before it.
*/

import {usesField} from '../download/template.js';

/** Where a page's images stand among its listing page's: `{page}`, and the images counted before the page's first. */
export interface NamePlace {
	number: number;
	before: number;
}

/** Whether names need the listing's count: a template with `{page}` or `{index}` on a crawl that follows links. */
export function namesNeedOrder(name: string | undefined, follow: string | undefined): boolean {
	return follow !== undefined && (usesField(name, 'page') || usesField(name, 'index'));
}

/** One per run, on the main thread. */
export class NamePositions {
	#listing = 0;
	#before = 0;

	/** Call for every page released, in report order, with the number of images found on it. */
	next(depth: number, images: number): NamePlace {
		if (depth === 0) {
			this.#listing++;
			this.#before = 0;
		}

		const place = {number: Math.max(this.#listing, 1), before: this.#before};
		this.#before += images;
		return place;
	}
}
