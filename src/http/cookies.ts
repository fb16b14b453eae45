/**
The run's cookie jar (tough-cookie, RFC 6265 matching): cookies given with
`cookie` go to the start pages' hosts, a Netscape cookies.txt file adds its
own, and every Set-Cookie a response sends is kept for the rest of the run.
*/

import {readFile} from 'node:fs/promises';
import {Cookie, CookieJar} from 'tough-cookie';
import {UsageError} from '../errors.js';

/** One line of a Netscape cookies.txt file. */
export interface NetscapeCookie {
	/** Without a leading dot. */
	domain: string;
	/** TRUE in the file: sent to subdomains too; FALSE: to that host only. */
	includeSubdomains: boolean;
	path: string;
	secure: boolean;
	httpOnly: boolean;
	/** Unix seconds; 0 for a session cookie. */
	expires: number;
	name: string;
	value: string;
}

/** Cookie names are RFC 9110 tokens. */
const tokenPattern = /^[!#$%&'*+.^_`|~\w-]+$/;
const httpOnlyPrefix = '#HttpOnly_';

function flag(value: string, field: string, where: string): boolean {
	if (value === 'TRUE' || value === 'FALSE') {
		return value === 'TRUE';
	}

	throw new UsageError(`${where}: expected TRUE or FALSE for ${field}, got \`${value}\``);
}

/**
Parse a Netscape cookies.txt file: seven tab-separated fields per line
(domain, include-subdomains, path, secure, expiry, name, value), `#` comments,
and curl's `#HttpOnly_` domain prefix.
@param source Named in errors, such as the file's path.
@throws UsageError naming the source and line of the first bad line.
*/
export function parseNetscapeCookies(text: string, source: string): NetscapeCookie[] {
	const cookies: NetscapeCookie[] = [];
	for (const [index, raw] of text.split(/\r?\n/).entries()) {
		let line = raw;
		const httpOnly = line.startsWith(httpOnlyPrefix);
		if (httpOnly) {
			line = line.slice(httpOnlyPrefix.length);
		} else if (line.startsWith('#') || line.trim() === '') {
			continue;
		}

		const where = `${source} line ${index + 1}`;
		const fields = line.split('\t');
		// Some exporters drop the tab before an empty value.
		if (fields.length === 6) {
			fields.push('');
		}

		if (fields.length !== 7) {
			throw new UsageError(`${where}: expected 7 tab-separated fields (domain, subdomains, path, secure, expiry, name, value), got ${fields.length}`);
		}

		const [domain, subdomains, path, secure, expiry, name, value] = fields as [string, string, string, string, string, string, string];
		if (!/^\d+$/.test(expiry)) {
			throw new UsageError(`${where}: expected the expiry in Unix seconds, got \`${expiry}\``);
		}

		if (!tokenPattern.test(name)) {
			throw new UsageError(`${where}: \`${name}\` is not a valid cookie name`);
		}

		cookies.push({
			domain: domain.replace(/^\./, '').toLowerCase(),
			includeSubdomains: flag(subdomains, 'include-subdomains', where),
			path: path === '' ? '/' : path,
			secure: flag(secure, 'secure', where),
			httpOnly,
			expires: Number(expiry),
			name,
			value,
		});
	}

	return cookies;
}

/**
Parse a Cookie header value such as `a=b; c=d`.
@throws UsageError naming the `cookie` option and the bad pair.
*/
export function parseCookieHeader(header: string): Array<[string, string]> {
	if (!header.includes('=')) {
		throw new UsageError(`Expected \`cookie\` to be name=value pairs separated by semicolons, got \`${header}\` (string)`);
	}

	return header
		.split(';')
		.map(pair => pair.trim())
		.filter(pair => pair !== '')
		.map(pair => {
			const equals = pair.indexOf('=');
			const name = equals === -1 ? '' : pair.slice(0, equals).trim();
			if (!tokenPattern.test(name)) {
				throw new UsageError(`Expected \`cookie\` to be name=value pairs separated by semicolons, got \`${pair}\``);
			}

			return [name, pair.slice(equals + 1).trim()];
		});
}

export interface CookieSources {
	/** `name=value; ...` for the hosts of `startUrls`. */
	cookie?: string | undefined;
	/** A Netscape cookies.txt file. */
	cookies?: string | undefined;
	startUrls: readonly string[];
}

/** The run's jar, loaded from the options. Reads the cookies file, so it is async. */
export async function createCookieJar(sources: CookieSources): Promise<CookieJar> {
	const jar = new CookieJar();
	const put = async (cookie: Cookie) => jar.store.putCookie(cookie);
	if (sources.cookie !== undefined) {
		const pairs = parseCookieHeader(sources.cookie);
		const hosts = new Set(sources.startUrls.map(url => new URL(url).hostname));
		for (const domain of hosts) {
			for (const [key, value] of pairs) {
				// Host-only and for the whole site: what a browser holds after a login on that host.
				await put(new Cookie({key, value, domain, path: '/', hostOnly: true}));
			}
		}
	}

	if (sources.cookies !== undefined) {
		let text: string;
		try {
			text = await readFile(sources.cookies, 'utf8');
		} catch (error) {
			throw new UsageError(`Cannot read the cookies file \`${sources.cookies}\`: ${(error as Error).message}`);
		}

		const now = Date.now() / 1000;
		for (const entry of parseNetscapeCookies(text, sources.cookies)) {
			if (entry.expires !== 0 && entry.expires <= now) {
				continue;
			}

			await put(
				new Cookie({
					key: entry.name,
					value: entry.value,
					domain: entry.domain,
					path: entry.path,
					hostOnly: !entry.includeSubdomains,
					secure: entry.secure,
					httpOnly: entry.httpOnly,
					expires: entry.expires === 0 ? 'Infinity' : new Date(entry.expires * 1000),
				}),
			);
		}
	}

	return jar;
}
