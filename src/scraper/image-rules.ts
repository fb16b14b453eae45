/**
The user's rules on image URLs, applied to a page's images after extraction:
rewrites (thumbnail URL to original), the variant rule (one image at several
sizes: keep the largest), then include/exclude. A pure step over plain data,
linear in the number of images, so `list` prints what a scrape would fetch.
*/

import type {FoundImage} from '../types.js';

/** One `s/REGEX/REPLACEMENT/FLAGS` rule, parsed. */
export interface RewriteRule {
	pattern: RegExp;
	/** With `$1`-style references, as `String.prototype.replace` takes them. */
	replacement: string;
}

export interface ImageRules {
	/** Applied in order to each image URL. */
	rewrite: readonly RewriteRule[];
	/** When any is given, only URLs (after rewriting) that match one are taken. */
	include: readonly RegExp[];
	/** URLs (after rewriting) that match any are not taken. */
	exclude: readonly RegExp[];
	/** Same image at several sizes (`-300x200`, `@2x` suffixes): keep the largest, or all. */
	variants: 'largest' | 'all';
}

/** Whether the rules change anything, so a run without them skips the step. */
export function hasImageRules(rules: ImageRules): boolean {
	return rules.rewrite.length > 0 || rules.include.length > 0 || rules.exclude.length > 0 || rules.variants === 'largest';
}

/**
A page's images under the rules, in document order: each URL rewritten (the
URL as found then in `original`), one image per URL, the smaller variants of
an image dropped, and those include/exclude leave out kept but marked
`excluded`, so they can be reported without being fetched.
*/
export function applyImageRules(images: FoundImage[], rules: ImageRules): FoundImage[] {
	// Each step only when asked for: a page of a million images should not pay for rules it has none of.
	let result = images;
	if (rules.rewrite.length > 0) {
		const seen = new Set<string>();
		result = [];
		for (const image of images) {
			const url = rewriteUrl(image.url, rules.rewrite);
			if (!seen.has(url)) {
				seen.add(url);
				result.push(url === image.url ? image : {...image, url, original: image.url});
			}
		}
	}

	if (rules.variants === 'largest') {
		result = largestVariants(result);
	}

	if (rules.include.length > 0 || rules.exclude.length > 0) {
		result = result.map(image => (isTaken(image.url, rules) ? image : {...image, excluded: true as const}));
	}

	return result;
}

/** The URL after every rewrite rule in turn; a result that is not an absolute URL leaves the URL as it was. */
export function rewriteUrl(url: string, rules: readonly RewriteRule[]): string {
	if (rules.length === 0 || url.startsWith('data:')) {
		return url;
	}

	let result = url;
	for (const rule of rules) {
		// A global pattern keeps lastIndex between calls to test/exec; replace resets it, and it is all this uses.
		result = result.replace(rule.pattern, rule.replacement);
	}

	if (result === url) {
		return url;
	}

	try {
		return new URL(result).href;
	} catch {
		return url;
	}
}

function isTaken(url: string, rules: ImageRules): boolean {
	if (rules.include.length > 0 && !rules.include.some(pattern => matches(pattern, url))) {
		return false;
	}

	return !rules.exclude.some(pattern => matches(pattern, url));
}

function matches(pattern: RegExp, url: string): boolean {
	pattern.lastIndex = 0;
	return pattern.test(url);
}

// Before the extension of the last path segment: WordPress's `-300x200` resized copies, and `@2x` retina copies.
const sizeSuffix = /-(\d{1,5})x(\d{1,5})(?=(?:@\d+(?:\.\d+)?x)?\.[a-z\d]+$)/i;
const scaleSuffix = /@(\d+(?:\.\d+)?)x(?=\.[a-z\d]+$)/i;

/** How one URL stands among the variants of its image: its group key, and what makes it larger than another. */
export interface Variant {
	/** The URL with its size suffixes taken out (query and all): URLs with the same key are one image. */
	key: string;
	/** Pixels of a `-WxH` copy; a URL without the suffix is the original upload, larger than any copy. */
	area: number;
	/** The `@Nx` factor, 1 without one. */
	scale: number;
}

/** The variant a URL (absolute, serialised, without fragment) is; one without a size suffix is the largest of its group. */
export function variantOf(url: string): Variant {
	if (url.startsWith('data:')) {
		return {key: url, area: Number.POSITIVE_INFINITY, scale: 1};
	}

	// String surgery on the serialised URL rather than parsing it: this runs on every image of every page.
	const query = url.indexOf('?');
	const pathEnd = query === -1 ? url.length : query;
	const slash = url.lastIndexOf('/', pathEnd - 1) + 1;
	let name = url.slice(slash, pathEnd);
	let area = Number.POSITIVE_INFINITY;
	let scale = 1;
	const sized = sizeSuffix.exec(name);
	if (sized !== null) {
		area = Number(sized[1]) * Number(sized[2]);
		name = name.slice(0, sized.index) + name.slice(sized.index + sized[0].length);
	}

	const scaled = scaleSuffix.exec(name);
	if (scaled !== null) {
		scale = Number(scaled[1]);
		name = name.slice(0, scaled.index) + name.slice(scaled.index + scaled[0].length);
	}

	return {key: sized === null && scaled === null ? url : url.slice(0, slash) + name + url.slice(pathEnd), area, scale};
}

function larger(a: Variant, b: Variant): boolean {
	return a.area === b.area ? a.scale > b.scale : a.area > b.area;
}

/**
One image per variant group, the largest, in the place of the group's first
URL. Only groups that hold a suffixed URL are tracked, so a page without
size suffixes costs one scan and no memory.
*/
function largestVariants(images: FoundImage[]): FoundImage[] {
	const suffixed = new Set<string>();
	for (const image of images) {
		const variant = variantOf(image.url);
		if (variant.key !== image.url) {
			suffixed.add(variant.key);
		}
	}

	if (suffixed.size === 0) {
		return images;
	}

	const groups = new Map<string, {slot: number; variant: Variant}>();
	const kept: FoundImage[] = [];
	for (const image of images) {
		const variant = variantOf(image.url);
		if (!suffixed.has(variant.key)) {
			kept.push(image);
			continue;
		}

		const group = groups.get(variant.key);
		if (group === undefined) {
			groups.set(variant.key, {slot: kept.length, variant});
			kept.push(image);
		} else if (larger(variant, group.variant)) {
			group.variant = variant;
			kept[group.slot] = image;
		}
	}

	return kept;
}
