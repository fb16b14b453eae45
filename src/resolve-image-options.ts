/**
The resolution of the options that choose which images a run takes: pixel
bounds, URL rules and the range. Apart from resolve-options.ts so each option
family is checked beside its kind.
*/

import {defaults} from './defaults.js';
import type {DimensionRules} from './download/dimensions.js';
import {UsageError} from './errors.js';
import type {ScrapeOptions} from './options.js';
import type {ImageRules} from './scraper/image-rules.js';
import {expected, integer, type PositionRange, positionRange, regExp, rewriteRule} from './validate.js';

const variantModes: ReadonlyArray<ImageRules['variants']> = ['largest', 'all'];

/** One value or a list of them, as a list. */
function list<T>(value: T | readonly T[] | undefined): readonly T[] {
	return value === undefined ? [] : Array.isArray(value) ? value : [value as T];
}

function pixels(name: keyof DimensionRules, value: unknown, fallback: number): number {
	return integer(name, value, {min: name.startsWith('max') ? 1 : 0, fallback});
}

export function dimensionRules(options: ScrapeOptions): DimensionRules {
	const rules: DimensionRules = {
		minWidth: pixels('minWidth', options.minWidth, defaults.minWidth),
		minHeight: pixels('minHeight', options.minHeight, defaults.minHeight),
		maxWidth: pixels('maxWidth', options.maxWidth, defaults.maxWidth),
		maxHeight: pixels('maxHeight', options.maxHeight, defaults.maxHeight),
	};
	for (const side of ['Width', 'Height'] as const) {
		if (rules[`min${side}`] > rules[`max${side}`]) {
			throw new UsageError(`Expected \`min${side}\` (${rules[`min${side}`]}) to be at most \`max${side}\` (${rules[`max${side}`]})`);
		}
	}

	return rules;
}

export function imageRules(options: ScrapeOptions): ImageRules {
	const variants = options.variants ?? defaults.variants;
	if (!variantModes.includes(variants)) {
		throw new UsageError(expected('variants', `one of ${variantModes.join(', ')}`, variants));
	}

	return {
		rewrite: list(options.rewrite).map(rule => rewriteRule('rewrite', rule)),
		include: list(options.include).map(pattern => regExp('include', pattern)),
		exclude: list(options.exclude).map(pattern => regExp('exclude', pattern)),
		variants,
	};
}

export function imageRange(options: ScrapeOptions): PositionRange | undefined {
	if (options.range !== undefined && options.limit !== undefined) {
		throw new UsageError('Give `range` or `limit`, not both: `limit` N is `range` 1-N');
	}

	if (options.limit !== undefined) {
		return {first: 1, last: integer('limit', options.limit, {min: 1})};
	}

	return options.range === undefined ? undefined : positionRange('range', options.range);
}
