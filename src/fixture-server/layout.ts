/**
The gallery's URL scheme: which paths exist, what they are called and how a
path maps back to a page and an image. Pure functions, no markup, no I/O.
*/

import type {ImageFormat} from './images.js';

/** The shape of a gallery: enough to name every URL in it. */
export interface GalleryLayout {
	pages: number;
	perPage: number;
	format: ImageFormat | 'mixed';
}

/** One image of the gallery. */
export interface GalleryImage {
	/** 1-based listing page. */
	page: number;
	/** 1-based position on its page. */
	index: number;
	format: ImageFormat;
	/** File name, such as `p2-07.jpg`. */
	name: string;
	/** Server path, such as `/uploads/allimg/p2-07.jpg`. */
	path: string;
	/** Detail page id: the image's 1-based position in the whole gallery. */
	id: number;
}

/** Where images are served, after the real site's layout. */
export const imagePrefix = '/uploads/allimg/';

/** The path of listing page `page`: `/index.html`, then `/index_2.html` ... */
export function listingPath(page: number): string {
	return page === 1 ? '/index.html' : `/index_${page}.html`;
}

/** The path of the detail page for image `id`. */
export function detailPath(id: number): string {
	return `/tupian/${id}.html`;
}

/** The image at `index` (1-based) of listing page `page`. */
export function galleryImage(layout: GalleryLayout, page: number, index: number): GalleryImage {
	const id = (page - 1) * layout.perPage + index;
	// Mixed galleries alternate across the whole gallery, so every page holds both kinds.
	const format = layout.format === 'mixed' ? (id % 2 === 1 ? 'jpg' : 'png') : layout.format;
	// Zero-padded like the real site's file names, wide enough that names sort in page order.
	const width = Math.max(2, String(layout.perPage).length);
	const name = `p${page}-${String(index).padStart(width, '0')}.${format}`;
	return {page, index, format, name, path: imagePrefix + name, id};
}

/** The images of one listing page, in document order. */
export function pageImages(layout: GalleryLayout, page: number): GalleryImage[] {
	const images: GalleryImage[] = [];
	for (let index = 1; index <= layout.perPage; index++) {
		images.push(galleryImage(layout, page, index));
	}
	return images;
}

/** The listing page number a path names (even past the last page), or undefined. */
export function parseListingPath(path: string): number | undefined {
	if (path === '/index.html') {
		return 1;
	}
	const match = /^\/index_([1-9]\d{0,8})\.html$/.exec(path);
	return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The image a detail page path names when it exists, or undefined. */
export function parseDetailPath(layout: GalleryLayout, path: string): GalleryImage | undefined {
	const match = /^\/tupian\/([1-9]\d{0,8})\.html$/.exec(path);
	if (match?.[1] === undefined) {
		return undefined;
	}
	const id = Number(match[1]);
	if (id > layout.pages * layout.perPage) {
		return undefined;
	}
	return galleryImage(layout, Math.ceil(id / layout.perPage), ((id - 1) % layout.perPage) + 1);
}

/** The gallery image a path names when it exists, in exactly its canonical spelling, or undefined. */
export function parseImagePath(layout: GalleryLayout, path: string): GalleryImage | undefined {
	const match = /^\/uploads\/allimg\/p(\d{1,9})-(\d{1,9})\.(?:jpg|png)$/.exec(path);
	if (match?.[1] === undefined || match[2] === undefined) {
		return undefined;
	}
	const page = Number(match[1]);
	const index = Number(match[2]);
	if (page < 1 || page > layout.pages || index < 1 || index > layout.perPage) {
		return undefined;
	}
	const image = galleryImage(layout, page, index);
	return image.path === path ? image : undefined;
}
