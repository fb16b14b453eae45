import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {PassThrough, Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {main} from '../../src/cli/main.js';

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Where no config file is: tests read one only when they give it (the user's own ~/.config must not change a test). */
export const noConfigHome = '/nonexistent/imgscrape-test-config-home';

/** Run the CLI in-process with captured output, as a user would on a non-TTY. */
export async function runCli(
	args: string[],
	options: {stdin?: string; signal?: AbortSignal; env?: Record<string, string | undefined>; cwd?: string} = {},
): Promise<CliResult> {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', (chunk: Buffer) => {
		out += chunk.toString();
	});
	stderr.on('data', (chunk: Buffer) => {
		err += chunk.toString();
	});
	const env = options.env ?? {...process.env, XDG_CONFIG_HOME: noConfigHome};
	const code = await main(args, {stdout, stderr, stdin: Readable.from([options.stdin ?? '']), signal: options.signal, env, cwd: options.cwd});
	return {code, stdout: out, stderr: err};
}

/** The built bin, as a user runs it. */
export const bin = fileURLToPath(new URL('../../../bin/imgscrape.js', import.meta.url));

/**
Run the bin in a child process and send it SIGINT once its stderr matches
`when` (a page reported, say): as a user pressing Ctrl-C mid-run.
*/
export async function runInterrupted(args: string[], when: RegExp): Promise<{code: number | null; stderr: string}> {
	const child = spawn(process.execPath, [bin, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (chunk: string) => {
		stderr += chunk;
		if (when.test(stderr) && child.exitCode === null && !child.killed) {
			child.kill('SIGINT');
		}
	});
	const [code] = (await once(child, 'exit')) as [number | null];
	return {code, stderr};
}
