/**
The package's own folder, for the files read at run time (package.json,
fixtures/, bin/). The code runs from two places at different depths: the tsc
output (dist/src/...), which library users import, and the CLI's bundle
(dist/cli/), so paths are resolved from the root found here rather than by
counting `../` from the running file.
*/
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const packageName = 'imgscrape';

/** The nearest folder at or above `start` whose package.json is this package's. */
function findRoot(start: string): {root: string; manifest: {name: string; version: string}} {
	for (let folder = start; ; folder = dirname(folder)) {
		const file = join(folder, 'package.json');
		if (existsSync(file)) {
			const manifest = JSON.parse(readFileSync(file, 'utf8')) as {name: string; version: string};
			if (manifest.name === packageName) {
				return {root: folder, manifest};
			}
		}

		if (dirname(folder) === folder) {
			throw new Error(`imgscrape: no package.json named ${packageName} above ${start}`);
		}
	}
}

const found = findRoot(dirname(fileURLToPath(import.meta.url)));

/** Absolute path of the package's folder (the one holding package.json). */
export const packageRoot = found.root;

/** The package's package.json, read once. */
export const packageManifest: {readonly name: string; readonly version: string} = found.manifest;

/** An absolute path inside the package: `packagePath('fixtures')`. */
export function packagePath(...segments: string[]): string {
	return join(packageRoot, ...segments);
}
