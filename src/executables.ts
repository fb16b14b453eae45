import {accessSync, constants, statSync} from 'node:fs';
import path from 'node:path';

/** Whether `file` is a program this process may run: a file, with the execute bit for us. */
export function isRunnable(file: string): boolean {
	try {
		accessSync(file, constants.X_OK);
		return statSync(file).isFile();
	} catch {
		return false;
	}
}

/**
The first of `candidates` that can be run: an absolute path as it is, a bare
name looked up on PATH. For the other programs the bench compares against
(wget2, aria2c) and the servers tests start (redis-server, chromium).
*/
export function findExecutable(...candidates: readonly string[]): string | undefined {
	const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
	for (const candidate of candidates) {
		const found = (path.isAbsolute(candidate) ? [candidate] : dirs.map(dir => path.join(dir, candidate))).find(isRunnable);
		if (found !== undefined) {
			return found;
		}
	}

	return undefined;
}
