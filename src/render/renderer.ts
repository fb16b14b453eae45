/**
A page's visit in the browser: load it from the bytes already fetched, then
step (scroll, or click `click`) until nothing new comes or a bound is reached,
harvesting the live DOM with the page extractor after every step, and the
image responses at the end. The browser is started on the first visit and
shared by all; each visit has a context of its own, closed when it ends.
*/

import {setMaxListeners} from 'node:events';
import {performance} from 'node:perf_hooks';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import type {CookieJar} from 'tough-cookie';
import {defaults} from '../defaults.js';
import {ScrapeError} from '../errors.js';
import type {FetchedPage} from '../http/client.js';
import type {HostGate} from '../http/host-gate.js';
import type {HeaderLine} from '../http/identity.js';
import type {RenderOptions} from '../options.js';
import type {ExtractOptions, ExtractResult, FoundImage, RenderedPage} from '../types.js';
import {PageActivity} from './activity.js';
import {browserToJar, jarToBrowser} from './browser-cookies.js';
import {launchBrowser} from './browser.js';
import {Harvest} from './harvest.js';
import {routeRequests} from './routing.js';
import {clickOnce, countMutations, scrollOnce, waitForIdle} from './steps.js';

export interface RendererParts {
	options: RenderOptions;
	jar: CookieJar;
	/** The run's per-host gate, which the browser's requests pass too. */
	gate: HostGate | undefined;
	allowHost: readonly string[];
	userAgent: string;
	headers: readonly HeaderLine[];
	/** The run's `proxy`, which the browser's requests take too. */
	proxy: string | undefined;
	/** Accept certificates that do not verify, as the run does. */
	insecure: boolean;
	/** The run's extractor, over one step's serialised DOM. */
	parse(bytes: Uint8Array, url: string, options: ExtractOptions, signal: AbortSignal): Promise<ExtractResult>;
	/** Told of each page once its visit ends. */
	onRendered(page: RenderedPage): void;
	/** Told when the browser crashed and was started again, with the page whose visit is repeated. */
	onRestart(url: string, message: string): void;
}

/**
Told after each step of the images it brought first, and where the first of
them stands in the page's list (0-based), so their downloads start while the
visit goes on. The visit waits for it: a full download queue holds the page back.
*/
export type OnImages = (images: readonly FoundImage[], offset: number) => Promise<void>;

export interface Renderer {
	/**
	Visit a fetched page and return what it yields over all its steps.
	@throws ScrapeError `aborted` when `signal` aborts, `timeout` when the visit's bound passes before the first harvest, `render` when the browser fails.
	*/
	render(page: FetchedPage, extract: ExtractOptions, signal: AbortSignal, onImages?: OnImages): Promise<ExtractResult>;
	/** Close the browser, and with it every context; nothing of it keeps running. */
	close(): Promise<void>;
}

/** Longest a single click may wait for its button to be clickable, within the visit's bound. */
const clickTimeoutMs = 5000;

/** Once `renderTimeout` has passed, the last harvest of the page as it stands has this long before the context is closed. */
const lastHarvestMs = 5000;

/** Times a run starts the browser again after it crashed (killed, out of memory); past that its pages fail as `render`. */
export const maxBrowserRestarts = 2;

/** The browser went away during a visit, which is worth repeating on a new one. */
class BrowserCrashed extends ScrapeError {}

