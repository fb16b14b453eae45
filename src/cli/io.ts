/** What the CLI touches of the outside world; tests pass their own. */
export interface CliIo {
	stdout: NodeJS.WritableStream & {isTTY?: boolean};
	/** `columns`: the terminal's width, which the live progress line fits in. */
	stderr: NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
	/** Read only for `--input-file -`: the bin gives a getter, since Node builds `process.stdin` (a stream) on first use. */
	stdin: NodeJS.ReadableStream;
	/** Aborted on Ctrl-C; the bin wires it to SIGINT and SIGTERM. */
	signal?: AbortSignal | undefined;
	/** The environment, for `IMGSCRAPE_DEBUG` and the config file's place (`XDG_CONFIG_HOME`, `HOME`); `process.env` when absent. */
	env?: Record<string, string | undefined>;
	/** The working folder, where `./imgscrape.config.json` is looked for; `process.cwd()` when absent. */
	cwd?: string | undefined;
}

/** Exit codes, documented in the README. */
export const exitCodes = {
	ok: 0,
	someFailed: 1,
	usage: 2,
	/** A bug: an error nobody expected, inside the run or out of it (sysexits' EX_SOFTWARE). */
	internal: 70,
	interrupted: 130,
} as const;
