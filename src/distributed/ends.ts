/** How a page or an image of a crawl ended, as Redis keeps it (one value per URL): written by records.ts, read by the manifest and status. */

import type {Failure} from '../types.js';

/** An image's end as the crawl keeps it: `s` is d(one), s(kipped) or f(ailed). Short keys: there is one per image. */
export interface ImageEnd {
	s: 'd' | 's' | 'f';
	/** Where it was saved: the worker's folder and the path in it. */
	loc?: string;
	b?: number;
	sha?: string;
	w?: number;
	h?: number;
	/** The page it was found on. */
	pg?: string;
	/** Skip reason, or failure code, and message. */
	r?: string;
	m?: string;
}

export interface PageEnd {
	ok: boolean;
	images: number;
	newImages: number;
	depth: number;
	capped?: boolean;
	error?: Failure;
}
