/**
What a page in the browser is doing: its image, XHR and fetch requests in
flight, when the last one started or ended, and the images it received. The
idle rule of a step (`scrollIdle`) reads it.
*/

import {performance} from 'node:perf_hooks';
import type {Page, Request, Response} from 'playwright-core';

/** Requests that bring content: a step is not over while one runs. */
const watched = new Set(['image', 'xhr', 'fetch']);

export class PageActivity {
	/** `performance.now()` when a watched request last started or ended. */
	lastChange = performance.now();
	/** URLs of the images the page received whole, in the order they arrived. */
	readonly images: string[] = [];
	readonly #inFlight = new Set<Request>();

	constructor(page: Page) {
		page.on('request', request => {
			if (watched.has(request.resourceType())) {
				this.#inFlight.add(request);
				this.lastChange = performance.now();
			}
		});
		const ended = (request: Request) => {
			if (this.#inFlight.delete(request)) {
				this.lastChange = performance.now();
			}
		};

		page.on('requestfinished', ended);
		page.on('requestfailed', ended);
		page.on('response', response => {
			this.#received(response);
		});
	}

	get inFlight(): number {
		return this.#inFlight.size;
	}

	#received(response: Response): void {
		const request = response.request();
		const type = response.headers()['content-type'] ?? '';
		if (request.resourceType() === 'image' && response.ok() && type.startsWith('image/') && /^https?:/.test(response.url())) {
			this.images.push(response.url());
		}
	}
}
