import {performance} from 'node:perf_hooks';
import {formatBytes} from '../report/format.js';
import type {PageResult, ScrapeEvent, Warning} from '../types.js';
import type {CliIo} from './io.js';

export interface Progress {
	onEvent(event: ScrapeEvent): void;
	/** Clear the live line, before the report is printed. */
	stop(): void;
}

/** A warning is a line of its own, on a terminal too, as soon as it happens; the report lists it again. */
export function warningLine(warning: Warning): string {
	return `imgscrape: warning: ${warning.message}\n`;
}

/** `, cut at --max-per-page (images, links)` after a page's counts, when it was. */
function cappedNote(result: PageResult): string {
	return result.capped === undefined ? '' : `, cut at --max-per-page (${result.capped.join(', ')})`;
}

/** The lines a terminal shows for a page that was cut or could not be read whole. */
function pageNotes(result: PageResult): string {
	const lines = result.capped === undefined ? [] : [`page ${result.index + 1} ${result.url}: ${result.images.length} images${cappedNote(result)}`];
	for (const warning of result.warnings ?? []) {
		lines.push(`page ${result.index + 1} ${result.url}: warning: ${warning}`);
	}

	return `${lines.join('\n')}\n`;
}

/** Redrawing more often than this only costs CPU on big runs. */
const redrawMs = 100;

/**
Progress on stderr, never stdout: a live ora line on a terminal, one plain
line per page otherwise (logs and CI), nothing with --quiet but warnings.
*/
export async function createProgress(io: CliIo, options: {quiet: boolean; downloads: boolean}): Promise<Progress> {
	if (options.quiet) {
		return {
			onEvent(event) {
				if (event.type === 'warning') {
					io.stderr.write(warningLine(event.warning));
				}
			},
			stop() {},
		};
	}

	const started = performance.now();
	const counts = {queued: 0, pages: 0, found: 0, done: 0, settled: 0, bytes: 0};
	const summary = () => {
		const seconds = (performance.now() - started) / 1000;
		const images = options.downloads ? `images ${counts.done + counts.settled}/${counts.found}` : `images ${counts.found}`;
		const rate = seconds > 0 ? `${formatBytes(counts.bytes / seconds)}/s` : '';
		return `pages ${counts.pages}/${counts.queued} · ${images} · ${formatBytes(counts.bytes)} · ${rate}`;
	};

	const count = (event: ScrapeEvent) => {
		switch (event.type) {
			case 'page': {
				counts.pages++;
				counts.found += event.result.newImages;
				break;
			}

			case 'image-done': {
				counts.done++;
				counts.bytes += event.bytes;
				break;
			}

			case 'image-failed':
			case 'image-skipped': {
				counts.settled++;
				break;
			}

			case 'page-queued': {
				counts.queued++;
				break;
			}

			case 'image-queued':
			case 'image-start':
			case 'page-rendered':
			case 'warning': {
				break;
			}
		}
	};

	if (!io.stderr.isTTY) {
		return {
			onEvent(event) {
				count(event);
				if (event.type === 'warning') {
					io.stderr.write(warningLine(event.warning));
				} else if (event.type === 'page') {
					const {result} = event;
					const state = result.ok ? `${result.images.length} images, ${result.newImages} new${cappedNote(result)}` : `failed: ${result.error?.code ?? 'error'}`;
					const indent = '  '.repeat(result.depth);
					io.stderr.write(`${indent}page ${result.index + 1} ${result.url}: ${state}\n`);
					for (const warning of result.warnings ?? []) {
						io.stderr.write(`${indent}  warning: ${warning}\n`);
					}
				}
			},
			stop() {},
		};
	}

	const {default: ora} = await import('ora');
	// discardStdin would put the terminal in raw mode, where Ctrl-C is a byte to read rather than
	// SIGINT, and ora never reads it while stdin is not flowing: the run could not be interrupted.
	const spinner = ora({stream: io.stderr, text: summary(), discardStdin: false}).start();
	let drawn = 0;
	return {
		onEvent(event) {
			count(event);
			if (event.type === 'warning') {
				// Above the live line, which redraws below it.
				spinner.clear();
				io.stderr.write(warningLine(event.warning));
			}

			if (event.type === 'page' && (event.result.capped !== undefined || event.result.warnings !== undefined)) {
				// Above the live line, which stays.
				spinner.clear();
				io.stderr.write(pageNotes(event.result));
				spinner.render();
			}

			const now = performance.now();
			if (now - drawn >= redrawMs) {
				drawn = now;
				spinner.text = summary();
			}
		},
		stop() {
			spinner.stop();
		},
	};
}
