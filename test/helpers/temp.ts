import {mkdtemp, readdir, rm} from 'node:fs/promises';
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
