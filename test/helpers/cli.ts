import {PassThrough, Readable} from 'node:stream';
import {main} from '../../src/cli/main.js';

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Run the CLI in-process with captured output, as a user would on a non-TTY. */
export async function runCli(args: string[], options: {stdin?: string; signal?: AbortSignal} = {}): Promise<CliResult> {
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
	const code = await main(args, {stdout, stderr, stdin: Readable.from([options.stdin ?? '']), signal: options.signal});
	return {code, stdout: out, stderr: err};
}
