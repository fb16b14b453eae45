/**
The checks behind the options, the fixture server's options, `serve` and
`bench`. Each takes the name of what it checks, the value received and a rule,
and refuses in one shape, p-queue's:
Expected `concurrency` to be a whole number from 1 and up, got `0` (number).
A check throws `UsageError` unless the caller names its own error class.
*/

import {availableParallelism} from 'node:os';
import {UsageError} from './errors.js';

/**
The longest wait Node's timers can hold (a signed 32-bit count of ms, about
24.8 days). Past it setTimeout fires after 1 ms instead, with a warning, so a
longer delay would become a busy loop and a longer deadline no deadline at all.
*/
export const maxTimerMs = 2 ** 31 - 1;

/** Parse workers per available core, at most: beyond a few per core they only cost memory (each has a heap of its own). */
export const parseWorkersPerCore = 4;

/** The error class a check throws. */
export type Failure = new (message: string) => Error;

export function describe(value: unknown): string {
	return `\`${String(value)}\` (${typeof value})`;
}

/** The one shape of a refusal; `reason` says why when the value alone does not show it. */
export function expected(name: string, what: string, value: unknown, reason?: string): string {
	return `Expected \`${name}\` to be ${what}, got ${describe(value)}${reason === undefined ? '' : `: ${reason}`}`;
}

/** The parts of a refusal in `expected`'s shape, for a caller that names the option its own way (the CLI, by the flag as typed). */
export function unshaped(message: string): {name: string; what: string; value: string; reason: string | undefined} | undefined {
	const match = /^Expected `(\w+)` to (be |hold )?(.+?), got `(.*?)`(?: \((\w+)\))?(?:: (.*))?$/s.exec(message);
	if (match === null) {
		return undefined;
	}

	return {name: match[1]!, what: match[2] === undefined ? `to ${match[3]!}` : match[3]!, value: match[4]!, reason: match[6]};
}

/** Whether `value` is a whole number from `min` to `max`. */
export function isWholeNumber(value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

export function wholeNumberRange(min: number, max = Number.MAX_SAFE_INTEGER): string {
	return max === Number.MAX_SAFE_INTEGER ? `from ${min} and up` : `from ${min} to ${max}`;
}

export interface IntegerRule {
	/** @default 0 */
	min?: number;
	/** @default Number.MAX_SAFE_INTEGER */
	max?: number;
	/** Taken when the value is undefined; without it undefined is refused. */
	fallback?: number;
	/** @default UsageError */
	error?: Failure;
}

/** A whole number from `min` (0) to `max`. */
export function integer(name: string, value: unknown, {min = 0, max = Number.MAX_SAFE_INTEGER, fallback, error = UsageError}: IntegerRule = {}): number {
	if (value === undefined && fallback !== undefined) {
		return fallback;
	}

	if (!isWholeNumber(value, min, max)) {
		throw new error(expected(name, `a whole number ${wholeNumberRange(min, max)}`, value));
	}

	return value;
}

export function positiveNumber(name: string, value: unknown, fallback: number): number {
	if (value === undefined) {
		return fallback;
	}

	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		throw new UsageError(expected(name, 'a number above 0', value));
	}

	return value;
}

export interface MillisecondsRule {
	/** @default 0 */
	min?: 0 | 1;
	/** An integer, as undici's timeouts and the backoff want. @default false */
	whole?: boolean;
	/** Taken when the value is undefined; without it undefined is refused. */
	fallback?: number;
	/** @default UsageError */
	error?: Failure;
}

/** A wait or a time limit in ms, from `min` up to what a timer can hold. */
export function milliseconds(name: string, value: unknown, {min = 0, whole = false, fallback, error = UsageError}: MillisecondsRule = {}): number {
	if (value === undefined && fallback !== undefined) {
		return fallback;
	}

	const kind = whole ? 'a whole number of milliseconds' : 'a number of milliseconds';
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (whole && !Number.isInteger(value))) {
		throw new error(expected(name, `${kind} from ${min} to ${maxTimerMs}`, value));
	}

	if (value > maxTimerMs) {
		throw new error(expected(name, `at most ${maxTimerMs} ms (about 24.8 days, the longest wait Node's timers can hold)`, value));
	}

	return value;
}

/** The slowest rate whose spacing, 1000/rate ms, a timer can still hold. */
const minRate = 1000 / maxTimerMs;

/** Requests per second: above 0, and not so low that 1000/rate ms overflows a timer. */
export function rate(name: string, value: unknown, fallback: number): number {
	const checked = positiveNumber(name, value, fallback);
	if (checked < minRate) {
		throw new UsageError(
			expected(name, `at least ${minRate.toPrecision(3)} requests per second (one every ${maxTimerMs} ms, the longest wait Node's timers can hold)`, value),
		);
	}

	return checked;
}

