import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {manifestName} from '../../src/download/manifest.js';

/** The files under final names, each with its manifest line checked against its bytes. Returns the URLs complete on disk. */
export async function checkEveryFileHasItsLine(out: string, manifest = path.join(out, manifestName)): Promise<Set<string>> {
	let text = '';
	try {
		text = await readFile(manifest, 'utf8');
	} catch {}

	const byFile = new Map<string, {url: string; bytes: number; sha256: string}>();
	for (const line of text.split('\n').filter(line => line !== '')) {
		// Whatever stopped the run, the manifest is whole lines.
		const entry = JSON.parse(line) as {url: string; file: string; bytes: number; sha256: string};
		byFile.set(path.relative(out, path.resolve(path.dirname(manifest), entry.file)), entry);
	}

	const complete = new Set<string>();
	for (const name of await readdir(out)) {
		if (name.startsWith('.')) {
			continue;
		}

		const entry = byFile.get(name);
		assert.ok(entry, `${name} is on disk without a manifest line`);
		const bytes = await readFile(path.join(out, name));
		assert.equal(bytes.length, entry.bytes, `${name} is whole`);
		assert.equal(createHash('sha256').update(bytes).digest('hex'), entry.sha256, `${name} holds what its line says`);
		complete.add(entry.url);
	}

	return complete;
}
