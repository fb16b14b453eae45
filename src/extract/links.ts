/**
Page links: the detail pages a `follow` selector points at and the next-page
links of a `next` selector or `rel=next`.
*/
import type {CheerioAPI} from 'cheerio/slim';
import type {Element} from 'domhandler';
import {attribute, closest, isElement, isInert, walkElements} from './dom.js';
import {resolveLink} from './urls.js';

/** What `next: 'auto'` looks for: https://html.spec.whatwg.org/multipage/links.html#link-type-next */
export const AUTO_NEXT_SELECTOR = 'link[rel~=next][href], a[rel~=next][href]';

/**
Absolute http(s) URLs, fragment stripped, of the elements a selector matches,
in document order and deduplicated. An element with an `href` gives that;
otherwise the link around it (`.thumb img` inside `<a>`), else the links
inside it (a `.gallery` container).
*/
export function selectLinks($: CheerioAPI, selector: string | undefined, base: URL | undefined): string[] {
	if (selector === undefined || selector.trim() === '') {
		return [];
	}
	const seen = new Set<string>();
	const links: string[] = [];
	const add = (href: string | undefined): void => {
		const url = href === undefined ? undefined : resolveLink(href, base);
		if (url !== undefined && !seen.has(url)) {
			seen.add(url);
			links.push(url);
		}
	};
	for (const element of $(selector).get()) {
		if (!isElement(element) || isInert(element)) {
			continue;
		}
		for (const href of hrefsOf(element)) {
			add(href);
		}
	}
	return links;
}

/** The next-page links for `options.next`: a selector, `auto` for rel=next, or none. */
export function selectNext($: CheerioAPI, next: string | undefined, base: URL | undefined): string[] {
	return selectLinks($, next === 'auto' ? AUTO_NEXT_SELECTOR : next, base);
}

function hrefsOf(element: Element): string[] {
	const own = attribute(element, 'href');
	if (own !== undefined) {
		return [own];
	}
	const around = closest(element, 'a');
	const aroundHref = around === undefined ? undefined : attribute(around, 'href');
	if (aroundHref !== undefined) {
		return [aroundHref];
	}
	const inside: string[] = [];
	walkElements(element, (descendant) => {
		const href = descendant.name === 'a' ? attribute(descendant, 'href') : undefined;
		if (href !== undefined && descendant !== element) {
			inside.push(href);
		}
	});
	return inside;
}
