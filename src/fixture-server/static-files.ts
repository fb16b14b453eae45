/**
Files under /static/ from a folder of hand-written fixture sites. The request
path is decoded once and the result must stay inside the folder, symlinks
resolved, so `..`, `%2e%2e` and `..%2f` all end in a 404.
*/

import {readFile, realpath, stat} from 'node:fs/promises';
import {extname, resolve, sep} from 'node:path';
import type {RequestKind} from './stats.js';

/** The URL prefix static files are served under. */
export const staticPrefix = '/static/';

// HTML goes out without a charset so that the page's own <meta> decides, as
// hand-written fixtures in legacy encodings need.
const contentTypes: Readonly<Record<string, string>> = {
	'.html': 'text/html',
	'.htm': 'text/html',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.png': 'image/png',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.svg': 'image/svg+xml',
	'.bmp': 'image/bmp',
	'.ico': 'image/x-icon',
	'.json': 'application/json',
	'.css': 'text/css',
	'.txt': 'text/plain',
};

/** The content type for a file name, `application/octet-stream` when unknown. */
export function staticContentType(path: string): string {
	return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The counting kind of a static path, judged from its extension alone so it is known on arrival. */
export function staticKind(path: string): RequestKind {
	const type = staticContentType(path);
	if (type === 'text/html') {
		return 'page';
	}
	return type.startsWith('image/') ? 'image' : 'other';
}

/** A static file found on disk. */
export interface StaticFile {
	body: Buffer;
	contentType: string;
}

/**
Reads the file a `/static/...` path (without query) names inside `root`, or
returns undefined when it does not exist, is a directory, or lies outside `root`.
*/
export async function readStaticFile(root: string, path: string): Promise<StaticFile | undefined> {
	if (!path.startsWith(staticPrefix)) {
		return undefined;
	}
	return readFileInside(root, path.slice(staticPrefix.length));
}

/**
Reads the file an encoded, root-relative URL path names inside `root`, or
returns undefined when it does not exist, is a directory, or lies outside `root`.
*/
export async function readFileInside(root: string, encodedPath: string): Promise<StaticFile | undefined> {
	let relative: string;
	try {
		relative = decodeURIComponent(encodedPath);
	} catch {
		return undefined;
	}
	if (relative.includes('\0') || relative.includes('\\')) {
		return undefined;
	}
	try {
		const realRoot = await realpath(root);
		const candidate = await realpath(resolve(realRoot, `./${relative}`));
		if (!candidate.startsWith(realRoot + sep)) {
			return undefined;
		}
		if (!(await stat(candidate)).isFile()) {
			return undefined;
		}
		return {body: await readFile(candidate), contentType: staticContentType(relative)};
	} catch {
		// Missing files and unreadable folders are all simply not there.
		return undefined;
	}
}
