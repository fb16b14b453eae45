/**
The steps of a visit: wait until the page is idle, scroll one screen, click
the "load more" button. What runs inside the page is source text: this
program is compiled without the DOM's types, which are the page's alone.
*/

import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import type {Page} from 'playwright-core';
import type {PageActivity} from './activity.js';

/**
Counts changes that can bring images: elements added or removed, and `src`,
`srcset` or `href` changed. Style and class changes are left out, or an
animation would keep every page from ever being idle. Run in the page before
its own scripts.
*/
export const countMutations = `{
	let count = 0;
	new MutationObserver(records => { count += records.length; })
		.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['src', 'srcset', 'href']});
	Object.defineProperty(window, '__imgscrapeMutations', {get: () => count});
}`;

async function mutations(page: Page): Promise<number> {
	return page.evaluate<number>('window.__imgscrapeMutations ?? 0');
}

/** How often the idle rule looks, at most. */
const pollMs = 100;

/**
Resolve once the DOM has not changed and no image, XHR or fetch request has
run for `idleMs`. Rejects when `signal` aborts (the visit's bound or the run's cancel).
*/
export async function waitForIdle(page: Page, activity: PageActivity, idleMs: number, signal: AbortSignal): Promise<void> {
	let seen = await mutations(page);
	let quietSince = Math.max(performance.now(), activity.lastChange);
	for (;;) {
		await sleep(Math.min(pollMs, idleMs), undefined, {signal});
		const count = await mutations(page);
		const now = performance.now();
		if (count !== seen || activity.inFlight > 0) {
			seen = count;
			quietSince = now;
		}

		quietSince = Math.max(quietSince, activity.lastChange);
		if (now - quietSince >= idleMs) {
			return;
		}
	}
}

/**
Scroll one screen (less a tenth, so nothing falls between two steps of a
virtual scroller): the document, or once it is at its end, every box that
scrolls on its own. Resolves whether anything moved.
*/
export async function scrollOnce(page: Page): Promise<boolean> {
	return page.evaluate<boolean>(scrollScript);
}

const scrollScript = `(() => {
	const fraction = 0.9;
	const root = document.scrollingElement ?? document.documentElement;
	const before = root.scrollTop;
	window.scrollBy({top: Math.max(1, Math.floor(window.innerHeight * fraction)), behavior: 'instant'});
	if (root.scrollTop !== before) {
		return true;
	}

	let moved = false;
	for (const element of document.querySelectorAll('*')) {
		if (element.scrollHeight > element.clientHeight + 1 && /^(auto|scroll)$/.test(getComputedStyle(element).overflowY)) {
			const top = element.scrollTop;
			element.scrollBy({top: Math.max(1, Math.floor(element.clientHeight * fraction)), behavior: 'instant'});
			moved ||= element.scrollTop !== top;
		}
	}

	return moved;
})()`;

/** Click the first element `selector` matches, if it is there, visible and enabled. Resolves whether it was clicked. */
export async function clickOnce(page: Page, selector: string, timeout: number): Promise<boolean> {
	const button = page.locator(selector).first();
	try {
		if ((await button.count()) === 0 || !(await button.isVisible()) || !(await button.isEnabled())) {
			return false;
		}

		await button.click({timeout});
		return true;
	} catch {
		// Covered, detached or gone between the checks and the click: the page has no button to press now.
		return false;
	}
}
