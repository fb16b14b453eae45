import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {packagePath} from '../package-root.js';
import type {ScrapeReport} from '../report/report.js';

/** The CLI's bin, as a user runs it. */
export const binPath = packagePath('bin', 'imgscrape.js');

/** One spawned CLI process: its exit code, output, and wall time from spawn to exit. */
export interface SpawnResult {
	code: number | null;
	stdout: string;
	stderr: string;
	processMs: number;
}

/** Run `imgscrape ...args` as its own process, the way a user would, timing it from spawn to exit. */
export async function spawnCli(args: readonly string[]): Promise<SpawnResult> {
	return spawnTimed(process.execPath, [binPath, ...args]);
}

/** Run any program, timing it from spawn to exit: the bench's other clients are measured the same way. */
export async function spawnTimed(command: string, args: readonly string[]): Promise<SpawnResult> {
	const started = performance.now();
	const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const [code, processMs] = await new Promise<[number | null, number]>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', code => resolve([code, performance.now() - started]));
	});
	// 'exit' can come before the pipes are drained.
	await new Promise<void>(resolve => {
		if (child.stdout.readableEnded && child.stderr.readableEnded) {
			resolve();
			return;
		}

		child.once('close', () => resolve());
	});
	return {code, stdout, stderr, processMs};
}

/** Run a scrape as its own process with `--json` and read its report. */
export async function spawnScrape(args: readonly string[]): Promise<SpawnResult & {report: ScrapeReport}> {
	const result = await spawnCli([...args, '--json', '--quiet']);
	let report: ScrapeReport;
	try {
		report = JSON.parse(result.stdout) as ScrapeReport;
	} catch {
		throw new Error(`imgscrape ${args.join(' ')} exited ${result.code} without a report: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
	}

	return {...result, report};
}
