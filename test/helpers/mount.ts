import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';

/**
A fresh small tmpfs (options such as `size=64k` or `ro`), unmounted and
removed when the test ends. Returns undefined, having marked the test skipped,
where mounting is impossible (not root, no mount permission); under CI=true as
root it must work, so there it throws instead.
*/
export function mountTmpfs(t: TestContext, options: string): string | undefined {
	const dir = mkdtempSync(path.join(tmpdir(), 'imgscrape-mount-'));
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], {stdio: 'pipe'});
	} catch (error) {
		rmSync(dir, {recursive: true, force: true});
		const reason = (error as {stderr?: Buffer}).stderr?.toString().trim() || (error as Error).message;
		if (process.env.CI === 'true' && process.getuid?.() === 0) {
			throw new Error(`cannot mount a tmpfs under CI as root: ${reason}`);
		}

		t.skip(`cannot mount a tmpfs here (${reason}); run as root to test this`);
		return undefined;
	}

	t.after(() => {
		execFileSync('umount', ['-l', dir], {stdio: 'pipe'});
		rmSync(dir, {recursive: true, force: true});
	});
	return dir;
}
