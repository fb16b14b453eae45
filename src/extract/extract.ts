/**
The extractor: page bytes in, image URLs and page links out. Pure and
synchronous, taking and returning plain data only, so it runs the same inline
and inside a worker thread.
*/
import type {ChildNode, Document, Element} from 'domhandler';
import {defaults} from '../defaults.js';
import type {ExtractOptions, ExtractResult, ExtractWarning, FoundImage, Headers} from '../types.js';
import {decodeHtml} from './decode.js';
import {attribute, isElement} from './dom.js';
import {altText, extractElementImages, type ImageContext} from './images.js';
import {AUTO_NEXT_SELECTOR, LinkCollector, type SelectedLinks} from './links.js';
import {extractLinkImage, extractMetaImage, extractStyleImages} from './page-images.js';
import {compileSelector, type Matcher, type StepTally} from './select.js';
import {parseTree} from './tree.js';
import {documentBase} from './urls.js';
import {newWork, type ExtractWork} from './work.js';

export type {ExtractWork} from './work.js';

/** Work done between two yields of {@link extractSteps}: nodes visited plus selector steps. */
export const sliceWork = 50_000;

/** Elements whose images are picked between two yields (each resolves a few URLs). */
const pickSlice = 5000;

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
	const steps = extractSteps(bytes, pageUrl, headers, options);
	for (;;) {
		const step = steps.next();
		if (step.done) {
			return step.value;
		}
	}
}

/**
{@link extract} in slices: each `next()` does a bounded amount of work (a
slice of the HTML parsed, or about {@link sliceWork} units of the walk), so a
caller on the main thread can yield to the event loop between slices and stop
when its run is cancelled. The result is the generator's return value.

@param work Filled in as the extraction goes, for callers that measure it.
*/
export function* extractSteps(
	bytes: Uint8Array,
	pageUrl: string,
	headers: Headers,
	options: ExtractOptions,
	work?: ExtractWork,
): Generator<void, ExtractResult> {
	const counted = work ?? newWork();
	const {html, encoding} = decodeHtml(bytes, headers);
	counted.slices++;
	yield;
	const {document} = yield* parseTree(html, counted);
	const page = new PageWalk(document, html.length, options);
	yield* page.walk(counted);
	return yield* page.result(pageUrl, encoding, counted);
}

/** An element the image pass looks at, found by the walk. */
interface ImageCandidate {
	element: Element;
	inNoscript: boolean;
	/** Matched by `options.selector`. */
	selected: boolean;
	/** For `<a>` with `options.links`: the alt of the first image inside it that has one. */
	innerAlt?: string | undefined;
}

/**
One walk in document order over a page's tree: it finds the <base>, every
element that may hold an image, and the links of the follow and next
selectors, so results from every source interleave as they appear on the page.
*/
class PageWalk {
	readonly #document: Document;
	readonly #options: ExtractOptions;
	readonly #images: Matcher;
	readonly #follow: LinkCollector | undefined;
	readonly #next: LinkCollector | undefined;
	readonly #candidates: ImageCandidate[] = [];
	/** The steps of all three selectors. */
	readonly #selectorSteps: StepTally = {steps: 0};
	#baseHref: string | undefined;
	/** The first `<title>` outside an `<svg>`, with `titles`. */
	#title: string | undefined;
	/** Elements `selector` matched, and the page's `<img>` and `<a>`: for the hint when nothing matched. */
	#selected = 0;
	#img = 0;
	#a = 0;

