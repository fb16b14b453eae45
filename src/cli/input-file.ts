import {readFile} from 'node:fs/promises';
import {text} from 'node:stream/consumers';
import {UsageError} from '../errors.js';
import type {CliIo} from './io.js';

/** A page URL from the command line or a file, with where it came from for the message that refuses it. */
interface PageInput {
	url: string;
	/** `pages.txt:3`, or undefined for a command-line argument. */
	where?: string | undefined;
}

/**
Why a page input is no http(s) URL, in words that help: a missing scheme gets
the URL it probably meant (`127.0.0.1:8081/x.html` -> `http://127.0.0.1:8081/x.html`);
a template's placeholders are fine as they are.
*/
export function pageUrlProblem(input: string): string | undefined {
	let url: URL | undefined;
	try {
		url = new URL(input);
	} catch {}

	if (url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:')) {
		return undefined;
	}

	// `host:port/path` parses with the host as its scheme; a bare `example.com/x` does not parse at all.
	const schemeless = url === undefined || /^[\w.-]+:\d/.test(input);
	if (schemeless && /^[\w-]+(\.[\w-]+)*(:\d+)?(\/|$)/.test(input) && (/[.:]/.test(input.split('/')[0]!) || input.startsWith('localhost'))) {
		return `\`${input}\` is not a URL (did you mean http://${input}?)`;
	}

	if (url !== undefined) {
		return `\`${input}\` is not an http or https URL`;
	}

	return `\`${input}\` is not a URL: give a page URL such as https://example.com/gallery/`;
}

/** Page URLs from a file (or stdin for `-`): one per line; blank lines and `#` comments ignored. Each keeps its line number. */
export async function readInputFile(file: string, io: Pick<CliIo, 'stdin'>): Promise<PageInput[]> {
	let content: string;
	try {
		content = file === '-' ? await text(io.stdin) : await readFile(file, 'utf8');
	} catch (error) {
		const {code, message} = error as NodeJS.ErrnoException;
		const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : message;
		throw new UsageError(`Cannot read the input file \`${file}\`: ${reason}`);
	}

	const name = file === '-' ? 'stdin' : file;
	const inputs = content
		.split(/\r?\n/)
		.map((line, index) => ({url: line.trim(), where: `${name}:${index + 1}`}))
		.filter(({url}) => url !== '' && !url.startsWith('#'));
	if (inputs.length === 0) {
		throw new UsageError(`The input file \`${name}\` holds no page URL (only blank lines and # comments): put one URL per line`);
	}

	return inputs;
}

/** The page inputs of a command: URLs on the command line, then those of --input-file, each checked to be an http(s) URL. */
export async function collectPageInputs(argv: {urls?: readonly string[] | undefined; inputFile?: unknown}, io: Pick<CliIo, 'stdin'>): Promise<string[]> {
	const inputs: PageInput[] = (argv.urls ?? []).map(url => ({url: String(url)}));
	if (typeof argv.inputFile === 'string') {
		inputs.push(...(await readInputFile(argv.inputFile, io)));
	}

	if (inputs.length === 0) {
		throw new UsageError('Give at least one page URL, or --input-file FILE with one per line');
	}

	for (const {url, where} of inputs) {
		const problem = pageUrlProblem(url);
		if (problem !== undefined) {
			throw new UsageError(where === undefined ? problem : `${where}: ${problem}`);
		}
	}

	return inputs.map(({url}) => url);
}
