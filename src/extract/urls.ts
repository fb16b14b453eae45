/**
URL rules shared by every kind of result: how attribute values are cleaned,
resolved against the document base, and which results are kept.
*/

import {hasImageFileExtension} from '../image-extensions.js';

// https://infra.spec.whatwg.org/#ascii-whitespace: TAB, LF, FF, CR, SPACE (not NBSP, unlike String#trim).
function isAsciiWhitespaceCode(code: number): boolean {
	return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

/** Strip leading and trailing ASCII whitespace, as browsers do for URL attributes. */
export function trimAsciiWhitespace(value: string): string {
	// A loop, not a regex: this runs on every URL attribute, some of them long data: URIs.
	let start = 0;
	let end = value.length;
	while (start < end && isAsciiWhitespaceCode(value.charCodeAt(start))) {
		start++;
	}
	while (end > start && isAsciiWhitespaceCode(value.charCodeAt(end - 1))) {
		end--;
	}
	return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** Parse a URL, or undefined where the URL parser fails (new URL throws). */
export function parseUrl(value: string, base?: URL | undefined): URL | undefined {
	try {
		return new URL(value, base);
	} catch {
		return undefined;
	}
}

/**
The document base URL: the first `<base href>` in tree order, resolved against
the page URL; the page URL when there is none or it does not parse.
https://html.spec.whatwg.org/multipage/urls-and-fetching.html#document-base-url
Undefined only when the page URL itself is not a URL; then relative values are skipped.
*/
export function documentBase(pageUrl: string, baseHref: string | undefined): URL | undefined {
	const page = parseUrl(pageUrl);
	if (baseHref === undefined) {
		return page;
	}
	const base = parseUrl(trimAsciiWhitespace(baseHref), page);
	// The spec's "frozen base URL" falls back for data: and javascript: bases: they must not redirect resolution.
	if (base === undefined || base.protocol === 'data:' || base.protocol === 'javascript:') {
		return page;
	}
	return base;
}

/** What {@link resolveUrl} found: an http(s) URL or, when allowed, a data: image URI. */
export interface ResolvedUrl {
	url: string;
	isData: boolean;
}

/**
Resolve an attribute value to the absolute URL a scraper may fetch, or undefined
when it must be skipped: empty, fragment-only (`#top` points at the page itself),
unparseable, or a scheme other than http/https (`about:`, `javascript:`,
`mailto:` ...). `data:image/...` URIs are kept only when `dataUris` is set.
The fragment is dropped: it is never sent to a server, and `a.svg#x` and
`a.svg#y` are one download.
*/
export function resolveUrl(raw: string, base: URL | undefined, dataUris = false): ResolvedUrl | undefined {
	const value = trimAsciiWhitespace(raw);
	if (value === '' || value.startsWith('#')) {
		return undefined;
	}
	const url = parseUrl(value, base);
	if (url === undefined) {
		return undefined;
	}
	if (url.protocol === 'http:' || url.protocol === 'https:') {
		url.hash = '';
		return {url: url.href, isData: false};
	}
	if (dataUris && url.protocol === 'data:' && isDataImage(url.pathname)) {
		return {url: url.href, isData: true};
	}
	return undefined;
}

/** Resolve a link to a page (follow, next): as {@link resolveUrl}, never a data: URI. */
export function resolveLink(raw: string, base: URL | undefined): string | undefined {
	return resolveUrl(raw, base)?.url;
}

// A data: URL's path is "<mime type>[;params],<data>"; only image types are images.
function isDataImage(path: string): boolean {
	return /^[\t\n\f\r ]*image\//i.test(path);
}

/** True when the value is a `data:` URI, before any resolution (for placeholder checks). */
export function isDataUri(raw: string): boolean {
	return /^data:/i.test(trimAsciiWhitespace(raw));
}

/** True when an absolute http(s) URL's path ends in an image file extension (for `<a href>` links). */
export function hasImageExtension(url: string): boolean {
	// The URL is serialised and fragment-free, so its path ends at the first `?`.
	const query = url.indexOf('?');
	return hasImageFileExtension(query === -1 ? url : url.slice(0, query));
}
