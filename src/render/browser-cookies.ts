/**
The run's cookie jar and a browser context trade cookies: what the jar holds
(a --cookie, a cookies.txt, the page's own Set-Cookie) goes into the context
before the visit, and what the page set while it ran comes back, so that the
downloads carry it.
*/

import type {BrowserContext} from 'playwright-core';
import {Cookie, type CookieJar} from 'tough-cookie';

type BrowserCookie = Parameters<BrowserContext['addCookies']>[0][number];

/** The jar's cookies, as a context takes them. A domain without a leading dot is host-only there, as in the jar. */
export async function jarToBrowser(jar: CookieJar): Promise<BrowserCookie[]> {
	const cookies = await jar.store.getAllCookies();
	return cookies
		.filter(cookie => cookie.domain !== null && cookie.domain !== '')
		.map(cookie => ({
			name: cookie.key,
			value: cookie.value,
			domain: cookie.hostOnly === true ? cookie.domain! : `.${cookie.domain!}`,
			path: cookie.path ?? '/',
			secure: cookie.secure,
			httpOnly: cookie.httpOnly,
			expires: cookie.expires instanceof Date ? Math.floor(cookie.expires.getTime() / 1000) : -1,
		}));
}

/** Put what the context holds into the jar, replacing cookies of the same name, domain and path. */
export async function browserToJar(context: BrowserContext, jar: CookieJar): Promise<void> {
	for (const cookie of await context.cookies()) {
		await jar.store.putCookie(
			new Cookie({
				key: cookie.name,
				value: cookie.value,
				domain: cookie.domain.replace(/^\./, ''),
				path: cookie.path,
				hostOnly: !cookie.domain.startsWith('.'),
				secure: cookie.secure,
				httpOnly: cookie.httpOnly,
				expires: cookie.expires > 0 ? new Date(cookie.expires * 1000) : 'Infinity',
			}),
		);
	}
}
