/*
A first reading of the command line, before yargs: which command, and each
flag as the user spelled it with the raw text of its value, so every error can
speak in the user's words (`-c`, `abc`) rather than yargs' (`concurrency`,
`NaN`). It refuses what yargs would misread or name badly: an unknown flag
(with the nearest one), a flag of another command, a boolean given a value
(`--json=maybe`), a value flag left empty, a value outside its choices, and a
command that looks mistyped (`lsit`).
*/

import {UsageError} from '../errors.js';
import {builtinFlags, commandNames, conventionSpellings, type CommandName, type Flag, flagsFor, kebab} from './args.js';
import {didYouMean} from './suggest.js';

/** One flag as the command line gave it. */
export interface Spelled {
	/** As typed, its last time: `-c`, `--concurrency`, `--no-links`. */
	as: string;
	/** Each value's text, in order ('' for a boolean given alone). */
	raw: string[];
}

export interface Scan {
	command: CommandName;
	/** The arguments for yargs, with the conventions rewritten (`-nc` is `--no-overwrite`). */
	args: string[];
	/** By table key (`concurrency`). */
	spelled: Map<string, Spelled>;
}

interface Named {
	key: string;
	flag: Flag | undefined;
}

/** Every spelling a command takes (`concurrency`, `c`), to the table key. */
function namesOf(command: CommandName): Map<string, Named> {
	const names = new Map<string, Named>();
	for (const {key, flag} of flagsFor(command)) {
		const aliases = flag.alias === undefined ? [] : Array.isArray(flag.alias) ? flag.alias : [flag.alias as string];
		for (const name of [kebab(key), key, ...aliases]) {
			names.set(name, {key, flag});
		}
	}

	for (const [key, aliases] of Object.entries(builtinFlags)) {
		for (const name of [key, ...aliases]) {
			names.set(name, {key, flag: undefined});
		}
	}

	return names;
}

const takesNoValue = (flag: Flag | undefined): boolean => flag === undefined || flag.type === 'boolean';

/** Whether a flag name takes a value under any command: before the command is known, that decides what the next argument is. */
function takesValueAnywhere(name: string): boolean {
	return commandNames.some(command => {
		const named = namesOf(command).get(name);
		return named !== undefined && !takesNoValue(named.flag);
	});
}

/** A flag's spelling as typed: `-c` or `--concurrency`. */
function dashed(name: string): string {
	return name.length === 1 ? `-${name}` : `--${name}`;
}

/** Whether the argument after a value flag is its value, as yargs reads it: anything but another flag (a negative number, or `-` for stdin, is a value). */
function isValue(arg: string | undefined): arg is string {
	return arg !== undefined && (!arg.startsWith('-') || arg === '-' || /^-\d+(\.\d+)?$/.test(arg));
}

/** The command named by the first positional argument, if any; `scrape` otherwise. */
function findCommand(args: readonly string[]): {command: CommandName; index: number} {
	for (let index = 0; index < args.length; index++) {
		const arg = args[index]!;
		if (arg === '--') {
			break;
		}

		if (arg.startsWith('-') && arg !== '-') {
			const name = arg.replace(/^--?/, '').split('=')[0]!;
			if (!arg.includes('=') && takesValueAnywhere(name.startsWith('no-') ? '' : name) && isValue(args[index + 1])) {
				index++;
			}

			continue;
		}

		const command = commandNames.find(name => name === arg);
		return command === undefined ? {command: 'scrape', index: -1} : {command, index};
	}

	return {command: 'scrape', index: -1};
}

/** Commands that take no positional arguments. */
const noPositionals: ReadonlySet<CommandName> = new Set(['serve', 'demo', 'bench']);

