import {UsageError} from './errors.js';
import {httpUrl} from './validate.js';

/**
Page URL templates. `{page}` becomes the page number; `{_page}` follows the
convention of many galleries where page 1 has no number (index.html, then
index_2.html ...): nothing for page 1, `_N` after.
*/
const placeholder = /\{_?page\}/g;

/** Whether a URL holds a `{page}` or `{_page}` placeholder. */
export function hasPagePlaceholder(url: string): boolean {
	return /\{_?page\}/.test(url);
}

/** The largest page list a range may expand to; past it a typo is likelier than intent. */
const maxPages = 1_000_000;

/**
Parse a page range such as `1-4` or `1,3,7-9` into page numbers, in the order
given, without duplicates.
*/
export function parsePageRange(range: string): number[] {
	const pages = new Set<number>();
	for (const part of range.split(',')) {
		const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
		if (!match) {
			throw new UsageError(`Expected \`pages\` to be a range like 1-4 or 1,3,7-9, got \`${range}\``);
		}

		const from = Number(match[1]);
		const to = match[2] === undefined ? from : Number(match[2]);
		if (from < 1) {
			throw new UsageError(`\`pages\` start at 1, got \`${part.trim()}\` in \`${range}\``);
		}

		if (to < from) {
			throw new UsageError(`\`pages\` \`${part.trim()}\` counts down from ${from} to ${to}: write the smaller page first, ${to}-${from}`);
		}

		if (to - from + pages.size >= maxPages) {
			throw new UsageError(`Expected \`pages\` to hold at most ${maxPages} pages, got \`${range}\``);
		}

		for (let page = from; page <= to; page++) {
			pages.add(page);
		}
	}

	return [...pages];
}

/** The first page of an open-ended range (`5-`: from page 5 until the gallery ends), or undefined for any other form. */
export function openPageRange(range: string): number | undefined {
	const match = /^\s*(\d+)\s*-\s*$/.exec(range);
	if (match === null) {
		return undefined;
	}

	const from = Number(match[1]);
	if (from < 1 || !Number.isSafeInteger(from)) {
		throw new UsageError(`Expected \`pages\` to count up from 1, got \`${range}\``);
	}

	return from;
}

/** Fill a template's placeholders for one page number. */
export function fillPage(template: string, page: number): string {
	return template.replace(placeholder, token => {
		if (token === '{page}') {
			return String(page);
		}

		return page === 1 ? '' : `_${page}`;
	});
}

/** Check that a string is an absolute http(s) URL, and return it normalised. */
export function parsePageUrl(value: string): string {
	return httpUrl('urls', value).href;
}

/**
Expand the user's page inputs into the list of listing-page URLs, in order.
Templates need `pages`; `pages` needs at least one template.
*/
export function expandPageUrls(inputs: readonly string[], pages: readonly number[] | undefined): string[] {
	const urls: string[] = [];
	let templates = 0;
	for (const input of inputs) {
		if (!hasPagePlaceholder(input)) {
			urls.push(parsePageUrl(input));
			continue;
		}

		templates++;
		if (pages === undefined) {
			throw new UsageError(`\`${input}\` has a page placeholder: give the pages to fetch with --pages, e.g. --pages 1-4`);
		}

		for (const page of pages) {
			urls.push(parsePageUrl(fillPage(input, page)));
		}
	}

	if (pages !== undefined && templates === 0) {
		throw new UsageError('--pages needs a URL with a {page} or {_page} placeholder');
	}

	return urls;
}
