/**
The extractor: page bytes in, image URLs and page links out. Pure and
synchronous, taking and returning plain data only, so it runs the same inline
and inside a worker thread.
*/
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
	// A <base> inside <noscript> does not count: a browser running the page's scripts never sees it.
	const base = documentBase(pageUrl, $('base[href]').filter((_, element) => $(element).closest('noscript').length === 0).first().attr('href'));

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
	const selected = new Set($(options.selector).get());
	const root = $.root()[0];
	if (root !== undefined) {
		// One walk in document order, so results from every source interleave as they appear on the page.
		walkElements(root, (element, inNoscript) => {
			if (selected.has(element)) {
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
		});
	}
	return {
		images,
		links: selectLinks($, options.follow, base),
		next: selectNext($, options.next, base),
		encoding,
	};
}
