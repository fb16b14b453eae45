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
import type {ExtractWork} from './work.js';

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

/** The element's own candidates: its `src`-like ones (one image each) and its srcset-like ones. */
interface Candidates {
	srcs: Candidate[];
	srcsets: Candidate[];
}

interface Picked {
	candidate: Candidate;
	resolved: ResolvedUrl;
}

/** What a `largest` pick needs to know of a run of candidates: the first of the highest `w`, and of the highest density. */
interface Largest {
	anyWidth: boolean;
	widest: Picked | undefined;
	densest: Picked | undefined;
}

/**
How far the `<source>`s of one `<picture>` have been read. The images of a page
are taken in document order, so each `<img>` of a picture reads only the
sources since the previous one: a picture of thousands of sources and images
costs its size once, not once per image.
*/
interface PictureSources {
	/** Children read so far. */
	read: number;
	/** Every source candidate read so far, resolved. */
	largest: Largest;
}

/** What the per-element pick needs from the page. */
export interface ImageContext {
	base: URL | undefined;
	options: ExtractOptions;
	/** Called with each image found, in order; deduplication is the caller's. */
	emit: (image: FoundImage) => void;
	/** Per `<picture>`, its sources read so far. */
	pictures: Map<Element, PictureSources>;
	/** Counts the children of pictures read. */
	work: ExtractWork;
}

/**
Report the images of one element matched by `options.selector`:
- `<img>`: lazy attributes, `src`, `srcset`, and the `<source>`s before it in a `<picture>`;
- `<picture>`: as its `<img>` (or its sources alone when it has none);
- `<a href>`: the link target (whatever its extension: the selector chose it);
- anything else (`<source>`, `<div data-src>`, `<input type=image>` ...): its lazy attributes, `src` and `srcset`.
Elements are to be given in document order.
*/
export function extractElementImages(element: Element, inNoscript: boolean, context: ImageContext): void {
	let target = element;
	if (element.name === 'picture') {
		target = element.children.find((child): child is Element => isElement(child) && child.name === 'img') ?? element;
	}
	const alt = altText(target);
	const title = context.options.titles ? titleText(target) : undefined;
	for (const {candidate, resolved} of pick(target, context)) {
		const image: FoundImage = {url: resolved.url, source: sourceOf(candidate, resolved, inNoscript)};
		if (alt !== undefined) {
			image.alt = alt;
		}
		if (title !== undefined) {
			image.title = title;
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

/** The `<picture>` whose sources take part in the element's pick, if any: its own, or its parent's for an `<img>`. */
function pictureOf(element: Element): Element | undefined {
	if (element.name === 'picture') {
		return element;
	}
	const {parent} = element;
	return element.name === 'img' && parent !== null && isElement(parent) && parent.name === 'picture' ? parent : undefined;
}

/**
The resolved candidates of the picture's `<source>`s from where the previous
pick stopped up to `element` (to the end when `element` is the picture itself),
folded into the picture's `largest` summary.
*/
function readSources(picture: Element, element: Element, context: ImageContext): Picked[] {
	let state = context.pictures.get(picture);
	if (state === undefined) {
		state = {read: 0, largest: {anyWidth: false, widest: undefined, densest: undefined}};
		context.pictures.set(picture, state);
	}
	const {children} = picture;
	const fresh: Picked[] = [];
	// Only the <source>s before the <img> take part in the browser's selection.
	while (state.read < children.length && children[state.read] !== element) {
		const child = children[state.read++]!;
		context.work.picked++;
		if (isElement(child) && child.name === 'source') {
			const own: Candidates = {srcs: [], srcsets: []};
			addOwnCandidates(child, 'picture', true, own);
			fresh.push(...resolveAll(own.srcsets, context));
		}
	}
	state.largest = merge(state.largest, summarise(fresh));
	return fresh;
}

function collectCandidates(element: Element, withSrcsets: boolean): Candidates {
	const candidates: Candidates = {srcs: [], srcsets: []};
	if (element.name !== 'picture') {
		const {parent} = element;
		const srcsetSource = element.name === 'source' && parent !== null && isElement(parent) && parent.name === 'picture' ? 'picture' : 'srcset';
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
function pick(element: Element, context: ImageContext): Picked[] {
	const {options} = context;
	const withSrcsets = options.srcset !== 'src';
	const candidates = collectCandidates(element, withSrcsets);
	const srcs = resolveAll(candidates.srcs, context);
	if (!withSrcsets) {
		return srcs.slice(0, 1);
	}
	const picture = pictureOf(element);
	// The sources an earlier image of the same picture read were reported with it already.
	const sources = picture === undefined ? [] : readSources(picture, element, context);
	const srcsets = resolveAll(candidates.srcsets, context);
	if (options.srcset === 'all') {
		return [...sources, ...srcs, ...srcsets];
	}
	const before = picture === undefined ? summarise([]) : context.pictures.get(picture)!.largest;
	const own = summarise(srcs[0] === undefined ? srcsets : [...srcsets, srcs[0]]);
	const {anyWidth, widest, densest} = merge(before, own);
	const largest = anyWidth ? widest : densest;
	return largest === undefined ? [] : [largest];
}

function resolveAll(candidates: Candidate[], context: ImageContext): Picked[] {
	const resolved: Picked[] = [];
	for (const candidate of candidates) {
		const url = resolveUrl(candidate.raw, context.base, context.options.dataUris);
		if (url !== undefined) {
			resolved.push({candidate, resolved: url});
		}
	}
	return resolved;
}

function summarise(pool: Picked[]): Largest {
	const largest: Largest = {anyWidth: false, widest: undefined, densest: undefined};
	for (const picked of pool) {
		const {w} = picked.candidate;
		if (w !== undefined) {
			largest.anyWidth = true;
			if (largest.widest === undefined || w > largest.widest.candidate.w!) {
				largest.widest = picked;
			}
		}
		if (largest.densest === undefined || density(picked) > density(largest.densest)) {
			largest.densest = picked;
		}
	}
	return largest;
}

/** The summary of `first` followed by `then`: on a tie the earlier candidate stays. */
function merge(first: Largest, then: Largest): Largest {
	return {
		anyWidth: first.anyWidth || then.anyWidth,
		widest: then.widest !== undefined && (first.widest === undefined || then.widest.candidate.w! > first.widest.candidate.w!) ? then.widest : first.widest,
		densest: then.densest !== undefined && (first.densest === undefined || density(then.densest) > density(first.densest)) ? then.densest : first.densest,
	};
}

function density(picked: Picked): number {
	return picked.candidate.density ?? 1;
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

/** The title attribute, trimmed; undefined when absent or blank. */
export function titleText(element: Element): string | undefined {
	const title = attribute(element, 'title');
	const trimmed = title === undefined ? '' : trimAsciiWhitespace(title);
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
