import path from 'node:path';
import {imageTypeNames, normaliseImageType} from './download/image-types.js';
import {wantsMetadata} from './download/metadata.js';
import {checkNameTemplate, usesField} from './download/template.js';
import {UsageError} from './errors.js';
import {selectorError} from './extract/select.js';
import {parseCookieHeader} from './http/cookies.js';
import {parseHeaderLine, type HeaderLine} from './http/identity.js';
import type {RobotsMode} from './http/robots.js';
import {expandPageUrls, hasPagePlaceholder, openPageRange, parsePageRange} from './page-urls.js';
import type {ResolvedOptions, ScrapeOptions} from './options.js';
import type {ExtractOptions} from './types.js';
import {defaults} from './defaults.js';
import {resolveRender} from './render/resolve-render.js';
import {boolean, describe, expected, httpUrl, integer, milliseconds, nonEmptyString, parseSize, parseWorkers, rate, wholeNumberRange} from './validate.js';
import {dimensionRules, imageRules, imageRange} from './resolve-image-options.js';

const robotsModes: readonly RobotsMode[] = ['pages', 'strict', 'ignore'];

const srcsetModes: ReadonlyArray<ExtractOptions['srcset']> = ['largest', 'all', 'src'];

function acceptedTypes(value: ScrapeOptions['accept']): ReadonlySet<string> | undefined {
	if (value === undefined) {
		return undefined;
	}

	const list = typeof value === 'string' ? value.split(',') : value;
	if (!Array.isArray(list) || list.length === 0) {
		throw new UsageError(expected('accept', 'a list of image types', value));
	}

	const types = new Set<string>();
	for (const entry of list) {
		const type = typeof entry === 'string' ? normaliseImageType(entry.trim()) : undefined;
		if (type === undefined) {
			throw new UsageError(`Expected \`accept\` to hold image types (${imageTypeNames.join(', ')}), got ${describe(entry)}`);
		}

		types.add(type);
	}

	return types;
}

function selector(name: string, value: unknown, fallback: string): string;
function selector(name: string, value: unknown, fallback: undefined): string | undefined;
function selector(name: string, value: unknown, fallback: string | undefined): string | undefined {
	if (value === undefined && fallback === undefined) {
		return undefined;
	}

	const checked = nonEmptyString(name, value, fallback ?? '');
	const error = name === 'next' && checked === 'auto' ? undefined : selectorError(checked);
	if (error !== undefined) {
		throw new UsageError(expected(name, 'a CSS selector', checked, error));
	}

	return checked;
}

function hosts(value: unknown): string[] {
	const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
	return list.map(host => {
		if (typeof host !== 'string' || !/^[\w.-]+$/.test(host)) {
			throw new UsageError(`Expected \`allowHost\` to hold host names such as cdn.example.com, got ${describe(host)}`);
		}

		return host.toLowerCase();
	});
}

function headerLines(value: ScrapeOptions['header']): HeaderLine[] {
	if (value === undefined) {
		return [];
	}

	if (typeof value === 'string' || Array.isArray(value)) {
		const lines: unknown[] = typeof value === 'string' ? [value] : value;
		return lines.map(line => {
			if (typeof line !== 'string') {
				throw new UsageError(`Expected \`header\` to hold 'Name: value' strings, got ${describe(line)}`);
			}

			return parseHeaderLine(line);
		});
	}

	if (typeof value !== 'object' || value === null) {
		throw new UsageError(expected('header', "'Name: value' strings or an object", value));
	}

	return Object.entries(value).map(([name, headerValue]) => parseHeaderLine(`${name}: ${String(headerValue)}`));
}

/** A string sent as a header's value: no line break or other control character could split the request. */
function headerValue(name: string, value: unknown, fallback: string): string {
	const checked = nonEmptyString(name, value, fallback);
	if (/[\u0000-\u0008\u000A-\u001F\u007F]/.test(checked)) {
		throw new UsageError(expected(name, 'a header value on one line, without control characters', JSON.stringify(checked).slice(1, -1)));
	}

	return checked;
}

