/**
The opt-in image sources that are not selector matches: `<a href>` to image
files, og:image / twitter:image meta tags, and inline-style backgrounds.
*/
import type {Element} from 'domhandler';
import type {FoundImage} from '../types.js';
import {backgroundUrls} from './css.js';
import {attribute} from './dom.js';
import {sourceOf, type ImageContext} from './images.js';
import {hasImageExtension, resolveUrl} from './urls.js';

// https://ogp.me/#structured and https://developer.x.com/en/docs/x-for-websites/cards/overview/markup
const META_IMAGE_PROPERTIES = new Set(['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src']);

/**
`<a href>` to an image file (by extension): source `link`, alt from the first
image inside it that has one (`innerAlt`, found by the page's walk) or else
the link's title.
*/
export function extractLinkImage(anchor: Element, inNoscript: boolean, innerAlt: string | undefined, context: ImageContext): void {
	const href = attribute(anchor, 'href');
	const resolved = href === undefined ? undefined : resolveUrl(href, context.base, context.options.dataUris);
	if (resolved === undefined || (!resolved.isData && !hasImageExtension(resolved.url))) {
		return;
	}
	const image: FoundImage = {url: resolved.url, source: sourceOf({source: 'link'}, resolved, inNoscript)};
	const alt = innerAlt ?? titleOf(anchor);
	if (alt !== undefined) {
		image.alt = alt;
	}
	const title = context.options.titles ? titleOf(anchor) : undefined;
	if (title !== undefined) {
		image.title = title;
	}
	context.emit(image);
}

function titleOf(element: Element): string | undefined {
	const title = attribute(element, 'title')?.trim();
	return title === undefined || title === '' ? undefined : title;
}

/**
og:image and twitter:image meta tags: source `meta`. Open Graph uses
`property`, Twitter `name`, and sites mix them up, so either is accepted.
*/
export function extractMetaImage(meta: Element, context: ImageContext): void {
	const content = attribute(meta, 'content');
	if (content === undefined || !(isImageKey(attribute(meta, 'property')) || isImageKey(attribute(meta, 'name')))) {
		return;
	}
	const resolved = resolveUrl(content, context.base, context.options.dataUris);
	if (resolved !== undefined) {
		context.emit({url: resolved.url, source: sourceOf({source: 'meta'}, resolved, false)});
	}
}

function isImageKey(key: string | undefined): boolean {
	return key !== undefined && META_IMAGE_PROPERTIES.has(key.trim().toLowerCase());
}

/** Inline `style` backgrounds: source `css`, resolved against the document base like any inline style. */
export function extractStyleImages(element: Element, inNoscript: boolean, context: ImageContext): void {
	const style = attribute(element, 'style');
	if (style === undefined || !/url\(/i.test(style)) {
		return;
	}
	for (const raw of backgroundUrls(style)) {
		const resolved = resolveUrl(raw, context.base, context.options.dataUris);
		if (resolved !== undefined) {
			context.emit({url: resolved.url, source: sourceOf({source: 'css'}, resolved, inNoscript)});
		}
	}
}
