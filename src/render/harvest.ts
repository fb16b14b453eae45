import type {ExtractResult, ExtractWarning, FoundImage} from '../types.js';

/**
What a page yields over all the steps of a visit: each step's extraction is
added, and an image, link or next-page link counts once, at the step that
first showed it. A virtual scroller drops images from the DOM as it goes; they
stay here. Bounded by `maxPerPage` like a static page.
*/
export class Harvest {
	readonly #max: number;
	readonly #images = new Map<string, FoundImage>();
	readonly #links = new Set<string>();
	readonly #next = new Set<string>();
	readonly #capped = new Set<'images' | 'links' | 'next'>();
	readonly #warnings = new Map<string, ExtractWarning>();
	#encoding = 'UTF-8';
	#steps = 0;

	constructor(maxPerPage: number) {
		this.#max = maxPerPage;
	}

	/** Steps added so far. */
	get steps(): number {
		return this.#steps;
	}

	/** Images kept so far. */
	get images(): number {
		return this.#images.size;
	}

	/** Add one step's extraction; returns the images it brought first, in order. */
	add(result: ExtractResult): FoundImage[] {
		this.#steps++;
		this.#encoding = result.encoding;
		for (const about of result.capped ?? []) {
			this.#capped.add(about);
		}

		for (const warning of result.warnings ?? []) {
			this.#warnings.set(warning.message, warning);
		}

		this.#addAll(this.#links, result.links, 'links');
		this.#addAll(this.#next, result.next, 'next');
		return this.addImages(result.images);
	}

	/** Add images found another way (the image responses); returns those that were new, in order. */
	addImages(images: readonly FoundImage[]): FoundImage[] {
		const fresh: FoundImage[] = [];
		for (const image of images) {
			if (this.#images.has(image.url)) {
				continue;
			}

			if (this.#images.size >= this.#max) {
				this.#capped.add('images');
				break;
			}

			this.#images.set(image.url, image);
			fresh.push(image);
		}

		return fresh;
	}

	warn(message: string): void {
		this.#warnings.set(message, {about: 'images', message});
	}

	result(): ExtractResult {
		return {
			images: [...this.#images.values()],
			links: [...this.#links],
			next: [...this.#next],
			encoding: this.#encoding,
			...(this.#capped.size > 0 ? {capped: [...this.#capped]} : {}),
			...(this.#warnings.size > 0 ? {warnings: [...this.#warnings.values()]} : {}),
		};
	}

	#addAll(into: Set<string>, urls: readonly string[], about: 'links' | 'next'): void {
		for (const url of urls) {
			if (into.size >= this.#max && !into.has(url)) {
				this.#capped.add(about);
				return;
			}

			into.add(url);
		}
	}
}
