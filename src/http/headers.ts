import type {Headers} from '../types.js';

/*
One place that reads a response header that may have come more than once.
Which value counts depends on the header, so the name says which is taken.
*/

/** The first value: for headers that hold one value, where a repeat is a server's mistake (Location, Retry-After). */
export function firstHeader(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** The last value: the one in force, as Fetch's "extract a MIME type" takes it (Content-Type). */
export function lastHeader(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.at(-1) : value;
}

/** Every value joined with `, `, as a list header means it (Content-Encoding: gzip, br). */
export function joinedHeader(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (/^\s*\d+\s*$/.test(value)) {
		return Number(value) * 1000;
	}

	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