/** A pool's size as a count, or `auto` up to `maxConcurrency` (and never past a finite `perHost`). */
function poolSize(name: 'concurrency' | 'pageConcurrency', value: unknown, maxConcurrency: unknown, perHost: number): {size: number; auto: boolean} {
	const max = integer('maxConcurrency', maxConcurrency, {min: 1, fallback: defaults.maxConcurrency});
	if (value === 'auto') {
		return {size: Math.min(max, perHost), auto: true};
	}

	if (typeof value === 'string') {
		throw new UsageError(expected(name, `a whole number ${wholeNumberRange(1)} or \`auto\``, value));
	}

	return {size: integer(name, value, {min: 1, fallback: defaults[name]}), auto: false};
}

/** `concurrency` and `pageConcurrency`, each a count or `auto`. */
function concurrencies(options: ScrapeOptions, perHost: number) {
	const download = poolSize('concurrency', options.concurrency, options.maxConcurrency, perHost);
	const pages = poolSize('pageConcurrency', options.pageConcurrency, options.maxConcurrency, perHost);
	return {concurrency: download.size, autoConcurrency: download.auto, pageConcurrency: pages.size, autoPageConcurrency: pages.auto};
}

/** An http(s) URL option: checked, and kept as given. */
function urlOption(name: string, value: unknown): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	httpUrl(name, value);
	return value as string;
}

function referer(value: unknown): string | false | undefined {
	return value === false ? false : urlOption('referer', value);
}

function cookieHeader(value: unknown): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (typeof value !== 'string') {
		throw new UsageError(expected('cookie', "a string such as 'a=b; c=d'", value));
	}

	// Validated now, so a bad pair is a usage error before any request.
	parseCookieHeader(value);
	return value;
}

function pageNumbers(value: ScrapeOptions['pages']): number[] | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (typeof value === 'string') {
		return parsePageRange(value);
	}

	if (!Array.isArray(value) || value.length === 0 || !value.every(page => Number.isSafeInteger(page) && page >= 1)) {
		throw new UsageError(expected('pages', 'a range string or a list of page numbers from 1 up', value));
	}

	return [...value];
}

/** The start pages, and with an open-ended range (`N-`) the templates that go on from them. */
function pageList(options: ScrapeOptions): Pick<ResolvedOptions, 'pageUrls' | 'openPages'> {
	const from = typeof options.pages === 'string' ? openPageRange(options.pages) : undefined;
	if (from === undefined) {
		return {pageUrls: expandPageUrls(options.urls, pageNumbers(options.pages)), openPages: undefined};
	}

	return {pageUrls: expandPageUrls(options.urls, [from]), openPages: {templates: options.urls.filter(hasPagePlaceholder), from}};
}

