/**
The checks behind `resolveOptions`: each takes the option's name, the value
received and its default, and throws a `UsageError` that names both when the
value is out of range.
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

export function describe(value: unknown): string {
	return `\`${String(value)}\` (${typeof value})`;
}

function integerFrom(min: 0 | 1, name: string, value: unknown, fallback: number): number {
	if (value === undefined) {
		return fallback;
	}

	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
		throw new UsageError(`Expected \`${name}\` to be a whole number from ${min} and up, got ${describe(value)}`);
	}

	return value;
}

export function positiveInteger(name: string, value: unknown, fallback: number): number {
	return integerFrom(1, name, value, fallback);
}

export function wholeNumber(name: string, value: unknown, fallback: number): number {
	return integerFrom(0, name, value, fallback);
}

export function positiveNumber(name: string, value: unknown, fallback: number): number {
	if (value === undefined) {
		return fallback;
	}

	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		throw new UsageError(`Expected \`${name}\` to be a number above 0, got ${describe(value)}`);
	}

	return value;
}

/**
A wait or a time limit in ms, from `min` up to what a timer can hold.
`whole` asks for an integer, as undici's timeouts and the backoff want.
*/
export function milliseconds(name: string, value: unknown, fallback: number, {min = 0, whole = false}: {min?: 0 | 1; whole?: boolean} = {}): number {
	if (value === undefined) {
		return fallback;
	}

	const kind = whole ? 'a whole number of milliseconds' : 'a number of milliseconds';
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (whole && !Number.isInteger(value))) {
		throw new UsageError(`Expected \`${name}\` to be ${kind} from ${min} to ${maxTimerMs}, got ${describe(value)}`);
	}

	if (value > maxTimerMs) {
		throw new UsageError(`Expected \`${name}\` to be at most ${maxTimerMs} ms (about 24.8 days, the longest wait Node's timers can hold), got ${describe(value)}`);
	}

	return value;
}

/** The slowest rate whose spacing, 1000/rate ms, a timer can still hold. */
const minRate = 1000 / maxTimerMs;

/** Requests per second: above 0, and not so low that 1000/rate ms overflows a timer. */
export function rate(name: string, value: unknown, fallback: number): number {
	const checked = positiveNumber(name, value, fallback);
	if (checked < minRate) {
		throw new UsageError(`Expected \`${name}\` to be at least ${minRate.toPrecision(3)} requests per second (one every ${maxTimerMs} ms, the longest wait Node's timers can hold), got ${describe(value)}`);
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

	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
		throw new UsageError(`Expected \`parseWorkers\` to be a whole number from 0 and up or \`auto\`, got ${describe(value)}`);
	}

	const max = parseWorkersPerCore * cores;
	if (value > max) {
		throw new UsageError(`Expected \`parseWorkers\` to be at most ${max} (${parseWorkersPerCore} per available core, ${cores} here), got ${describe(value)}`);
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
		return wholeNumber(name, value, fallback);
	}

	const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value) : null;
	const unit = sizeUnits[match?.[2]?.toLowerCase() ?? 'none'];
	if (match === null || unit === undefined) {
		throw new UsageError(`Expected \`${name}\` to be a size such as 500000, 500k, 10MB or 2MiB, got ${describe(value)}`);
	}

	return Math.round(Number(match[1]) * unit);
}

export function nonEmptyString(name: string, value: unknown, fallback: string): string {
	if (value === undefined) {
		return fallback;
	}

	if (typeof value !== 'string' || value.trim() === '') {
		throw new UsageError(`Expected \`${name}\` to be a non-empty string, got ${describe(value)}`);
	}

	return value;
}

export function boolean(name: string, value: unknown, fallback: boolean): boolean {
	if (value === undefined) {
		return fallback;
	}

	if (typeof value !== 'boolean') {
		throw new UsageError(`Expected \`${name}\` to be a boolean, got ${describe(value)}`);
	}

	return value;
}
