import {accessSync, constants} from 'node:fs';
import path from 'node:path';

/**
The first of `candidates` that can be run: an absolute path as it is, a bare
name looked up on PATH. For the other programs the bench compares against
(wget2, aria2c) and the servers tests start (redis-server, chromium).
*/
export function findExecutable(...candidates: readonly string[]): string | undefined {
	const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
	for (const candidate of candidates) {
		for (const file of path.isAbsolute(candidate) ? [candidate] : dirs.map(dir => path.join(dir, candidate))) {
			try {
				accessSync(file, constants.X_OK);
				return file;
			} catch {}
		}
	}

	return undefined;
}
