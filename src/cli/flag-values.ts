/*
From yargs' strings to the values the options take, in the user's words: the
last of a single-value flag given twice, the list of a repeatable one (joined
when its option is one string), numbers read strictly (no `0x10`, no `1e3`,
no empty value read as 0) and durations with units. A refusal of the options
(resolveOptions, which speaks of `concurrency` and a parsed `0`) is put back in
the words typed: `-c: expected a whole number from 1 and up, got \`0\``.
*/

import {UsageError} from '../errors.js';
import {unshaped} from '../validate.js';
import type {Flag} from './args.js';
import type {Spelled} from './argv-scan.js';

/** A plain decimal number, exponent allowed (`1e-7` requests/s): what a user means by a number; not `0x10`, `0b1`, `Infinity`. */
const decimal = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i;

const durationUnits: Readonly<Record<string, number>> = {'': 1, ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000};

/** Milliseconds from `500`, `500ms`, `2s`, `1.5m`, `1h`; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
	const match = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i.exec(text.trim());
	const unit = durationUnits[match?.[2]?.toLowerCase() ?? 'none'];
	if (match === null || unit === undefined) {
		return undefined;
	}

	// In ms as given (1.5 stays 1.5, for the check of a whole number to refuse); with a unit, to the nearest ms.
	return unit === 1 ? Number(match[1]) : Math.round(Number(match[1]) * unit);
}

/** A number as typed, or undefined when it is not a plain decimal. */
export function parseNumber(text: string): number | undefined {
	return decimal.test(text.trim()) ? Number(text) : undefined;
}

function toNumber(flag: Flag, value: unknown, typed: string): unknown {
	if (typeof value === 'number') {
		return value;
	}

	const text = value === false ? 'false' : String(value);
	const number = typeof value === 'string' ? (flag.unit === 'ms' ? parseDuration(value) : parseNumber(value)) : undefined;
	if (number === undefined) {
		const what = flag.unit === 'ms' ? 'a duration such as 500 (ms), 500ms, 2s or 1m' : 'a number';
		throw new UsageError(`${typed}: expected ${what}, got \`${text}\``);
	}

	return number;
}

/** One flag's value for its option, from what yargs gathered; `spelled` says how it was typed. */
export function flagValue(key: string, flag: Flag, value: unknown, spelled: Spelled | undefined): unknown {
	const typed = spelled?.as ?? `--${key}`;
	let single = value;
	if (Array.isArray(value) && flag.repeatable !== true) {
		single = value.at(-1);
	} else if (Array.isArray(value) && flag.join !== undefined) {
		single = value.map(String).join(flag.join);
	} else if (flag.join !== undefined && flag.repeatable === true && spelled !== undefined && spelled.raw.length > 1 && !Array.isArray(value)) {
		single = spelled.raw.join(flag.join);
	}

	const each = (one: unknown): unknown => {
		const coerced = flag.coerce === undefined ? one : (flag.coerce as (v: unknown) => unknown)(one);
		return flag.type === 'number' ? toNumber(flag, coerced, typed) : coerced;
	};

	return Array.isArray(single) ? single.map(each) : each(single);
}

/**
A refusal put in the words typed: the option's name becomes the flag as
spelled, its parsed value the raw text given, and the `(number)` of the
library's messages goes.
*/
export function inUserTerms(message: string, spelled: ReadonlyMap<string, Spelled>): string {
	const shaped = unshaped(message);
	if (shaped !== undefined) {
		const entry = spelled.get(shaped.name);
		const given = entry?.raw.at(-1);
		// The raw text when the message quotes the whole value (`2s` for 2000), not a part of it (one type of a list).
		const value = given !== undefined && (given === shaped.value || rawMeans(given, shaped.value)) ? given : shaped.value;
		const name = entry?.as ?? `\`${shaped.name}\``;
		return `${name}: expected ${shaped.what}, got \`${value}\`${shaped.reason === undefined ? '' : `: ${shaped.reason}`}`;
	}

	// Other options named in the message, as typed; one the command line did not give came from a config file, and keeps its key.
	return message.replaceAll(/`(\w+)`/g, (whole, name: string) => spelled.get(name)?.as ?? whole);
}

function rawMeans(raw: string, value: string): boolean {
	const parsed = parseDuration(raw) ?? parseNumber(raw);
	return parsed !== undefined && String(parsed) === value;
}
