import {performance} from 'node:perf_hooks';
import {count} from '../report/words.js';
import type {PageResult, ScrapeEvent, Warning} from '../types.js';
import type {CliIo} from './io.js';
import {cappedNote, pageLine, type ProgressCounts, progressLine, requestLine} from './progress-line.js';

export interface Progress {
	onEvent(event: ScrapeEvent): void;
	/** Clear the live line, before the report is printed. */
	stop(): void;
}

/** A warning is a line of its own, on a terminal too, as soon as it happens; the report lists it again. */
export function warningLine(warning: Warning): string {
	return `imgscrape: warning: ${warning.message}\n`;
}

/** The lines a terminal shows for a page that was cut or could not be read whole. */
function pageNotes(result: PageResult): string {
	const lines = result.capped === undefined ? [] : [`page ${result.index + 1} ${result.url}: ${count(result.images.length, 'image')}${cappedNote(result)}`];
	for (const warning of result.warnings ?? []) {
		lines.push(`page ${result.index + 1} ${result.url}: warning: ${warning}`);
	}

	return `${lines.join('\n')}\n`;
}

/** Redrawing more often than this only costs CPU on big runs. */
const redrawMs = 100;

/**
Progress on stderr, never stdout: a live ora line on a terminal, one plain
line per page otherwise (logs and CI); with `quiet` nothing at all (the
command prints the errors); with `verbose` also one line per request.
*/
export async function createProgress(io: CliIo, options: {quiet: boolean; verbose?: boolean | undefined; downloads: boolean}): Promise<Progress> {
	if (options.quiet) {
		return {onEvent() {}, stop() {}};
	}

	const started = performance.now();
	const counts: ProgressCounts = {pagesQueued: 0, pagesDone: 0, pagesFailed: 0, found: 0, saved: 0, failed: 0, skipped: 0, bytes: 0, elapsedMs: 0};
	const summary = () => {
		counts.elapsedMs = performance.now() - started;
		// ora's spinner and the space after it take 2 columns.
		return progressLine(counts, {downloads: options.downloads, columns: io.stderr.columns === undefined ? undefined : io.stderr.columns - 3});
	};

	const tally = (event: ScrapeEvent) => {
		switch (event.type) {
			case 'page': {
				counts.pagesDone++;
				counts.found += event.result.newImages;
				if (!event.result.ok) {
					counts.pagesFailed++;
				}

				break;
			}

			case 'image-done': {
				counts.saved++;
				counts.bytes += event.bytes;
				break;
			}

			case 'image-failed': {
				counts.failed++;
				break;
			}

			case 'image-skipped': {
				counts.skipped++;
				break;
			}

			case 'page-queued': {
				counts.pagesQueued++;
				break;
			}

			default: {
				break;
			}
		}
	};

	if (!io.stderr.isTTY) {
		return {
			onEvent(event) {
				tally(event);
				if (event.type === 'warning') {
					io.stderr.write(warningLine(event.warning));
				} else if (event.type === 'request' && options.verbose) {
					io.stderr.write(`${requestLine(event)}\n`);
				} else if (event.type === 'page') {
					const {result} = event;
					io.stderr.write(`${pageLine(result)}\n`);
					for (const warning of result.warnings ?? []) {
						io.stderr.write(`${'  '.repeat(result.depth)}  warning: ${warning}\n`);
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
	// The clock and the ETA move between events too.
	const ticking = setInterval(() => {
		drawn = performance.now();
		spinner.text = summary();
	}, 1000);
	ticking.unref();
	return {
		onEvent(event) {
			tally(event);
			if (event.type === 'warning') {
				// Above the live line, which redraws below it.
				spinner.clear();
				io.stderr.write(warningLine(event.warning));
			}

			if (event.type === 'request' && options.verbose) {
				spinner.clear();
				io.stderr.write(`${requestLine(event)}\n`);
				spinner.render();
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
			clearInterval(ticking);
			spinner.stop();
		},
	};
}