export function createRenderer(parts: RendererParts): Renderer {
	const start = () => {
		const started = launchBrowser(parts.options.browser, parts.proxy);
		started.catch(() => {});
		return started;
	};

	// Started now, while the first page is fetched, so no page's visit counts the browser's start-up.
	let browser = start();
	let restarts = 0;
	let closed = false;
	const extraHeaders = Object.fromEntries(parts.headers.filter(([, value]) => value !== '').map(([name, value]) => [name.toLowerCase(), value]));

	async function running(): Promise<Browser> {
		const current = browser;
		let instance: Browser;
		try {
			instance = await current;
		} catch (error) {
			throw new ScrapeError('render', `the browser did not start: ${(error as Error).message.split('\n')[0]}`, {cause: error});
		}

		if (instance.isConnected()) {
			return instance;
		}

		// Visits that find the browser gone at once start one new browser between them.
		if (browser === current) {
			if (restarts === maxBrowserRestarts) {
				throw new ScrapeError('render', `the browser crashed ${restarts + 1} times; no more pages are rendered`);
			}

			restarts++;
			browser = start();
		}

		return running();
	}

	async function open(): Promise<BrowserContext> {
		if (closed) {
			throw new ScrapeError('aborted', 'the browser is closed');
		}

		// Service workers would answer requests past the routing below.
		return (await running()).newContext({
			userAgent: parts.userAgent,
			extraHTTPHeaders: extraHeaders,
			serviceWorkers: 'block',
			ignoreHTTPSErrors: parts.insecure,
		});
	}

	/** A visit the browser's crash cut short is made again, once, on a new browser; the images it already gave are not taken twice (the run has seen them). */
	async function render(fetched: FetchedPage, extract: ExtractOptions, signal: AbortSignal, onImages?: OnImages): Promise<ExtractResult> {
		try {
			return await visit(fetched, extract, signal, onImages);
		} catch (error) {
			if (!(error instanceof BrowserCrashed)) {
				throw error;
			}

			parts.onRestart(fetched.url, `the browser crashed while rendering the page (${error.message}); visiting it again in a new browser`);
			try {
				return await visit(fetched, extract, signal, onImages);
			} catch (again) {
				throw again instanceof BrowserCrashed
					? new ScrapeError('render', `the browser crashed twice on the page: ${again.message}`, {url: fetched.url})
					: again;
			}
		}
	}

	async function visit(fetched: FetchedPage, extract: ExtractOptions, signal: AbortSignal, onImages?: OnImages): Promise<ExtractResult> {
		const {options} = parts;
		const started = performance.now();
		const deadline = AbortSignal.timeout(options.timeout);
		const visit = AbortSignal.any([signal, deadline]);
		// Each request waiting at the gate, and each idle wait, listens to it.
		setMaxListeners(0, visit);
		const harvest = new Harvest(extract.maxPerPage ?? defaults.maxPerPage);
		const imagesPerStep: number[] = [];
		let end: RenderedPage['end'] = 'idle';
		let context: BrowserContext | undefined;
		let page: Page | undefined;
		let activity: PageActivity | undefined;
		// Closing the context ends whatever Playwright call is waiting on it: at once on a cancel, after a last harvest at the deadline.
		const stop = () => void context?.close().catch(() => {});
		let grace: NodeJS.Timeout | undefined;
		const stopSoon = () => {
			grace = setTimeout(stop, lastHarvestMs);
		};

		signal.addEventListener('abort', stop, {once: true});
		deadline.addEventListener('abort', stopSoon, {once: true});
		let releaseHeld = () => {};
		const harvestNow = async (parseSignal: AbortSignal) => {
			const html = Buffer.from(await page!.content());
			const offset = harvest.images;
			const fresh = harvest.add(await parts.parse(html, page!.url(), extract, parseSignal));
			imagesPerStep.push(fresh.length);
			// The cookies the page has set by now go along with these images' downloads.
			await browserToJar(context!, parts.jar);
			await onImages?.(fresh, offset);
		};

		// Images the page loaded but no harvest saw in the DOM (gone between two steps, or drawn from script), for the plain selector only; then the page's cookies, for the downloads.
		const finish = async () => {
			if (extract.selector === defaults.selector && activity !== undefined) {
				const offset = harvest.images;
				const fresh = harvest.addImages(activity.images.map(url => ({url, source: 'response'})));
				imagesPerStep.push(fresh.length);
				await onImages?.(fresh, offset);
			}

			await browserToJar(context!, parts.jar);
		};

		try {
			context = await open();
			if (signal.aborted) {
				stop();
			}

			await context.addCookies(await jarToBrowser(parts.jar));
			await context.addInitScript({content: countMutations});
			releaseHeld = await routeRequests(context, {
				document: fetched,
				gate: parts.gate,
				blockThirdParty: options.blockThirdParty,
				allowHost: parts.allowHost,
				signal: visit,
			});
			page = await context.newPage();
			activity = new PageActivity(page);
			await page.goto(fetched.url, {waitUntil: 'load', timeout: options.timeout});
			const step = async () => {
				await waitForIdle(page!, activity!, options.scrollIdle, visit);
				await harvestNow(visit);
			};

			await step();
			let clicking = options.click !== undefined;
			for (let scrolls = 0; ; scrolls++) {
				if (scrolls === options.maxScrolls) {
					end = 'max-scrolls';
					break;
				}

				const clicked = clicking && (await clickOnce(page, options.click!, clickTimeoutMs));
				if (!clicked && !(await scrollOnce(page))) {
					break;
				}

				await step();
				// A button that brings nothing is not pressed again: the steps go on by scrolling.
				clicking &&= !clicked || imagesPerStep.at(-1)! > 0;
			}

			await finish();
		} catch (error) {
			if (signal.aborted) {
				throw new ScrapeError('aborted', 'aborted', {url: fetched.url});
			}

			const message = (error as Error).message.split('\n')[0];
			if (!closed && context?.browser()?.isConnected() === false) {
				throw new BrowserCrashed('render', message ?? 'gone', {url: fetched.url, cause: error});
			}

			if (!deadline.aborted && (error as Error).name !== 'TimeoutError') {
				throw new ScrapeError('render', `the browser failed on the page: ${message}`, {url: fetched.url, cause: error});
			}

			// The page as it stands when the bound passes is harvested once more: a page that never goes quiet still yields what it shows.
			try {
				await harvestNow(signal);
				await finish();
			} catch {}

			if (harvest.steps === 0) {
				throw new ScrapeError('timeout', `the page did not load within --render-timeout (${options.timeout} ms)`, {url: fetched.url});
			}

			end = 'timeout';
			harvest.warn(`render stopped at --render-timeout (${options.timeout} ms) after ${harvest.steps} steps; the images found by then are kept`);
		} finally {
			signal.removeEventListener('abort', stop);
			deadline.removeEventListener('abort', stopSoon);
			clearTimeout(grace);
			releaseHeld();
			await context?.close().catch(() => {});
		}

		parts.onRendered({url: fetched.url, ms: performance.now() - started, steps: harvest.steps, imagesPerStep, end});
		return harvest.result();
	}

	return {
		render,
		async close() {
			closed = true;
			const last = await browser.catch(() => undefined);
			await last?.close().catch(() => {});
		},
	};
}
