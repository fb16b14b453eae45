/** What the CLI touches of the outside world; tests pass their own. */
export interface CliIo {
	stdout: NodeJS.WritableStream & {isTTY?: boolean};
	stderr: NodeJS.WritableStream & {isTTY?: boolean};
	stdin: NodeJS.ReadableStream;
	/** Aborted on Ctrl-C; the bin wires it to SIGINT and SIGTERM. */
	signal?: AbortSignal | undefined;
}

/** Exit codes, documented in the README. */
export const exitCodes = {
	ok: 0,
	someFailed: 1,
	usage: 2,
	interrupted: 130,
} as const;
