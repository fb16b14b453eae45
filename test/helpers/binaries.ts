import type {TestContext} from 'node:test';
import {findExecutable} from '../../src/bench/executables.js';

/** The first of `candidates` (absolute paths, or names looked up on PATH) that can be run, if any. */
export function findBinary(candidates: readonly string[]): string | undefined {
	return findExecutable(...candidates);
}

/**
A program a test needs from Debian's packages (redis-server, chromium). Missing
locally, the test skips and says how to get it; under `CI=true`, where
`.ci/run` installs it, a missing program fails the test instead of hiding it.
*/
export function needBinary(t: TestContext, name: string, candidates: readonly string[], install: string): string | undefined {
	const found = findBinary(candidates);
	if (found) return found;
	const message = `${name} not found (looked in ${candidates.join(', ')}); install it with \`${install}\``;
	if (process.env.CI === 'true') throw new Error(message);
	t.skip(message);
	return undefined;
}