	constructor(document: Document, htmlLength: number, options: ExtractOptions) {
		this.#document = document;
		this.#options = options;
		this.#images = compileSelector(options.selector, document, htmlLength, this.#selectorSteps);
		const collector = (selector: string | undefined) =>
			selector === undefined || selector.trim() === '' ? undefined : new LinkCollector(compileSelector(selector, document, htmlLength, this.#selectorSteps));
		this.#follow = collector(options.follow);
		this.#next = collector(options.next === 'auto' ? AUTO_NEXT_SELECTOR : options.next);
	}

	*walk(work: ExtractWork): Generator<void, void> {
		const {links, meta, css} = this.#options;
		// The open elements, outermost first, and per level the children still to visit.
		const open: Element[] = [];
		const lists: Array<readonly ChildNode[]> = [this.#document.children];
		const positions: number[] = [0];
		const anchors: Element[] = [];
		/** Open `<a>` candidates still looking for the alt of an image inside them, outermost first. */
		const waitingForAlt: ImageCandidate[] = [];
		let noscripts = 0;
		let sliceStart = work.visited;
		// Selector steps already added to `work`.
		let counted = 0;
		const leave = (element: Element) => {
			this.#follow?.leave(element);
			this.#next?.leave(element);
			if (element.name === 'noscript') {
				noscripts--;
			} else if (element.name === 'a') {
				anchors.pop();
				if (waitingForAlt.at(-1)?.element === element) {
					waitingForAlt.pop();
				}
			}
		};

		while (lists.length > 0) {
			const list = lists.at(-1)!;
			const position = positions.at(-1)!;
			if (position >= list.length) {
				lists.pop();
				positions.pop();
				const closed = open.pop();
				if (closed !== undefined) {
					leave(closed);
				}

				continue;
			}

			positions[positions.length - 1] = position + 1;
			const node = list[position]!;
			work.visited++;
			if (isElement(node)) {
				const {name} = node;
				const inNoscript = noscripts > 0;
				// A <base> inside <noscript> does not count: a browser running the page's scripts never sees it.
				if (name === 'base' && this.#baseHref === undefined && !inNoscript) {
					this.#baseHref = attribute(node, 'href');
				}

				// An <svg>'s <title> names the drawing, not the page.
				if (name === 'title' && this.#title === undefined && this.#options.titles && !open.some(element => element.name === 'svg')) {
					this.#title = documentTitle(node);
				}

				const selected = this.#images.matches(node);
				if (selected) {
					this.#selected++;
				}

				if (name === 'img') {
					this.#img++;
				} else if (name === 'a') {
					this.#a++;
				}

				if (selected || (meta && name === 'meta') || (links && name === 'a') || (css && attribute(node, 'style') !== undefined)) {
					const candidate: ImageCandidate = {element: node, inNoscript, selected};
					this.#candidates.push(candidate);
					if (links && name === 'a') {
						waitingForAlt.push(candidate);
					}
				}

				if (name === 'img' && waitingForAlt.length > 0) {
					const alt = altText(node);
					if (alt !== undefined) {
						// The first image with an alt inside a link is the first inside every open link around it.
						for (const waiting of waitingForAlt) {
							waiting.innerAlt = alt;
						}

						waitingForAlt.length = 0;
					}
				}

				const around = anchors.at(-1);
				this.#follow?.enter(node, around);
				this.#next?.enter(node, around);
				if (name === 'noscript') {
					noscripts++;
				} else if (name === 'a') {
					anchors.push(node);
				}

				// Template content is inert: the browser neither shows nor fetches it.
				if (name !== 'template' && node.children.length > 0) {
					open.push(node);
					lists.push(node.children);
					positions.push(0);
				} else {
					leave(node);
				}
			}

			const done = work.visited + this.#selectorSteps.steps;
			if (done - sliceStart >= sliceWork) {
				sliceStart = done;
				work.selectorSteps += this.#selectorSteps.steps - counted;
				counted = this.#selectorSteps.steps;
				work.slices++;
				yield;
			}
		}

		work.selectorSteps += this.#selectorSteps.steps - counted;
	}

	*result(pageUrl: string, encoding: string, work: ExtractWork): Generator<void, ExtractResult> {
		const options = this.#options;
		const max = options.maxPerPage ?? defaults.maxPerPage;
		const base = documentBase(pageUrl, this.#baseHref, encoding);
		const images: FoundImage[] = [];
		const seen = new Set<string>();
		let imagesCapped = false;
		const context: ImageContext = {
			base,
			options,
			pictures: new Map(),
			work,
			emit(image) {
				if (seen.has(image.url)) {
					return;
				}

				if (images.length === max) {
					imagesCapped = true;
					return;
				}

				seen.add(image.url);
				images.push(image);
			},
		};
		let sinceYield = 0;
		for (const {element, inNoscript, selected, innerAlt} of this.#candidates) {
			if (imagesCapped) {
				break;
			}

			work.picked++;
			if (++sinceYield === pickSlice) {
				sinceYield = 0;
				work.slices++;
				yield;
			}

			if (selected) {
				extractElementImages(element, inNoscript, context);
			}

			if (options.meta && element.name === 'meta') {
				extractMetaImage(element, context);
			}

			if (options.links && element.name === 'a') {
				extractLinkImage(element, inNoscript, innerAlt, context);
			}

			if (options.css && attribute(element, 'style') !== undefined) {
				extractStyleImages(element, inNoscript, context);
			}
		}

		const none: SelectedLinks = {links: [], capped: false};
		const links = this.#follow?.links(base, max) ?? none;
		const next = this.#next?.links(base, max) ?? none;
		const counts = {selected: this.#selected, img: this.#img, a: this.#a, ...(this.#follow === undefined ? {} : {followed: links.links.length})};
		const result: ExtractResult = {images, links: links.links, next: next.links, encoding, counts};
		if (this.#title !== undefined) {
			result.title = this.#title;
		}
		const capped = [...(imagesCapped ? ['images' as const] : []), ...(links.capped ? ['links' as const] : []), ...(next.capped ? ['next' as const] : [])];
		if (capped.length > 0) {
			result.capped = capped;
		}

		const warnings = [
			...selectorWarning('images', options.selector, this.#images.failure),
			...selectorWarning('links', options.follow, this.#follow?.failure),
			...selectorWarning('next', options.next, this.#next?.failure),
		];
		if (warnings.length > 0) {
			result.warnings = warnings;
		}

		return result;
	}
}

/** A `<title>`'s text with ASCII whitespace collapsed, as `document.title` gives it; undefined when blank. */
function documentTitle(element: Element): string | undefined {
	const text = element.children.map(child => (child as {data?: string}).data ?? '').join('');
	const title = text.replaceAll(/[\t\n\f\r ]+/g, ' ').trim();
	return title === '' ? undefined : title;
}

const selectorNames = {images: ['image selector', 'images'], links: ['follow selector', 'links'], next: ['next selector', 'next-page links']} as const;

function selectorWarning(about: ExtractWarning['about'], selector: string | undefined, failure: string | undefined): ExtractWarning[] {
	const [name, what] = selectorNames[about];
	return failure === undefined
		? []
		: [{about, message: `${name} \`${selector}\` stopped matching partway, ${failure}: ${what} after that point were not taken`}];
}
