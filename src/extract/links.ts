/**
Page links: the detail pages a `follow` selector points at and the next-page
links of a `next` selector or `rel=next`.
*/
import type {Element} from 'domhandler';
import {attribute, walkElements} from './dom.js';
import type {Matcher} from './select.js';
import {resolveLink} from './urls.js';

/** What `next: 'auto'` looks for: https://html.spec.whatwg.org/multipage/links.html#link-type-next */
export const AUTO_NEXT_SELECTOR = 'link[rel~=next][href], a[rel~=next][href]';

/** The links a selector found on a page, and whether `max` cut them short. */
export interface SelectedLinks {
	links: string[];
	capped: boolean;
}

/**
The links of the elements one selector matches, gathered during the page's
single walk. Each matched element gives its own `href`; else the link around
it (`.thumb img` inside `<a>`); else the links inside it (a `.gallery`
container). The result is in the order of the matched elements, each with its
links in document order, deduplicated: what matching the whole page and then
walking up from and down into each match gives, without walking any part of
the tree twice.

Elements come through `enter` in document order (never the inert content of
a `<template>`) and `leave` once their descendants are done.
*/
export class LinkCollector {
	readonly #matcher: Matcher;
	/** The raw `href` values in result order, before resolution and deduplication. */
	readonly #hrefs: string[] = [];
	/** The outermost open container: a match that takes the links inside it. */
	#container: Element | undefined;
	/** Links of matches inside the container that come after all of the container's own. */
	#afterContainer: string[] = [];

	constructor(matcher: Matcher) {
		this.#matcher = matcher;
	}

	/** Why the selector stopped matching on this page, if it did. */
	get failure(): string | undefined {
		return this.#matcher.failure;
	}

	/** @param around The nearest `<a>` above the element, if any. */
	enter(element: Element, around: Element | undefined): void {
		const inContainer = this.#container !== undefined;
		const href = attribute(element, 'href');
		if (inContainer && element.name === 'a' && href !== undefined) {
			this.#hrefs.push(href);
		}

		if (!this.#matcher.matches(element)) {
			return;
		}

		if (href !== undefined) {
			// Inside a container, an <a> was just taken above; other elements with an href come after the container's links.
			if (!inContainer) {
				this.#hrefs.push(href);
			} else if (element.name !== 'a') {
				this.#afterContainer.push(href);
			}

			return;
		}

		const aroundHref = around === undefined ? undefined : attribute(around, 'href');
		if (aroundHref !== undefined) {
			// Inside a container that <a> is the container's too, and was taken already.
			if (!inContainer) {
				this.#hrefs.push(aroundHref);
			}

			return;
		}

		if (element.name === 'template') {
			// The walk does not go into a template, but a matched one gives the links of its content.
			(inContainer ? this.#afterContainer : this.#hrefs).push(...templateLinks(element));
		} else if (!inContainer) {
			this.#container = element;
		}
	}

	leave(element: Element): void {
		if (element === this.#container) {
			this.#container = undefined;
			this.#hrefs.push(...this.#afterContainer);
			this.#afterContainer = [];
		}
	}

	/** The absolute http(s) URLs, fragment stripped, deduplicated, at most `max` of them. */
	links(base: URL | undefined, max: number): SelectedLinks {
		const seen = new Set<string>();
		const links: string[] = [];
		for (const href of this.#hrefs) {
			const url = resolveLink(href, base);
			if (url === undefined || seen.has(url)) {
				continue;
			}

			if (links.length === max) {
				return {links, capped: true};
			}

			seen.add(url);
			links.push(url);
		}

		return {links, capped: false};
	}
}

/** The `<a href>`s inside a template's content, skipping templates nested in it, as the links inside any container. */
function templateLinks(template: Element): string[] {
	const hrefs: string[] = [];
	walkElements(template, descendant => {
		const href = descendant.name === 'a' && descendant !== template ? attribute(descendant, 'href') : undefined;
		if (href !== undefined) {
			hrefs.push(href);
		}
	});
	return hrefs;
}
