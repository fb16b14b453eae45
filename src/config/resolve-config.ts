/**
The options a config gives one start URL: `defaults`, then the site entry
that matches its host, then the named profile, each over the one before, and
where each option came from.
*/

import {UsageError} from '../errors.js';
import {type Config, checkedConfig, suggest} from './check-config.js';
import type {ConfigKey, ConfigOptions} from './config-options.js';

/** Which part of a config set an option. */
export type ConfigSource = {from: 'defaults'} | {from: 'site'; site: string} | {from: 'profile'; profile: string};

export interface ResolvedConfig {
	/** The options the config sets for the URL, as `scrape()` takes them (the command line's go over them). */
	options: ConfigOptions;
	/** Where each of `options` came from. */
	sources: Partial<Record<ConfigKey, ConfigSource>>;
	/** The host pattern of the site entry that applies, if any. */
	site: string | undefined;
	profile: string | undefined;
}

export interface ResolveConfigOptions {
	/** A profile of the config to apply over the site entry. */
	profile?: string | undefined;
}

/** A URL's host and port (the scheme's default when none is given); undefined when it is no http(s) URL. */
function hostOf(url: string): {host: string; port: string} | undefined {
	try {
		const parsed = new URL(url);
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
			return undefined;
		}

		return {host: parsed.hostname.toLowerCase(), port: parsed.port || (parsed.protocol === 'https:' ? '443' : '80')};
	} catch {
		return undefined;
	}
}

/** How closely a pattern matches: 0 for not at all; an exact host beats a wildcard, a port beats none, a longer domain a shorter one. */
function matchScore(pattern: string, host: string, port: string): number {
	const [name = '', wanted] = pattern.split(':');
	if (wanted !== undefined && wanted !== port) {
		return 0;
	}

	const withPort = wanted === undefined ? 0 : 500;
	if (name.startsWith('*.')) {
		const domain = name.slice(2);
		return host === domain || host.endsWith(`.${domain}`) ? 1000 + withPort + domain.length : 0;
	}

	return name === host ? 2000 + withPort : 0;
}

/**
The site entry for a URL: the host pattern that matches it most closely
(`www.example.com` over `*.example.com`, `*.cdn.example.com` over
`*.example.com`, `host:port` over `host`). `*.example.com` matches
example.com itself and every name under it. Undefined when none matches.
*/
export function matchSite(config: Pick<Config, 'sites'>, url: string): string | undefined {
	const target = hostOf(url);
	if (target === undefined) {
		return undefined;
	}

	let best: string | undefined;
	let bestScore = 0;
	for (const pattern of Object.keys(config.sites)) {
		const score = matchScore(pattern, target.host, target.port);
		if (score > bestScore) {
			best = pattern;
			bestScore = score;
		}
	}

	return best;
}

/**
The options a config sets for a start URL (or, without one, those of every
URL): `defaults`, the matching site entry, then `profile`, each replacing
the options it names (a `null` puts one back to the built-in default).
Throws a `UsageError` for a profile the config does not have.
*/
export function resolveConfig(config: Config, url?: string, {profile}: ResolveConfigOptions = {}): ResolvedConfig {
	const whole = checkedConfig(config);
	const site = url === undefined ? undefined : matchSite(whole, url);
	if (profile !== undefined && !Object.hasOwn(whole.profiles, profile)) {
		const names = Object.keys(whole.profiles);
		const known = names.length === 0 ? 'it has none' : `expected one of ${names.join(', ')}`;
		const near = suggest(profile, names);
		throw new UsageError(`${whole.file ?? 'config'}: no profile \`${profile}\`: ${known}${near === undefined ? '' : `; did you mean \`${near}\`?`}`);
	}

	const options: Record<string, unknown> = {};
	const sources: Partial<Record<ConfigKey, ConfigSource>> = {};
	const layers: Array<[ConfigOptions | undefined, ConfigSource]> = [
		[whole.defaults, {from: 'defaults'}],
		[site === undefined ? undefined : whole.sites[site], {from: 'site', site: site!}],
		[profile === undefined ? undefined : whole.profiles[profile], {from: 'profile', profile: profile!}],
	];
	for (const [layer, source] of layers) {
		for (const [key, value] of Object.entries(layer ?? {})) {
			if (value === null) {
				delete options[key];
				delete sources[key as ConfigKey];
			} else {
				options[key] = value;
				sources[key as ConfigKey] = source;
			}
		}
	}

	return {options: options as ConfigOptions, sources, site, profile};
}
