/**
Which of a page's images the run takes: each URL once in the run, those the
URL rules excluded set apart (reported, never fetched), with a `range` only
those at its positions, and with `abort` none after N in a row that were
already saved. Both count in page order, so they are taken from pages as the
report order releases them, never as they arrive: the same images whatever
the concurrency.
*/

import type {FoundImage} from '../types.js';
import type {PositionRange} from '../validate.js';

/** An image to download, with its place among its page's images (`{index}` in names). */
export interface TakenImage {
	url: string;
	/** The URL as the page gave it, when a rewrite made `url`. */
	original?: string | undefined;
	/** 1-based, among the images of its page. */
	position: number;
	/** What the element said of it (for metadata). */
	alt?: string | undefined;
	title?: string | undefined;
}

export interface Intake {
	/** The page's images as reported: with a range, only those it takes (and excluded ones while it is open). */
	images: FoundImage[];
	/** Images new to the run, to download, in document order. */
	taken: TakenImage[];
	/** Excluded images new to the run. */
	excluded: FoundImage[];
}

/** `abort`: stop once this many images in a row were already saved, as `saved` tells. */
export interface CaughtUpRule {
	after: number;
	saved(url: string): boolean;
}

/** One per run; touched only on the main thread. */
export class ImageIntake {
	/** Take pages in report order (at release), not as they are parsed. */
	readonly ordered: boolean;
	readonly #range: PositionRange | undefined;
	readonly #abort: CaughtUpRule | undefined;
	/** Images in a row, in page order, that were already saved. */
	#streak = 0;
	/** `abort`'s streak was reached: the run has caught up with what it saved before. */
	caughtUp = false;
	/** Image URLs the run has met (taken, excluded or out of the range). */
	readonly #seen = new Set<string>();
	/** With a range: the URLs it took, so a later page that holds one still reports it. */
	readonly #inRange = new Set<string>();
	/** Images counted for the range so far. */
	#position = 0;

	/** `inOrder`: take in report order even without a range or `abort` (names that count through a listing's detail pages). */
	constructor(range: PositionRange | undefined, abort?: CaughtUpRule, inOrder = false) {
		this.#range = range;
		this.#abort = abort;
		this.ordered = inOrder || range !== undefined || abort !== undefined;
	}

	/** Whether the range has all its images, or the run caught up: nothing after this needs fetching. */
	get complete(): boolean {
		return this.caughtUp || (this.#range !== undefined && this.#position >= this.#range.last);
	}

	/**
	The page's new images, in document order; call for pages in report order when
	`ordered`. `offset`: how many of the page's images came before these (a
	rendered page's later steps), for their positions on the page.
	*/
	take(images: readonly FoundImage[], offset = 0): Intake {
		const range = this.#range;
		const open = !this.complete;
		const reported: FoundImage[] = [];
		const taken: TakenImage[] = [];
		const excluded: FoundImage[] = [];
		for (const [index, image] of images.entries()) {
			const {url} = image;
			if (this.#seen.has(url)) {
				if ((range === undefined && !this.caughtUp) || this.#inRange.has(url) || (image.excluded && open)) {
					reported.push(image);
				}

				continue;
			}

			if (image.excluded) {
				if (open) {
					this.#seen.add(url);
					reported.push(image);
					excluded.push(image);
				}

				continue;
			}

			if (this.complete) {
				continue;
			}

			if (range !== undefined) {
				this.#position++;
				if (this.#position < range.first) {
					this.#seen.add(url);
					continue;
				}

				this.#inRange.add(url);
			}

			this.#seen.add(url);
			reported.push(image);
			taken.push({url, original: image.original, position: offset + index + 1, alt: image.alt, title: image.title});
			if (this.#abort !== undefined) {
				this.#streak = this.#abort.saved(url) ? this.#streak + 1 : 0;
				this.caughtUp = this.#streak >= this.#abort.after;
			}
		}

		return {images: reported, taken, excluded};
	}
}