/** Worker threads: 0 for none, `auto` for the cores minus one, at most a few per core. */
export function parseWorkers(value: unknown, fallback: number): number {
	if (value === undefined) {
		return fallback;
	}

	const cores = availableParallelism();
	if (value === 'auto') {
		return Math.max(1, cores - 1);
	}

	if (!isWholeNumber(value)) {
		throw new UsageError(expected('parseWorkers', `a whole number ${wholeNumberRange(0)} or \`auto\``, value));
	}

	const max = parseWorkersPerCore * cores;
	if (value > max) {
		throw new UsageError(expected('parseWorkers', `at most ${max} (${parseWorkersPerCore} per available core, ${cores} here)`, value));
	}

	return value;
}

const sizeUnits: Readonly<Record<string, number>> = {'': 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3};

/** A byte count: a whole number, or a string such as `500k`, `10MB`, `2MiB` (k, M, G are powers of 1000; KiB, MiB, GiB of 1024). */
export function parseSize(name: string, value: unknown, fallback: number): number {
	if (value === undefined) {
		return fallback;
	}

	if (typeof value === 'number') {
		return integer(name, value);
	}

	const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value) : null;
	const unit = sizeUnits[match?.[2]?.toLowerCase() ?? 'none'];
	if (match === null || unit === undefined) {
		throw new UsageError(expected(name, 'a size such as 500000, 500k, 10MB or 2MiB', value));
	}

	return Math.round(Number(match[1]) * unit);
}

export function nonEmptyString(name: string, value: unknown, fallback: string): string {
	if (value === undefined) {
		return fallback;
	}

	if (typeof value !== 'string' || value.trim() === '') {
		throw new UsageError(expected(name, 'a non-empty string', value));
	}

	return value;
}

export function boolean(name: string, value: unknown, fallback: boolean): boolean {
	if (value === undefined) {
		return fallback;
	}

	if (typeof value !== 'boolean') {
		throw new UsageError(expected(name, 'a boolean', value));
	}

	return value;
}

/** An absolute http or https URL, parsed. */
export function httpUrl(name: string, value: unknown, error: Failure = UsageError): URL {
	let url: URL | undefined;
	let reason: string | undefined;
	try {
		url = typeof value === 'string' ? new URL(value) : undefined;
	} catch (parseError) {
		reason = (parseError as Error).message;
	}

	if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new error(expected(name, 'an http or https URL', value, reason));
	}

	return url;
}

/** A JavaScript regular expression: a RegExp, or its source as a string (no flags). */
export function regExp(name: string, value: unknown): RegExp {
	if (value instanceof RegExp) {
		return value;
	}

	if (typeof value !== 'string' || value === '') {
		throw new UsageError(expected(name, 'a regular expression', value));
	}

	try {
		return new RegExp(value);
	} catch (error) {
		throw new UsageError(expected(name, 'a valid JavaScript regular expression', value, (error as Error).message));
	}
}

/**
A sed-style rewrite, `s/REGEX/REPLACEMENT/FLAGS`: any delimiter after the `s`
(`s#/thumbs/#/full/#`), the delimiter escaped with a backslash inside a part,
JavaScript regex syntax and flags, `$1`-style references in the replacement.
*/
export function rewriteRule(name: string, value: unknown): {pattern: RegExp; replacement: string} {
	const form = "'s/REGEX/REPLACEMENT/FLAGS'";
	if (typeof value !== 'string' || value.length < 4 || value[0] !== 's' || /[\w\s\\]/.test(value[1]!)) {
		throw new UsageError(expected(name, `a rewrite such as ${form}`, value));
	}

	const delimiter = value[1]!;
	const parts: string[] = [''];
	for (let index = 2; index < value.length; index++) {
		const char = value[index]!;
		if (char === '\\' && value[index + 1] === delimiter) {
			parts[parts.length - 1] += delimiter;
			index++;
		} else if (char === '\\') {
			// Any other escape belongs to the regex (or the replacement) as written.
			parts[parts.length - 1] += char + (value[index + 1] ?? '');
			index++;
		} else if (char === delimiter) {
			parts.push('');
		} else {
			parts[parts.length - 1] += char;
		}
	}

	if (parts.length !== 3 || parts[0] === '') {
		throw new UsageError(expected(name, `a rewrite such as ${form}`, value, `three parts separated by \`${delimiter}\` are needed`));
	}

	const [source, replacement, flags] = parts as [string, string, string];
	try {
		return {pattern: new RegExp(source, flags), replacement};
	} catch (error) {
		throw new UsageError(expected(name, `a rewrite such as ${form}`, value, (error as Error).message));
	}
}

/** Positions `first` to `last` (1-based, inclusive; `last` Infinity for `A-`). */
export interface PositionRange {
	first: number;
	last: number;
}

/** A range of positions: `A-B`, `A-` (open-ended) or `A`. */
export function positionRange(name: string, value: unknown): PositionRange {
	const match = typeof value === 'string' ? /^\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?$/.exec(value) : null;
	if (match === null) {
		throw new UsageError(expected(name, 'a range such as 1-50, 20- or 7', value));
	}

	const first = Number(match[1]);
	const last = match[2] === undefined ? first : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
	if (first < 1 || last < first || !Number.isSafeInteger(first) || (Number.isFinite(last) && !Number.isSafeInteger(last))) {
		throw new UsageError(expected(name, 'a range counting up from 1, such as 1-50 or 20-', value));
	}

	return {first, last};
}
