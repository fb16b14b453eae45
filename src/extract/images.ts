/**
Image candidates of one element (`<img>` with its `<picture>` sources, lazy
attributes and srcset; or any other element a selector matched) and the pick
that `options.srcset` asks for.
*/
import type {Element} from 'domhandler';
import type {ExtractOptions, FoundImage, ImageSource} from '../types.js';
import {attribute, isElement} from './dom.js';
import {isPlaceholder, LAZY_SRC_ATTRIBUTES, LAZY_SRCSET_ATTRIBUTES} from './lazy.js';
import {parseSrcset} from './srcset.js';
import {resolveUrl, trimAsciiWhitespace, type ResolvedUrl} from './urls.js';

/** One URL an element offers, before resolution. */
interface Candidate {
	raw: string;
	source: ImageSource;
	/** srcset `w` descriptor. */
	w?: number;
	/** srcset `x` descriptor; absent means 1x. */
	density?: number;
	/** The `width` attribute, for src-like candidates. */
	widthAttribute?: number;
	descriptor?: string;
}

/** The element's candidates: its `<picture>`'s sources, its `src`-like ones (one image each) and its srcset-like ones. */
interface Candidates {
	sources: Candidate[];
	srcs: Candidate[];
	srcsets: Candidate[];
}

/** What the per-element pick needs from the page. */
export interface ImageContext {
	base: URL | undefined;
	options: ExtractOptions;
	/** Called with each image found, in order; deduplication is the caller's. */
	emit: (image: FoundImage) => void;
}

/**
Report the images of one element matched by `options.selector`:
- `<img>`: lazy attributes, `src`, `srcset`, and the `<source>`s before it in a `<picture>`;
- `<picture>`: as its `<img>` (or its sources alone when it has none);
- `<a href>`: the link target (whatever its extension: the selector chose it);
- anything else (`<source>`, `<div data-src>`, `<input type=image>` ...): its lazy attributes, `src` and `srcset`.
*/
export function extractElementImages(element: Element, inNoscript: boolean, context: ImageContext): void {
	let target = element;
	if (element.name === 'picture') {
		target = element.children.find((child): child is Element => isElement(child) && child.name === 'img') ?? element;
	}
	const candidates = collectCandidates(target, context.options.srcset !== 'src');
	const alt = altText(target);
	for (const {candidate, resolved} of pick(candidates, context)) {
		const image: FoundImage = {url: resolved.url, source: sourceOf(candidate, resolved, inNoscript)};
		if (alt !== undefined) {
			image.alt = alt;
		}
		const width = candidate.w ?? candidate.widthAttribute;
		if (width !== undefined) {
			image.width = width;
		}
		if (candidate.descriptor !== undefined) {
			image.descriptor = candidate.descriptor;
		}
		context.emit(image);
	}
}

/** Where a URL came from: a data URI is `data` and a noscript fallback is `noscript`, whatever the attribute. */
export function sourceOf(candidate: {source: ImageSource}, resolved: ResolvedUrl, inNoscript: boolean): ImageSource {
	if (resolved.isData) {
		return 'data';
	}
	return inNoscript ? 'noscript' : candidate.source;
}

function collectCandidates(element: Element, withSrcsets: boolean): Candidates {
	const candidates: Candidates = {sources: [], srcs: [], srcsets: []};
	const parent = element.parent !== null && isElement(element.parent) ? element.parent : undefined;
	const picture = element.name === 'picture' ? element : element.name === 'img' && parent?.name === 'picture' ? parent : undefined;
	if (withSrcsets && picture !== undefined) {
		// Only the <source>s before the <img> take part in the browser's selection.
		for (const child of picture.children) {
			if (child === element) {
				break;
			}
			if (isElement(child) && child.name === 'source') {
				const own: Candidates = {sources: [], srcs: [], srcsets: []};
				addOwnCandidates(child, 'picture', withSrcsets, own);
				candidates.sources.push(...own.srcsets);
			}
		}
	}
	if (element !== picture) {
		const srcsetSource = element.name === 'source' && parent?.name === 'picture' ? 'picture' : 'srcset';
		addOwnCandidates(element, srcsetSource, withSrcsets, candidates);
	}
	return candidates;
}

function addOwnCandidates(element: Element, srcsetSource: ImageSource, withSrcsets: boolean, candidates: Candidates): void {
	const lazySrcs = presentValues(element, LAZY_SRC_ATTRIBUTES);
	const lazySrcsets = presentValues(element, LAZY_SRCSET_ATTRIBUTES);
	// Placeholders only give way to a lazy value; alone, a loading.gif may be a real image.
	const hasLazy = lazySrcs.length > 0 || lazySrcsets.length > 0;
	const keep = (raw: string): boolean => !hasLazy || !isPlaceholder(raw);
	const widthAttribute = parseDimension(attribute(element, 'width'));

	for (const raw of lazySrcs) {
		candidates.srcs.push(srcCandidate(raw, 'lazy', widthAttribute));
	}
	const primaryName = element.name === 'a' ? 'href' : element.name === 'source' ? undefined : 'src';
	const primary = primaryName === undefined ? undefined : attribute(element, primaryName);
	if (primary !== undefined && keep(primary)) {
		candidates.srcs.push(srcCandidate(primary, element.name === 'a' ? 'link' : 'img', widthAttribute));
	}
	if (!withSrcsets) {
		return;
	}
	for (const raw of lazySrcsets) {
		// Lazy values are the real image by definition: only the values they replace are screened.
		addSrcset(raw, 'lazy', () => true, candidates.srcsets);
	}
	const srcset = attribute(element, 'srcset');
	if (srcset !== undefined) {
		addSrcset(srcset, srcsetSource, keep, candidates.srcsets);
	}
}

