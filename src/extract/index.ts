/**
The extractor: page bytes in, image URLs and page links out. Pure and
synchronous, taking and returning plain data only, so it runs the same inline
and inside a worker thread.
*/
import type {Element} from 'domhandler';
import type {ExtractOptions, ExtractResult, FoundImage, Headers} from '../types.js';
import {decodeHtml} from './decode.js';
import {attribute, loadDocument, walkElements} from './dom.js';
import {extractElementImages, type ImageContext} from './images.js';
import {selectLinks, selectNext} from './links.js';
import {extractLinkImage, extractMetaImage, extractStyleImages} from './page-images.js';
import {documentBase} from './urls.js';

/**
Extract the images, followable links and next-page links of one HTML page.

@param bytes The response body, undecoded: the encoding is sniffed like a browser does.
@param pageUrl The page's final URL (after redirects): relative URLs resolve against it, or its `<base href>`.
@param headers The response headers, lower-cased; only `content-type` is read, for its charset.
@param options What to report; see {@link ExtractOptions}.
@returns Images in document order, deduplicated by URL (the first occurrence wins), the links and the encoding used.
@throws Only on an invalid CSS selector in `options` (or a bug); odd HTML never throws.
*/
export function extract(bytes: Uint8Array, pageUrl: string, headers: Headers, options: ExtractOptions): ExtractResult {
	const {html, encoding} = decodeHtml(bytes, headers);
	const $ = loadDocument(html);
	const root = $.root()[0]!;
	/*
	One walk in document order finds the <base> and every element that may
	hold an image, so results from every source interleave as they appear on
	the page. A plain tag name (the default `img`) is matched in that walk;
	only a real selector costs css-select's own pass over the document.
	*/
	const tag = plainTagName(options.selector);
	const selected = tag === undefined ? new Set($(options.selector).get()) : undefined;
	const isSelected = (element: Element) => (selected === undefined ? element.name === tag : selected.has(element));
	const candidates: Array<{element: Element; inNoscript: boolean}> = [];
	let baseHref: string | undefined;
	walkElements(root, (element, inNoscript) => {
		const {name} = element;
		// A <base> inside <noscript> does not count: a browser running the page's scripts never sees it.
		if (name === 'base' && baseHref === undefined && !inNoscript) {
			baseHref = attribute(element, 'href');
		}

		if (isSelected(element)
			|| (options.meta && name === 'meta')
			|| (options.links && name === 'a')
			|| (options.css && attribute(element, 'style') !== undefined)) {
			candidates.push({element, inNoscript});
		}
	});

	const base = documentBase(pageUrl, baseHref);
	const images: FoundImage[] = [];
	const seen = new Set<string>();
	const context: ImageContext = {
		base,
		options,
		emit(image) {
			if (!seen.has(image.url)) {
				seen.add(image.url);
				images.push(image);
			}
		},
	};
	for (const {element, inNoscript} of candidates) {
		if (isSelected(element)) {
			extractElementImages(element, inNoscript, context);
		}

		if (options.meta && element.name === 'meta') {
			extractMetaImage(element, context);
		}

		if (options.links && element.name === 'a') {
			extractLinkImage(element, inNoscript, context);
		}

		if (options.css && attribute(element, 'style') !== undefined) {
			extractStyleImages(element, inNoscript, context);
		}
	}

	return {
		images,
		links: selectLinks($, options.follow, base),
		next: selectNext($, options.next, base),
		encoding,
	};
}

/** The element name a selector that is only a tag name matches (lower-cased, as the parser names elements), or undefined. */
function plainTagName(selector: string): string | undefined {
	const trimmed = selector.trim();
	return /^[a-z][a-z\d-]*$/i.test(trimmed) ? trimmed.toLowerCase() : undefined;
}
