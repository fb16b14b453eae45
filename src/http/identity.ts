/**
Who the scraper says it is, from one place: the User-Agent, the user's extra
headers, the Referer, and the cookies the jar holds for each URL.
*/

import type {CookieJar} from 'tough-cookie';
import {UsageError} from '../errors.js';
import type {Headers} from '../types.js';

/** A header the user adds: lower-cased name, and the value (empty: do not send that header at all). */
export type HeaderLine = readonly [name: string, value: string];

const tokenPattern = /^[!#$%&'*+.^_`|~\w-]+$/;
/** Framing and connection headers belong to the HTTP client, not the user (undici refuses most of them). */
const reserved = new Set(['connection', 'content-length', 'expect', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade']);

/**
Parse `Name: value`, as curl's and wget's `-H` take it.
@throws UsageError naming the `header` option and the text received.
*/
export function parseHeaderLine(text: string): HeaderLine {
	const colon = text.indexOf(':');
	const name = colon === -1 ? '' : text.slice(0, colon).trim();
	const value = colon === -1 ? '' : text.slice(colon + 1).trim();
	if (!tokenPattern.test(name) || /[\r\n\0]/.test(value)) {
		throw new UsageError(`Expected \`header\` to look like 'Name: value', got \`${text}\``);
	}

	if (reserved.has(name.toLowerCase())) {
		throw new UsageError(`The \`${name}\` header cannot be set: the HTTP client manages it`);
	}

	return [name.toLowerCase(), value];
}

export interface IdentityOptions {
	userAgent: string;
	headers: readonly HeaderLine[];
	/** A fixed Referer for every request, `false` for none, or undefined: the caller's (an image's page). */
	referer: string | false | undefined;
	jar: CookieJar;
	/** Cookies reach the jar from elsewhere too (a browser's, with `render`): an empty jar is looked at again on each request. */
	jarShared?: boolean | undefined;
}

export interface Identity {
	/** The headers for one request. `headers` are the caller's, such as `referer` set to the page an image was found on. */
	headersFor(url: URL, headers?: Record<string, string>): Promise<Record<string, string>>;
	/** Keep the Set-Cookie of a response (redirects included) for later requests. */
	received(url: string, headers: Headers): Promise<void>;
}

/**
The Referer a browser would send for a resource of `page`: no fragment or
credentials (RFC 9110 §10.1.3), and nothing from an https page to an http URL.
*/
export function refererFor(page: string, target: URL): string | undefined {
	const referer = new URL(page);
	if (referer.protocol === 'https:' && target.protocol === 'http:') {
		return undefined;
	}

	referer.hash = '';
	referer.username = '';
	referer.password = '';
	return referer.href;
}

export function createIdentity(options: IdentityOptions): Identity {
	// Most galleries set no cookie: the jar's matching runs on every request only once it holds one.
	let jarInUse: boolean | undefined;
	// A page's images come one after another with the same Referer: parse the page URL once for them.
	let last: {page: string; protocol: string; referer: string | undefined} | undefined;
	const pageReferer = (page: string, target: URL): string | undefined => {
		if (last?.page !== page || last.protocol !== target.protocol) {
			last = {page, protocol: target.protocol, referer: refererFor(page, target)};
		}

		return last.referer;
	};

	return {
		async headersFor(url, headers = {}) {
			const {referer: callerReferer, ...rest} = headers;
			const result: Record<string, string> = {'user-agent': options.userAgent, ...rest};
			const referer = options.referer === undefined ? (callerReferer === undefined ? undefined : pageReferer(callerReferer, url)) : options.referer;
			if (typeof referer === 'string') {
				result.referer = referer;
			}

			if (jarInUse !== true && (jarInUse === undefined || options.jarShared === true)) {
				jarInUse = (await options.jar.store.getAllCookies()).length > 0;
			}

			const cookie = jarInUse ? await options.jar.getCookieString(url.href) : '';
			if (cookie !== '') {
				result.cookie = cookie;
			}

			// The user's own headers win over everything computed; an empty one removes it.
			for (const [name, value] of options.headers) {
				if (value === '') {
					delete result[name];
				} else {
					result[name] = value;
				}
			}

			return result;
		},
		async received(url, headers) {
			const setCookie = headers['set-cookie'];
			for (const line of Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]) {
				// A cookie the jar refuses (wrong domain, malformed) is dropped, as a browser drops it.
				jarInUse = true;
				await options.jar.setCookie(line, url, {ignoreError: true});
			}
		},
	};
}
