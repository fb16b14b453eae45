/**
The config file on the command line: which one is read, and the runs a
command makes of its start URLs. Each start URL takes the options of the site
entry matching its host; URLs whose site entries differ cannot share one run
(one set of options per run), so the command makes one run per site entry, in
the order their first URLs were given, one after the other.
*/

import type {Config} from '../config/check-config.js';
import {type FoundConfig, findConfig} from '../config/load-config.js';
import {type ConfigSource, resolveConfig} from '../config/resolve-config.js';
import {UsageError} from '../errors.js';
import type {ResolvedOptions, ScrapeOptions} from '../options.js';
import {resolveOptions} from '../resolve-options.js';
import type {CliFlags, CommandLineOptions} from './args.js';
import type {CliIo} from './io.js';

/** Read the config file the flags ask for, and say which profile applies; a `--profile` without any config file is refused. */
export async function loadCliConfig(flags: Pick<CliFlags, 'config' | 'profile'>, io: CliIo): Promise<FoundConfig & {profile: string | undefined}> {
	// Given more than once (`--config a.json --no-config`), the last one says: the flags arrive so (flag-values.ts).
	const cli = {config: flags.config, profile: flags.profile};
	if (cli.config === '') {
		throw new UsageError('--config needs a FILE (or --no-config for none)');
	}

	if (cli.profile === '') {
		throw new UsageError('--profile needs the NAME of a profile of the config file');
	}

	const found = await findConfig({explicit: cli.config, cwd: io.cwd, env: io.env});
	if (cli.profile !== undefined && found.config === undefined) {
		const why = found.disabled ? '--no-config reads none' : `none was found (looked for ${found.searched.join(' and ')})`;
		throw new UsageError(`--profile ${cli.profile} needs a config file: ${why}`);
	}

	return {...found, profile: cli.profile};
}

/** One run of a command: the start URLs that share a site entry, and their options, the command line's over the config's. */
export interface PlannedRun {
	/** The host pattern of the site entry, when one applies. */
	site: string | undefined;
	options: ScrapeOptions & {urls: string[]};
	/** The config file, and where each option it gives the run came from (those the command line did not replace). */
	file?: string | undefined;
	sources: Partial<Record<string, ConfigSource>>;
}

/** The runs for these start URLs: one when there is no config file or every URL takes the same site entry. */
export function planRuns(config: Config | undefined, urls: readonly string[], commandLine: CommandLineOptions, profile: string | undefined): PlannedRun[] {
	if (config === undefined) {
		return [{site: undefined, options: {...commandLine, urls: [...urls]}, sources: {}}];
	}

	const runs = new Map<string, PlannedRun>();
	for (const url of urls) {
		const resolved = resolveConfig(config, url, {profile});
		const key = resolved.site ?? '';
		const run = runs.get(key);
		if (run === undefined) {
			const sources = Object.fromEntries(Object.entries(resolved.sources).filter(([option]) => (commandLine as Record<string, unknown>)[option] === undefined));
			runs.set(key, {site: resolved.site, options: {...resolved.options, ...commandLine, urls: [url]}, file: config.file, sources});
		} else {
			run.options.urls.push(url);
		}
	}

	return [...runs.values()];
}

/**
Resolve a run's options. A refusal that names an option the config file set
(`depth` needs `follow`, with `depth` from a site entry) says where it was set,
since the command line shows no sign of it.
*/
export function resolveRun(run: PlannedRun, signal: AbortSignal | undefined): ResolvedOptions {
	try {
		return resolveOptions({...run.options, signal});
	} catch (error) {
		const named =
			error instanceof UsageError ? [...error.message.matchAll(/`(\w+)`/g)].map(match => match[1]!).find(key => run.sources[key] !== undefined) : undefined;
		if (named === undefined) {
			throw error;
		}

		throw new UsageError(`${(error as Error).message} (\`${named}\` is set by ${run.file ?? 'the config'}: ${sourceName(run.sources[named]!)})`);
	}
}

/** Where in a config an option was set, as `imgscrape config` names it. */
export function sourceName(source: ConfigSource): string {
	switch (source.from) {
		case 'defaults': {
			return 'config defaults';
		}

		case 'site': {
			return `site ${source.site}`;
		}

		case 'profile': {
			return `profile ${source.profile}`;
		}
	}
}

/** The line that opens each of several runs, naming its site entry. */
export function runHeading(run: PlannedRun, index: number, count: number): string {
	const pages = run.options.urls.length;
	return `imgscrape: run ${index + 1} of ${count}: ${run.site === undefined ? 'no site entry' : `site ${run.site}`}, ${pages} start page${pages === 1 ? '' : 's'}\n`;
}
