import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {type ConfigKey, configKeys} from '../../config/config-options.js';
import {localConfigName} from '../../config/load-config.js';
import {type ConfigSource, type ResolvedConfig, resolveConfig} from '../../config/resolve-config.js';
import {starterConfig} from '../../config/starter.js';
import {defaults} from '../../defaults.js';
import {UsageError} from '../../errors.js';
import {hasPagePlaceholder} from '../../page-urls.js';
import {resolveOptions} from '../../resolve-options.js';
import {loadCliConfig, sourceName} from '../config-runs.js';
import {exitCodes, type CliIo} from '../io.js';
import type {InvocationOf} from '../parse-args.js';

/**
`imgscrape config [URL]`: the config file that was read, and every option in
effect for URL with where it came from. `--init` writes a starter file instead.
*/
export async function runConfig({url, options, cli}: InvocationOf<'config'>, io: CliIo): Promise<number> {
	if (cli.init) {
		return writeStarter(url, cli.config, io);
	}

	const found = await loadCliConfig(cli, io);
	const none: ResolvedConfig = {options: {}, sources: {}, site: undefined, profile: undefined};
	const resolved = found.config === undefined ? none : resolveConfig(found.config, url, {profile: found.profile});
	const {urls: _urls, download: _download, ...commandLine} = options;
	const effective: Record<string, unknown> = {...resolved.options, ...commandLine};
	if (url !== undefined) {
		// What a scrape of the URL would refuse, this refuses too (a page placeholder may wait for the scrape's --pages).
		resolveOptions({...(hasPagePlaceholder(url) ? {pages: [1]} : {}), ...effective, urls: [url]});
	}

	const lines = [
		`config file: ${found.config?.file ?? (found.disabled ? 'none (--no-config)' : `none (looked for ${found.searched.join(' and ')})`)}`,
		`url: ${url ?? 'none given'}`,
		`site: ${resolved.site ?? (found.config === undefined ? 'none' : siteList(Object.keys(found.config.sites), url))}`,
		`profile: ${found.profile ?? 'none'}`,
		'options:',
		...table(
			configKeys.map(key => {
				const given = Object.hasOwn(commandLine, key) && (commandLine as Record<string, unknown>)[key] !== undefined;
				const source = given ? 'command line' : sourceLabel(resolved.sources[key]);
				return [key, key in effective ? JSON.stringify(effective[key]) : builtIn(key), source];
			}),
		),
	];
	io.stdout.write(`${lines.join('\n')}\n`);
	return exitCodes.ok;
}

function siteList(patterns: string[], url: string | undefined): string {
	const known = patterns.length === 0 ? 'the file has no site entries' : `site entries: ${patterns.join(', ')}`;
	return url === undefined ? `none (${known})` : `none matches (${known})`;
}

function sourceLabel(source: ConfigSource | undefined): string {
	return source === undefined ? 'default' : sourceName(source);
}

/** A built-in default as the table shows it. */
function builtIn(key: ConfigKey): string {
	if (key === 'archive') {
		return `<out>/${defaults.manifest}`;
	}

	if (key === 'referer') {
		return 'images: their page';
	}

	const value = (defaults as Record<string, unknown>)[key];
	if (value === undefined) {
		return 'none';
	}

	return value === Number.POSITIVE_INFINITY ? 'no limit' : JSON.stringify(value);
}

/** Rows in aligned columns, indented. */
function table(rows: string[][]): string[] {
	const widths = [0, 1].map(column => Math.max(...rows.map(row => row[column]!.length)));
	return rows.map(([key, value, source]) => `  ${key!.padEnd(widths[0]!)}  ${value!.padEnd(Math.min(widths[1]!, 40))}  ${source}`);
}

async function writeStarter(url: string | undefined, config: string | false | undefined, io: CliIo): Promise<number> {
	if (url !== undefined) {
		throw new UsageError('config --init takes no URL: it writes the starter file to --config FILE, else ./imgscrape.config.json');
	}

	const file = path.resolve(io.cwd ?? process.cwd(), typeof config === 'string' && config !== '' ? config : localConfigName);
	try {
		await writeFile(file, starterConfig, {flag: 'wx'});
	} catch (error) {
		const {code, message} = error as NodeJS.ErrnoException;
		throw new UsageError(`Cannot write the config file \`${file}\`: ${code === 'EEXIST' ? 'it exists already (not overwritten)' : message}`);
	}

	io.stdout.write(`wrote ${file}\n`);
	return exitCodes.ok;
}