/** Apply defaults and validate, once. Throws `UsageError` naming the option and the value received. */
export function resolveOptions(options: ScrapeOptions): ResolvedOptions {
	if (!Array.isArray(options.urls) || options.urls.length === 0) {
		throw new UsageError('Expected at least one page URL');
	}

	const srcset = options.srcset ?? defaults.srcset;
	if (!srcsetModes.includes(srcset)) {
		throw new UsageError(expected('srcset', `one of ${srcsetModes.join(', ')}`, srcset));
	}

	if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
		throw new UsageError(expected('signal', 'an AbortSignal', options.signal));
	}

	const onEvent = options.onEvent ?? (() => {});
	if (typeof onEvent !== 'function') {
		throw new UsageError(expected('onEvent', 'a function', onEvent));
	}

	const robots = options.robots ?? defaults.robots;
	if (!robotsModes.includes(robots)) {
		throw new UsageError(expected('robots', `one of ${robotsModes.join(', ')}`, robots));
	}

	const follow = selector('follow', options.follow, undefined);
	const next = selector('next', options.next, undefined);
	if (options.depth !== undefined && follow === undefined) {
		throw new UsageError('`depth` needs `follow`: the selector of the links to go down');
	}

	if (options.maxPages !== undefined && next === undefined) {
		throw new UsageError('`maxPages` needs `next`: the selector of next-page links, or auto');
	}

	const out = path.resolve(nonEmptyString('out', options.out, defaults.out));
	const maxSize = parseSize('maxSize', options.maxSize, defaults.maxSize);
	const minSize = parseSize('minSize', options.minSize, defaults.minSize);
	if (minSize > maxSize) {
		throw new UsageError(`Expected \`minSize\` (${minSize}) to be at most \`maxSize\` (${maxSize})`);
	}

	const dimensions = dimensionRules(options);
	const name = options.name === undefined ? undefined : checkNameTemplate(nonEmptyString('name', options.name, ''));
	const perHost = integer('perHost', options.perHost, {min: 1, fallback: defaults.perHost});
	const pools = concurrencies(options, perHost);
	const metadata = {
		sidecars: boolean('writeMetadata', options.writeMetadata, defaults.writeMetadata),
		file: options.metadataFile === undefined ? undefined : path.resolve(nonEmptyString('metadataFile', options.metadataFile, '')),
	};
	return {
		...pageList(options),
		out,
		...pools,
		extract: {
			selector: selector('selector', options.selector, defaults.selector),
			srcset,
			dataUris: boolean('dataUris', options.dataUris, defaults.dataUris),
			links: boolean('links', options.links, defaults.links),
			meta: boolean('meta', options.meta, defaults.meta),
			css: boolean('css', options.css, defaults.css),
			follow,
			next,
			maxPerPage: integer('maxPerPage', options.maxPerPage, {min: 1, fallback: defaults.maxPerPage}),
			// The page's titles are read only for metadata and names.
			...(wantsMetadata(metadata) || usesField(name, 'title') || usesField(name, 'pageTitle') ? {titles: true} : {}),
		},
		depth: integer('depth', options.depth, {min: 1, fallback: defaults.depth}),
		maxPages: integer('maxPages', options.maxPages, {min: 1, fallback: defaults.maxPages}),
		allowHost: hosts(options.allowHost),
		parseWorkers: parseWorkers(options.parseWorkers, defaults.parseWorkers),
		download: boolean('download', options.download, defaults.download),
		timeout: milliseconds('timeout', options.timeout, {min: 1, whole: true, fallback: defaults.timeout}),
		minSpeed: parseSize('minSpeed', options.minSpeed, defaults.minSpeed),
		maxRatio: integer('maxRatio', options.maxRatio, {fallback: defaults.maxRatio}),
		userAgent: headerValue('userAgent', options.userAgent, defaults.userAgent),
		perHost,
		rate: rate('rate', options.rate, defaults.rate),
		delay: milliseconds('delay', options.delay, {fallback: defaults.delay}),
		randomWait: boolean('randomWait', options.randomWait, defaults.randomWait),
		limitRate: parseSize('limitRate', options.limitRate, defaults.limitRate),
		robots,
		maxCrawlDelay: milliseconds('maxCrawlDelay', options.maxCrawlDelay, {fallback: defaults.maxCrawlDelay}),
		headers: headerLines(options.header),
		referer: referer(options.referer),
		cookie: cookieHeader(options.cookie),
		cookies: options.cookies === undefined ? undefined : nonEmptyString('cookies', options.cookies, ''),
		proxy: urlOption('proxy', options.proxy),
		insecure: boolean('insecure', options.insecure, defaults.insecure),
		http2: boolean('http2', options.http2, defaults.http2),
		retry: {
			retries: integer('retries', options.retries, {fallback: defaults.retries}),
			retryDelay: milliseconds('retryDelay', options.retryDelay, {whole: true, fallback: defaults.retryDelay}),
			maxRetryAfter: milliseconds('maxRetryAfter', options.maxRetryAfter, {whole: true, fallback: defaults.maxRetryAfter}),
			deadline: milliseconds('deadline', options.deadline, {whole: true, fallback: defaults.deadline}),
			pushback: pools.autoConcurrency,
		},
		maxRedirects: integer('maxRedirects', options.maxRedirects, {fallback: defaults.maxRedirects}),
		files: {
			maxSize,
			minSize,
			accept: acceptedTypes(options.accept),
			...dimensions,
			name,
			dedupeContent: boolean('dedupeContent', options.dedupeContent, defaults.dedupeContent),
			manifest: options.archive === undefined ? path.join(out, defaults.manifest) : path.resolve(nonEmptyString('archive', options.archive, '')),
		},
		imageRules: imageRules(options),
		range: imageRange(options),
		abort: options.abort === undefined ? undefined : integer('abort', options.abort, {min: 1}),
		overwrite: boolean('overwrite', options.overwrite, defaults.overwrite),
		metadata,
		mtime: boolean('mtime', options.mtime, defaults.mtime),
		render: resolveRender(options),
		signal: options.signal,
		onEvent,
	};
}
