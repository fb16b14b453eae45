import type {TestContext} from 'node:test';
import {findExecutable} from '../../src/executables.js';

/**
A program a test needs from Debian's packages (redis-server, chromium). Missing
locally, the test skips and says how to get it; under `CI=true`, where
`.ci/run` installs it, a missing program fails the test instead of hiding it.
*/
export function needBinary(t: TestContext, name: string, candidates: readonly string[], install: string): string | undefined {
	const found = findExecutable(...candidates);
	if (found) return found;
	const message = `${name} not found (looked in ${candidates.join(', ')}); install it with \`${install}\``;
	if (process.env.CI === 'true') throw new Error(message);
	t.skip(message);
	return undefined;
}
