/**
URL rules shared by every kind of result: how attribute values are cleaned,
resolved against the document base, and which results are kept.
*/

import iconv from 'iconv-lite';
import {hasImageFileExtension} from '../image-extensions.js';

/**
A document's base URL, and the encoding its URLs' queries are percent-encoded
in when that is not UTF-8: a browser encodes the query (only the query) of a
URL in a GBK page in GBK, so `?q=猫` asks for `%C3%A8`.
https://url.spec.whatwg.org/#query-state
*/
export type DocumentBase = URL & {readonly queryEncoding?: string};

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
export function documentBase(pageUrl: string, baseHref: string | undefined, encoding = 'UTF-8'): DocumentBase | undefined {
	const base = baseUrl(pageUrl, baseHref);
	// UTF-16 pages encode their queries in UTF-8, as do pages in an encoding we cannot encode to.
	if (base === undefined || /^utf-(?:8|16)/i.test(encoding) || !iconv.encodingExists(encoding)) {
		return base;
	}
	return Object.assign(base, {queryEncoding: encoding});
}

function baseUrl(pageUrl: string, baseHref: string | undefined): URL | undefined {
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

/**
A query as written (after the `?`, before any `#`) with each non-ASCII code
point percent-encoded in `encoding`; one the encoding cannot represent becomes
`&#N;`, percent-encoded, as the URL standard's encoder does.
*/
function encodeQuery(query: string, encoding: string): string {
	let encoded = '';
	for (const char of query) {
		const code = char.codePointAt(0)!;
		if (code < 0x80) {
			encoded += char;
			continue;
		}
		const bytes = iconv.encode(char, encoding);
		if (iconv.decode(bytes, encoding) !== char) {
			encoded += `%26%23${code}%3B`;
			continue;
		}
		for (const byte of bytes) {
			encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
		}
	}
	return encoded;
}

/** Re-encode a parsed URL's query in the page's encoding, from the value as written, when it holds non-ASCII. */
function applyQueryEncoding(url: URL, value: string, encoding: string): void {
	const start = value.indexOf('?');
	const hash = value.indexOf('#');
	if (start === -1 || (hash !== -1 && hash < start)) {
		return;
	}
	const end = value.indexOf('#', start);
	const query = value.slice(start + 1, end === -1 ? undefined : end);
	// Tab and newlines are stripped by the URL parser wherever they stand.
	if (/[^\u0000-\u007f]/.test(query)) {
		url.search = encodeQuery(query.replaceAll(/[\t\n\r]/g, ''), encoding);
	}
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
export function resolveUrl(raw: string, base: DocumentBase | undefined, dataUris = false): ResolvedUrl | undefined {
	const value = trimAsciiWhitespace(raw);
	if (value === '' || value.startsWith('#')) {
		return undefined;
	}
	const url = parseUrl(value, base);
	if (url === undefined) {
		return undefined;
	}
	if (url.protocol === 'http:' || url.protocol === 'https:') {
		if (base?.queryEncoding !== undefined) {
			applyQueryEncoding(url, value, base.queryEncoding);
		}
		url.hash = '';
		return {url: url.href, isData: false};
	}
	if (dataUris && url.protocol === 'data:' && isDataImage(url.pathname)) {
		return {url: url.href, isData: true};
	}
	return undefined;
}

/** Resolve a link to a page (follow, next): as {@link resolveUrl}, never a data: URI. */
export function resolveLink(raw: string, base: DocumentBase | undefined): string | undefined {
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
