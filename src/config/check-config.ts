/**
A config file's contents checked as the command line's flags are: every key
known, every value through the same validation as `scrape()`'s options. A
refusal is one line naming the file, the key path, what was expected and,
where one is near, a suggestion.
*/

import {homedir} from 'node:os';
import path from 'node:path';
import {closest, distance} from 'fastest-levenshtein';
import {UsageError} from '../errors.js';
import type {ScrapeOptions} from '../options.js';
import {resolveOptions} from '../resolve-options.js';
import {type ConfigOptions, configKeys, isConfigKey, pathKeys} from './config-options.js';

/** A config: options for every run, per site (host pattern), and named profiles. */
export interface Config {
	/** The file it was read from, absolute; absent for a config built in code. */
	file?: string | undefined;
	defaults: ConfigOptions;
	/** Host patterns (`example.com`, `*.example.com`, `127.0.0.1:8080`) to their options. */
	sites: Record<string, ConfigOptions>;
	profiles: Record<string, ConfigOptions>;
}

const sections = ['defaults', 'sites', 'profiles'] as const;

/** A host, or `*.` and a domain, with an optional port. */
const hostPattern = /^(?:\*\.)?[a-z\d](?:[a-z\d-]*[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]*[a-z\d])?)*(?::\d{1,5})?$/i;

/** A key path as a person would write it: `sites."*.example.com".selector`. */
export function keyPath(segments: readonly string[]): string {
	return segments.map(segment => (/^[A-Za-z_$][\w$]*$/.test(segment) ? segment : JSON.stringify(segment))).join('.');
}

/** The nearest of `candidates`, when it is near enough to be what was meant. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
	if (candidates.length === 0) {
		return undefined;
	}

	const camel = word.replaceAll(/[-_]([a-z])/g, (_match, letter: string) => letter.toUpperCase());
	if (camel !== word && candidates.includes(camel)) {
		return camel;
	}

	const nearest = closest(word.toLowerCase(), [...candidates]);
	return distance(word.toLowerCase(), nearest.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? nearest : undefined;
}

function didYouMean(suggestion: string | undefined): string {
	return suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`;
}

/** A JSON value as a refusal shows it. */
function shown(value: unknown): string {
	const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
	return `\`${JSON.stringify(value)}\` (${kind})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The one-line refusal of what stands at `segments` in `source`. */
function refuse(source: string, segments: readonly string[], message: string): UsageError {
	return new UsageError(`${source}: ${segments.length === 0 ? '' : `${keyPath(segments)}: `}${message}`);
}

/** What a value that is nearly right should have been written as. */
function hint(message: string, value: unknown): string {
	if (typeof value === 'string') {
		if (/a (?:whole )?number|a size/.test(message) && value.trim() !== '' && Number.isFinite(Number(value))) {
			return `; write it without quotes: ${Number(value)}`;
		}

		if (message.includes('a boolean') && (value === 'true' || value === 'false')) {
			return `; write it without quotes: ${value}`;
		}

		const choices = /one of ([\w, -]+)/.exec(message)?.[1]?.split(', ');
		if (choices !== undefined) {
			return didYouMean(suggest(value, choices));
		}
	}

	return '';
}

/**
One option's value, through `resolveOptions` alone with what it needs beside
it (a placeholder for `pages`, `follow` for `depth`, `next` for `maxPages`),
so a file and the command line can never be checked differently.
*/
function checkValue(source: string, segments: readonly string[], key: string, value: unknown): void {
	const probe = {
		urls: [key === 'pages' ? 'http://config.invalid/{page}' : 'http://config.invalid/'],
		...(key === 'depth' ? {follow: 'a'} : {}),
		...(key === 'maxPages' ? {next: 'auto'} : {}),
		[key]: value,
	} as ScrapeOptions;
	try {
		resolveOptions(probe);
	} catch (error) {
		if (!(error instanceof UsageError)) {
			throw error;
		}

		const message = error.message.replace(/^Expected `\w+` to be /, 'expected ').replace(/^Expected `\w+` to /, 'expected to ');
		throw refuse(source, segments, `${message}${hint(message, value)}`);
	}
}

/** An option object, checked key by key; `~/` in paths is expanded; `null` is kept, meaning the built-in default. */
function checkOptions(source: string, segments: readonly string[], value: unknown, home: string): ConfigOptions {
	if (!isObject(value)) {
		throw refuse(source, segments, `expected an object of options, got ${shown(value)}`);
	}

	const options: Record<string, unknown> = {};
	for (const [key, option] of Object.entries(value)) {
		const at = [...segments, key];
		if (!isConfigKey(key)) {
			throw refuse(source, at, `unknown option: expected an option of scrape() (camelCase)${didYouMean(suggest(key, configKeys))}`);
		}

		const expanded = pathKeys.has(key) && typeof option === 'string' && option.startsWith('~/') ? path.join(home, option.slice(2)) : option;
		if (expanded !== null) {
			checkValue(source, at, key, expanded);
		}

		options[key] = expanded;
	}

	return options as ConfigOptions;
}

function checkSites(source: string, value: unknown, home: string): Record<string, ConfigOptions> {
	if (!isObject(value)) {
		throw refuse(source, ['sites'], `expected an object of host patterns, got ${shown(value)}`);
	}

	const sites: Record<string, ConfigOptions> = {};
	for (const [pattern, options] of Object.entries(value)) {
		if (!hostPattern.test(pattern)) {
			throw refuse(
				source,
				['sites', pattern],
				`expected a host pattern such as example.com, *.example.com or 127.0.0.1:8080${didYouMean(patternFor(pattern))}`,
			);
		}

		sites[pattern.toLowerCase()] = checkOptions(source, ['sites', pattern], options, home);
	}

	return sites;
}

/** The pattern a near miss meant: the host of a URL, or a wildcard without its dot. */
function patternFor(pattern: string): string | undefined {
	if (/^\*[^.]/.test(pattern) && hostPattern.test(`*.${pattern.slice(1)}`)) {
		return `*.${pattern.slice(1)}`;
	}

	try {
		const {host} = new URL(pattern.includes('://') ? pattern : `http://${pattern}`);
		return hostPattern.test(host) ? host : undefined;
	} catch {
		return undefined;
	}
}

