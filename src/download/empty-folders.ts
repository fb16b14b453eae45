import {rmdirSync} from 'node:fs';
import path from 'node:path';

/**
Remove `folder` and the folders above it up to `outermost` (the first one a
run created, as `mkdir -p` reports it), each only while it is empty: a run
takes back the folders it made and left empty, and nothing else.
*/
export function removeEmptyFolders(folder: string, outermost: string | undefined): void {
	if (outermost === undefined) {
		return;
	}

	for (let current = folder; ; current = path.dirname(current)) {
		try {
			rmdirSync(current);
		} catch {
			return;
		}

		if (current === outermost || path.dirname(current) === current) {
			return;
		}
	}
}
