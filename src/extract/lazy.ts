/**
Lazy-loading conventions: the attributes lazy-load scripts read the real image
from, and the placeholder `src` values they show until then. A browser running
the script ends up showing the lazy value, so that is what we report.
*/
import {isDataUri} from './urls.js';

/**
Attributes holding the real image URL, most preferred first: a `largest` pick
takes the first one present. `data-hi-res-src` and `data-original` (which on
some sites names the full-size original next to a display-size `data-actualsrc`)
come first because they tend to be the larger file.
*/
export const LAZY_SRC_ATTRIBUTES: readonly string[] = [
	'data-hi-res-src',
	'data-original',
	'data-original-src',
	'data-full-src',
	'data-lazy-src',
	'data-src',
	'data-lazy',
	'data-lazyload',
	'data-actualsrc',
	'data-echo',
	'data-url',
	'data-defer-src',
];

/** Attributes holding the real srcset, most preferred first. */
export const LAZY_SRCSET_ATTRIBUTES: readonly string[] = ['data-srcset', 'data-lazy-srcset', 'data-original-set'];

/*
File names lazy-load libraries and themes use for placeholders: blank.gif,
spacer.gif, placeholder.png, lazy-placeholder.svg, loading.gif, 1x1.png,
pixel.gif, transparent.png ... The word must stand between separators, so
"pixelart.png" is not caught; a false match only matters when the element also
has a lazy attribute, which wins anyway.
*/
const PLACEHOLDER_FILE = /(?:^|[-_.@])(?:blank|spacer|placeholder|pixel|transparent|empty|loading|loader|lazyload|grey|gray|dummy|1x1)(?:[-_.@]|$)/i;
const PLACEHOLDER_EXTENSION = /\.(?:gif|png|svg|jpe?g|webp)$/i;

/**
True when a `src` looks like a lazy-load placeholder: any `data:` URI (the
usual tiny transparent GIF or SVG) or a file with a placeholder's name. Only
consulted when the element also has a lazy attribute, so a real image that
happens to be called loading.gif is still reported on its own.
*/
export function isPlaceholder(src: string): boolean {
	if (isDataUri(src)) {
		return true;
	}
	const path = src.split(/[?#]/, 1)[0] ?? '';
	const file = path.slice(path.lastIndexOf('/') + 1);
	return PLACEHOLDER_EXTENSION.test(file) && PLACEHOLDER_FILE.test(file.replace(PLACEHOLDER_EXTENSION, ''));
}