export function scanArgs(given: readonly string[]): Scan {
	const args = given.map(arg => conventionSpellings[arg] ?? arg);
	const {command, index: commandIndex} = findCommand(args);
	const names = namesOf(command);
	const spelled = new Map<string, Spelled>();
	const positionals: string[] = [];
	const record = (key: string, as: string, raw: string): void => {
		const entry = spelled.get(key) ?? {as, raw: []};
		entry.as = as;
		entry.raw.push(raw);
		spelled.set(key, entry);
	};

	const unknown = (typed: string): UsageError => {
		const others = commandNames.filter(other => other !== command && namesOf(other).has(typed.replace(/^--?(no-)?/, '')));
		if (others.length > 0) {
			const takers = others.length === 1 ? others[0]! : `${others.slice(0, -1).join(', ')} and ${others.at(-1)!}`;
			return new UsageError(`${typed} is not an option of ${command}; only ${takers} take${others.length === 1 ? 's' : ''} it`);
		}

		const candidates = [...names.keys()].filter(name => name.length > 1 && !/[A-Z]/.test(name)).map(name => `--${name}`);
		return new UsageError(`unknown option ${typed}${didYouMean(typed, candidates)}`);
	};

	/** One flag with its value, if it came with one (`--flag=value`, `-c50`); returns how many following arguments it took. */
	const take = (name: string, typed: string, inline: string | undefined, next: string | undefined): number => {
		const negated = name.startsWith('no-') && !names.has(name) && names.has(name.slice(3));
		const named = names.get(negated ? name.slice(3) : name);
		if (named === undefined) {
			throw unknown(typed);
		}

		if (named.flag === undefined) {
			return 0;
		}

		if (negated || takesNoValue(named.flag)) {
			if (inline !== undefined && !/^(true|false)$/.test(inline)) {
				throw new UsageError(`${typed} takes no value, got \`${inline}\` (use ${typed} or --no-${kebab(named.key)})`);
			}

			// yargs takes a following true or false as a boolean's value.
			const word = inline === undefined && (next === 'true' || next === 'false') ? next : undefined;
			record(named.key, negated ? typed : dashed(name), inline ?? word ?? '');
			return word === undefined ? 0 : 1;
		}

		const value = inline ?? (isValue(next) ? next : undefined);
		if (value === undefined) {
			throw new UsageError(`${typed} needs a value${expectation(named.flag, ': ')}`);
		}

		if (value.trim() === '') {
			throw new UsageError(`${typed}: expected ${expectation(named.flag, '') || 'a value'}, got an empty value`);
		}

		const {choices} = named.flag;
		if (choices !== undefined && !(choices as unknown[]).includes(value)) {
			const list = (choices as string[]).join(', ');
			throw new UsageError(`${typed}: expected one of ${list}, got \`${value}\`${didYouMean(value, choices as string[])}`);
		}

		record(named.key, typed, value);
		return inline === undefined ? 1 : 0;
	};

	for (let index = 0; index < args.length; index++) {
		const arg = args[index]!;
		if (index === commandIndex) {
			continue;
		}

		if (arg === '--') {
			positionals.push(...args.slice(index + 1));
			break;
		}

		if (arg.startsWith('--')) {
			const [name, ...rest] = arg.slice(2).split('=');
			index += take(name!, `--${name!}`, rest.length > 0 ? rest.join('=') : undefined, args[index + 1]);
		} else if (arg.startsWith('-') && arg !== '-' && !/^-\d/.test(arg)) {
			index += shortFlags(arg, args[index + 1], take);
		} else {
			positionals.push(arg);
		}
	}

	checkPositionals(command, positionals);
	return {command, args, spelled};
}

/** `-c 5`, `-c5`, `-c=5`, `-qs`: letters that take no value, the last one may take the next argument. */
function shortFlags(
	arg: string,
	next: string | undefined,
	take: (name: string, typed: string, inline: string | undefined, next: string | undefined) => number,
): number {
	const letters = arg.slice(1);
	for (let index = 0; index < letters.length; index++) {
		const letter = letters[index]!;
		const rest = letters.slice(index + 1);
		if (rest.startsWith('=')) {
			return take(letter, `-${letter}`, rest.slice(1), undefined);
		}

		if (rest === '') {
			return take(letter, `-${letter}`, undefined, next);
		}

		// A letter followed by a non-letter holds its value (`-c50`, `-o/tmp`), as yargs reads it.
		if (/^[^A-Za-z]/.test(rest)) {
			return take(letter, `-${letter}`, rest, undefined);
		}

		take(letter, `-${letter}`, 'true', undefined);
	}

	return 0;
}

function checkPositionals(command: CommandName, positionals: readonly string[]): void {
	if (noPositionals.has(command) && positionals.length > 0) {
		throw new UsageError(`${command} takes no arguments, got \`${positionals[0]!}\``);
	}

	if (command === 'config' && positionals.length > 1) {
		throw new UsageError(`config takes one URL, got \`${positionals[1]!}\` too`);
	}

	// A first word that is no URL but is near a command is a mistyped command, not a page.
	const first = positionals[0];
	if (command === 'scrape' && first !== undefined && !/[.:/{]/.test(first)) {
		const hint = didYouMean(first, commandNames);
		if (hint !== '') {
			throw new UsageError(`unknown command \`${first}\`${hint}`);
		}
	}
}

/** What a value flag wants, for the message when it has none. */
function expectation(flag: Flag, lead: string): string {
	if (flag.choices !== undefined) {
		return `${lead}one of ${(flag.choices as string[]).join(', ')}`;
	}

	if (flag.unit === 'ms') {
		return `${lead}a duration such as 500 (ms), 500ms, 2s or 1m`;
	}

	return flag.type === 'number' ? `${lead}a number` : '';
}
