import {readFile} from 'node:fs/promises';
import {text} from 'node:stream/consumers';
import {UsageError} from '../errors.js';

/** Page URLs from a file (or stdin for `-`): one per line; blank lines and `#` comments ignored. */
export async function readInputFile(file: string, stdin: NodeJS.ReadableStream): Promise<string[]> {
	let content: string;
	try {
		content = file === '-' ? await text(stdin) : await readFile(file, 'utf8');
	} catch (error) {
		throw new UsageError(`Cannot read the input file \`${file}\`: ${(error as Error).message}`);
	}

	return content
		.split(/\r?\n/)
		.map(line => line.trim())
		.filter(line => line !== '' && !line.startsWith('#'));
}

/** The page inputs of a command: URLs on the command line, then those of --input-file. */
export async function collectPageInputs(argv: {urls?: readonly string[] | undefined; inputFile?: unknown}, stdin: NodeJS.ReadableStream): Promise<string[]> {
	const urls = (argv.urls ?? []).map(String);
	if (typeof argv.inputFile === 'string') {
		urls.push(...(await readInputFile(argv.inputFile, stdin)));
	}

	if (urls.length === 0) {
		throw new UsageError('Give at least one page URL, or --input-file');
	}

	return urls;
}
