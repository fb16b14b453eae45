/**
The floor of the stack: the least a Node client must do for imgscrape's job,
against which `npm run bench:floor` measures imgscrape. Per image it does the
same work imgscrape does at its core (one request on undici's dispatch API,
sha256 over the body, synchronous writes to a temporary file, a rename) and
nothing else: no checks, no names, no manifest, no retries, and a regex for
extraction. Pages are fetched 4 at a time (imgscrape's default), images
CONCURRENCY at a time, and the two overlap.

  node dist/scripts/floor-client.js OUT CONCURRENCY PAGE_URL...

Prints one JSON line: images saved and peak RSS.
*/

import {createHash} from 'node:crypto';
import {closeSync, openSync, renameSync, writeSync} from 'node:fs';
import path from 'node:path';
import {Agent, type Dispatcher, request} from 'undici';

const [out, concurrencyText, ...pages] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
if (out === undefined || !(concurrency >= 1) || pages.length === 0) {
	process.stderr.write('usage: floor-client OUT CONCURRENCY PAGE_URL...\n');
	process.exit(2);
}

const agent = new Agent();
const images: string[] = [];
const seen = new Set<string>();
let next = 0;
let active = 0;
let saved = 0;
let pagesLeft = pages.length;
let finish: () => void;
const finished = new Promise<void>(resolve => {
	finish = resolve;
});

function download(url: string): Promise<void> {
	const {origin, pathname, search} = new URL(url);
	const name = path.basename(pathname);
	const temporary = path.join(out!, `.${name}.part`);
	return new Promise((resolve, reject) => {
		let fd = -1;
		const hash = createHash('sha256');
		const handler: Dispatcher.DispatchHandler = {
			// undici tells its handler APIs apart by this method.
			onRequestStart() {},
			onResponseStart(_controller, status) {
				if (status === 200) {
					fd = openSync(temporary, 'w');
				}
			},
			onResponseData(_controller, chunk) {
				if (fd === -1) return;
				hash.update(chunk);
				for (let written = 0; written < chunk.length; ) {
					written += writeSync(fd, chunk, written);
				}
			},
			onResponseEnd() {
				if (fd === -1) {
					reject(new Error(`${url}: not 200`));
					return;
				}

				closeSync(fd);
				hash.digest('hex');
				renameSync(temporary, path.join(out!, name));
				saved++;
				resolve();
			},
			onResponseError(_controller, error) {
				reject(error);
			},
		};
		agent.dispatch({origin, path: pathname + search, method: 'GET'}, handler);
	});
}

function pump(): void {
	while (active < concurrency && next < images.length) {
		active++;
		download(images[next++]!).then(
			() => {
				active--;
				pump();
			},
			(error: unknown) => {
				process.stderr.write(`${String(error)}\n`);
				process.exit(1);
			},
		);
	}

	if (active === 0 && pagesLeft === 0 && next === images.length) {
		finish();
	}
}

const imgSrc = /<img\b[^>]*?\bsrc="([^"]+)"/g;

async function fetchPage(url: string): Promise<void> {
	const {body} = await request(url, {dispatcher: agent});
	const html = await body.text();
	for (const match of html.matchAll(imgSrc)) {
		const image = new URL(match[1]!, url).href;
		if (!seen.has(image)) {
			seen.add(image);
			images.push(image);
		}
	}

	pagesLeft--;
	pump();
}

let nextPage = 0;
async function pageWorker(): Promise<void> {
	while (nextPage < pages.length) {
		await fetchPage(pages[nextPage++]!);
	}
}

await Promise.all(Array.from({length: Math.min(4, pages.length)}, pageWorker));
await finished;
process.stdout.write(`${JSON.stringify({saved, peakRssBytes: process.resourceUsage().maxRSS * 1024})}\n`);
await agent.close();