function presentValues(element: Element, names: readonly string[]): string[] {
	const values: string[] = [];
	for (const name of names) {
		const value = attribute(element, name);
		if (value !== undefined && trimAsciiWhitespace(value) !== '') {
			values.push(value);
		}
	}
	return values;
}

function srcCandidate(raw: string, source: ImageSource, widthAttribute: number | undefined): Candidate {
	const candidate: Candidate = {raw, source};
	if (widthAttribute !== undefined) {
		candidate.widthAttribute = widthAttribute;
	}
	return candidate;
}

function addSrcset(value: string, source: ImageSource, keep: (raw: string) => boolean, into: Candidate[]): void {
	for (const parsed of parseSrcset(value)) {
		if (!keep(parsed.url)) {
			continue;
		}
		const candidate: Candidate = {raw: parsed.url, source};
		if (parsed.width !== undefined) {
			candidate.w = parsed.width;
			candidate.descriptor = `${parsed.width}w`;
		} else {
			candidate.density = parsed.density ?? 1;
			candidate.descriptor = `${candidate.density}x`;
		}
		into.push(candidate);
	}
}

interface Picked {
	candidate: Candidate;
	resolved: ResolvedUrl;
}

/*
The srcset modes:
- src: the first src-like candidate that resolves (lazy attributes before `src`);
- largest: one image, the candidate with the highest `w`, else the highest
  density, where that first src-like candidate counts as 1x. Ties go to the
  earlier candidate, in the order <source>s, lazy srcset, srcset, src: a 1x
  srcset entry replaces `src` as it does in the browser's source set;
- all: every candidate that resolves, <source>s first (document order), then
  src-like, then srcset-like.
Unresolvable candidates are dropped before picking, so a broken "largest" URL
does not hide the element's usable ones.
*/
function pick(candidates: Candidates, context: ImageContext): Picked[] {
	const {base, options} = context;
	const resolve = (candidate: Candidate): Picked | undefined => {
		const resolved = resolveUrl(candidate.raw, base, options.dataUris);
		return resolved === undefined ? undefined : {candidate, resolved};
	};
	const srcs = resolveAll(candidates.srcs, resolve);
	if (options.srcset === 'src') {
		return srcs.slice(0, 1);
	}
	const sources = resolveAll(candidates.sources, resolve);
	const srcsets = resolveAll(candidates.srcsets, resolve);
	if (options.srcset === 'all') {
		return [...sources, ...srcs, ...srcsets];
	}
	const pool = srcs[0] === undefined ? [...sources, ...srcsets] : [...sources, ...srcsets, srcs[0]];
	const largest = largestOf(pool);
	return largest === undefined ? [] : [largest];
}

function resolveAll(candidates: Candidate[], resolve: (candidate: Candidate) => Picked | undefined): Picked[] {
	const resolved: Picked[] = [];
	for (const candidate of candidates) {
		const picked = resolve(candidate);
		if (picked !== undefined) {
			resolved.push(picked);
		}
	}
	return resolved;
}

function largestOf(pool: Picked[]): Picked | undefined {
	let best: Picked | undefined;
	const anyWidth = pool.some((picked) => picked.candidate.w !== undefined);
	for (const picked of pool) {
		if (anyWidth) {
			if (picked.candidate.w !== undefined && (best === undefined || picked.candidate.w > (best.candidate.w ?? 0))) {
				best = picked;
			}
		} else if (best === undefined || (picked.candidate.density ?? 1) > (best.candidate.density ?? 1)) {
			best = picked;
		}
	}
	return best;
}

/** The alt text, trimmed; undefined when absent or blank. */
export function altText(element: Element): string | undefined {
	const alt = attribute(element, 'alt');
	if (alt === undefined) {
		return undefined;
	}
	const trimmed = trimAsciiWhitespace(alt);
	return trimmed === '' ? undefined : trimmed;
}

/**
A `width` attribute as the browser reads a dimension: leading digits, so
"300px" is 300; percentages are not pixels and are ignored.
https://html.spec.whatwg.org/multipage/common-microsyntaxes.html#rules-for-parsing-dimension-values
*/
export function parseDimension(value: string | undefined): number | undefined {
	if (value === undefined) {
		return undefined;
	}
	const match = /^[\t\n\f\r ]*\+?([0-9]+)(?:\.[0-9]*)?(%?)/.exec(value);
	if (match === null || match[2] === '%') {
		return undefined;
	}
	return Number(match[1]);
}