function checkProfiles(source: string, value: unknown, home: string): Record<string, ConfigOptions> {
	if (!isObject(value)) {
		throw refuse(source, ['profiles'], `expected an object of named profiles, got ${shown(value)}`);
	}

	return Object.fromEntries(Object.entries(value).map(([name, options]) => [name, checkOptions(source, ['profiles', name], options, home)]));
}

/**
Check what a config file holds (or a config built in code) and give it its
full shape. `source` names it in refusals (the file's path). Throws a
`UsageError` of one line for the first thing wrong.
*/
export function checkConfig(value: unknown, source: string, home = homedir()): Config {
	if (!isObject(value)) {
		throw refuse(source, [], `expected an object with defaults, sites or profiles, got ${shown(value)}`);
	}

	for (const key of Object.keys(value)) {
		if (!(sections as readonly string[]).includes(key)) {
			const option = isConfigKey(key) ? `; options go inside "defaults": {"${key}": ...}` : didYouMean(suggest(key, sections));
			throw refuse(source, [key], `unknown key: expected defaults, sites or profiles${option}`);
		}
	}

	return {
		defaults: value.defaults === undefined ? {} : checkOptions(source, ['defaults'], value.defaults, home),
		sites: value.sites === undefined ? {} : checkSites(source, value.sites, home),
		profiles: value.profiles === undefined ? {} : checkProfiles(source, value.profiles, home),
	};
}

/** Configs known to be checked: those read from a file, and those built in code once checked. */
const checked = new WeakMap<Config, Config>();

/** Remember a config as checked, so resolving it for each start URL does not check it again. */
export function markChecked(config: Config): Config {
	checked.set(config, config);
	return config;
}

/** A config as checked: one built in code is checked once (its sections may be left out). */
export function checkedConfig(config: Config): Config {
	const known = checked.get(config);
	if (known !== undefined) {
		return known;
	}

	const {file, ...sections} = config as Config & Record<string, unknown>;
	const result = markChecked({file, ...checkConfig(sections, file ?? 'config')});
	checked.set(config, result);
	return result;
}
