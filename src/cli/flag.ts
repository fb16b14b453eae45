/**
What a flag of the CLI's table is (src/cli/args.ts has the table): how yargs
reads it, the commands that take it, whether it repeats or takes a unit, and
the typing that makes every option of a section have a flag or say it has none.
*/

import type {Options} from 'yargs';

export type CommandName = 'scrape' | 'list' | 'serve' | 'demo' | 'bench' | 'config' | 'join' | 'status' | 'forget';

/** How yargs reads a flag (camelCase here; given kebab-case on the command line), and the commands that take it. */
export interface Flag extends Pick<Options, 'alias' | 'type' | 'array' | 'choices' | 'coerce' | 'default' | 'defaultDescription' | 'group'> {
	describe: string;
	commands: readonly CommandName[];
	/**
	Given twice, the flag keeps every value (`-H a -H b`); any other flag takes
	its last, as wget and curl do (`-o a -o b` is `-o b`).
	*/
	repeatable?: true;
	/** For a repeatable flag whose option is one string: the values are joined with this (`--cookie a=1 --cookie b=2` is `a=1; b=2`). */
	join?: string;
	/** `ms`: a duration, plain numbers in milliseconds or with a unit (`500ms`, `2s`, `1m`, `1h`). */
	unit?: 'ms';
}

/** Whether an option's type takes a list. */
type TakesList<V> = [Extract<V, readonly unknown[]>] extends [never] ? false : true;

/** Every key of `T` with a flag or `null` for none; an option that takes a list has a repeatable flag. */
export type Section<T> = {[K in keyof T]-?: (TakesList<T[K]> extends true ? Flag & {repeatable: true} : Flag) | null};

/** The keys of a section that have a flag. */
export type Flagged<S> = {[K in keyof S]: S[K] extends null ? never : K}[keyof S];

export const pages: readonly CommandName[] = ['scrape', 'list'];
export const scrapeOnly: readonly CommandName[] = ['scrape'];
/** The flags a worker joining a crawl may set for itself: the rest are the crawl's. */
export const pagesAndJoin: readonly CommandName[] = ['scrape', 'list', 'join'];
export const scrapeAndJoin: readonly CommandName[] = ['scrape', 'join'];

export function shown(value: unknown): {defaultDescription: string} {
	return {defaultDescription: String(value)};
}

/** A flag that takes a count or a word (`auto`): plain decimal digits become a number, anything else (`0x10`, `1e3`, a typo) stays the string it is, to be refused as typed. */
export function countOrWord(value: unknown): unknown {
	return typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}
