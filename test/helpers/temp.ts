import {mkdtemp, readdir, readFile, readlink, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';
import {manifestName} from '../../src/download/manifest.js';

/** A fresh folder for one test, removed when the test ends. */
export async function tempDir(t: TestContext): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'imgscrape-test-'));
	t.after(() => rm(dir, {recursive: true, force: true}));
	return dir;
}

/** The files of a folder, sorted, hidden ones included (so stray temporaries show), except the run's manifest. */
export async function listFiles(dir: string): Promise<string[]> {
	return (await readdir(dir)).filter(name => name !== manifestName).sort();
}

/** Every entry below `dir` with what it holds (file bytes as hex, a link's target, `dir` for folders): to show that nothing there changed. */
export async function treeSnapshot(dir: string): Promise<Record<string, string>> {
	const snapshot: Record<string, string> = {};
	for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
		const file = path.join(entry.parentPath, entry.name);
		const key = path.relative(dir, file);
		if (entry.isSymbolicLink()) {
			snapshot[key] = `link -> ${await readlink(file)}`;
		} else if (entry.isDirectory()) {
			snapshot[key] = 'dir';
		} else {
			snapshot[key] = (await readFile(file)).toString('hex');
		}
	}

	return snapshot;
}
