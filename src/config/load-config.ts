/**
Finding and reading the config file: JSON with comments (and trailing
commas), parsed by jsonc-parser, the parser of VS Code's settings files.
*/

import {readFile} from 'node:fs/promises';
import {homedir} from 'node:os';
import path from 'node:path';
import {type ParseError, parse, printParseErrorCode} from 'jsonc-parser';
import {UsageError} from '../errors.js';
import {type Config, checkConfig, markChecked} from './check-config.js';

/** The config file's name in the working folder. */
export const localConfigName = 'imgscrape.config.json';

export interface ConfigLookup {
	/** `--config FILE`, or `false` for `--no-config`. */
	explicit?: string | false | undefined;
	/** @default process.cwd() */
	cwd?: string | undefined;
	/** For XDG_CONFIG_HOME and HOME. @default process.env */
	env?: Record<string, string | undefined> | undefined;
}

/** Where a config file is looked for, in order; the first that exists is read. */
export function configCandidates({cwd = process.cwd(), env = process.env}: ConfigLookup = {}): string[] {
	const xdg = env.XDG_CONFIG_HOME;
	// The XDG Base Directory spec: a relative XDG_CONFIG_HOME is invalid and is to be ignored.
	const configHome = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(env.HOME ?? homedir(), '.config');
	return [path.resolve(cwd, localConfigName), path.join(configHome, 'imgscrape', 'config.json')];
}

/** What was read, and how it was chosen. */
export interface FoundConfig {
	/** The config; undefined when none was read. */
	config: Config | undefined;
	/** Why none was read, or which places were looked at: for `imgscrape config`. */
	searched: string[];
	disabled: boolean;
}

/**
The config the command line asks for: `--config FILE` (which must exist), none
with `--no-config`, or else the first of `./imgscrape.config.json` and
`$XDG_CONFIG_HOME/imgscrape/config.json` (`~/.config/...`) that exists.
*/
export async function findConfig(lookup: ConfigLookup = {}): Promise<FoundConfig> {
	if (lookup.explicit === false) {
		return {config: undefined, searched: [], disabled: true};
	}

	if (lookup.explicit !== undefined) {
		return {config: await loadConfig(path.resolve(lookup.cwd ?? process.cwd(), lookup.explicit)), searched: [], disabled: false};
	}

	const searched = configCandidates(lookup);
	for (const file of searched) {
		const text = await readText(file, true);
		if (text !== undefined) {
			return {config: parseConfig(text, file, homeOf(lookup)), searched, disabled: false};
		}
	}

	return {config: undefined, searched, disabled: false};
}

function homeOf(lookup: ConfigLookup): string {
	return (lookup.env ?? process.env).HOME ?? homedir();
}

async function readText(file: string, optional: boolean): Promise<string | undefined> {
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		const {code, message} = error as NodeJS.ErrnoException;
		if (optional && (code === 'ENOENT' || code === 'ENOTDIR')) {
			return undefined;
		}

		throw new UsageError(`Cannot read the config file \`${file}\`: ${code === 'ENOENT' ? 'no such file' : message}`);
	}
}

/** The line and column (from 1) of an offset in `text`. */
function position(text: string, offset: number): string {
	const before = text.slice(0, offset).split('\n');
	return `${before.length}:${before.at(-1)!.length + 1}`;
}

/** `CloseBraceExpected` as words: `close brace expected`. */
function words(code: string): string {
	return code.replaceAll(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
}

/** Parse and check a config file's text; `file` names it in refusals. */
export function parseConfig(text: string, file: string, home?: string): Config {
	const errors: ParseError[] = [];
	const value: unknown = parse(text, errors, {allowTrailingComma: true, disallowComments: false});
	const [first] = errors;
	if (first !== undefined) {
		throw new UsageError(`${file}:${position(text, first.offset)}: not valid JSON with comments: ${words(printParseErrorCode(first.error))}`);
	}

	return markChecked({file, ...checkConfig(value, file, home)});
}

/**
Read a config file (JSON with comments), checked as the command line is: an
unknown key, a wrong type or a bad value rejects with a one-line `UsageError`
naming the file and the key path.
*/
export async function loadConfig(file: string): Promise<Config> {
	const absolute = path.resolve(file);
	return parseConfig((await readText(absolute, false))!, absolute);
}
