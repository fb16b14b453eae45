import {createHash} from 'node:crypto';

/**
File names. One allocator per run owns the set of names in use, so two
different URLs can never be given the same file, and every name is a single
safe path segment that cannot leave the output folder.
*/

/** Names Windows refuses whatever the extension (CON, NUL.txt ...). */
const reservedWindowsName = /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(\..*)?$/i;
/** Separators, characters Windows forbids, and control characters. */
const unsafeCharacters = /[/\\:*?"<>|\u0000-\u001F\u007F]/g;
const maxNameBytes = 255;

/** A URL path segment decoded, or as it is when its escapes are broken (`%E0%A4%A`): names never fail on a URL. */
export function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

function utf8Length(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

/** Cut a string to at most `bytes` bytes of UTF-8 without splitting a character. */
function truncateUtf8(text: string, bytes: number): string {
	let result = '';
	let size = 0;
	for (const character of text) {
		size += utf8Length(character);
		if (size > bytes) {
			break;
		}

		result += character;
	}

	return result;
}

/** Split a name into stem and extension (`.jpg`); a leading dot is not an extension. */
export function splitExtension(name: string): [stem: string, extension: string] {
	const dot = name.lastIndexOf('.');
	if (dot <= 0 || dot === name.length - 1 || name.length - dot > 16) {
		return [name, ''];
	}

	return [name.slice(0, dot), name.slice(dot)];
}

/**
Make any string a file name that is safe on Linux, macOS and Windows: no
separators or forbidden characters, no reserved device names, no trailing
dots or spaces, no `.`/`..`, at most 255 bytes of UTF-8 with the extension kept.
*/
export function sanitizeFileName(raw: string, fallback = 'image'): string {
	let name = raw.normalize('NFC').replace(unsafeCharacters, '_').trim();
	name = name.replace(/[. ]+$/, '');
	// A leading dot would hide the file, and `..` must never survive.
	name = name.replace(/^\.+/, '');
	if (name === '') {
		name = fallback;
	}

	if (reservedWindowsName.test(name)) {
		name = `_${name}`;
	}

	if (utf8Length(name) > maxNameBytes) {
		const [stem, extension] = splitExtension(name);
		name = truncateUtf8(stem, maxNameBytes - utf8Length(extension)).replace(/[. ]+$/, '') + extension;
	}

	return name;
}

/** The file name a URL suggests: its last path segment, decoded and made safe. */
export function fileNameFromUrl(url: string): string {
	const parsed = new URL(url);
	if (parsed.protocol === 'data:') {
		return 'data-image';
	}

	const segments = parsed.pathname.split('/');
	return sanitizeFileName(decodeSegment(segments.at(-1) ?? ''));
}

/** A short, stable fingerprint of a URL, used to tell same-named files apart. */
export function urlHash(url: string, length = 8): string {
	return createHash('sha256').update(url).digest('hex').slice(0, length);
}

export interface NameAllocator {
	/** The file name for a URL: the same URL always gets the same name; different URLs never share one. */
	allocate(url: string, preferred?: string): string;
	/**
	Give a URL the name it prefers now (its real type is known): its current
	name when that is what it preferred before, otherwise a new one, releasing the old.
	*/
	reassign(url: string, preferred: string): string;
	/**
	The URL's name is taken on disk by a file the run does not own: keep it
	taken and give the URL the next stable alternative (`name-1a2b3c4d.jpg`).
	*/
	displace(url: string): string;
}

/**
Names are compared case-insensitively, because on macOS and Windows `A.jpg`
and `a.jpg` are the same file. A clash gets the URL's hash appended, so the
name stays the same from run to run for that URL. A name may hold folders
(`a/b.jpg`, from a `name` template); the hash goes on its last segment.
*/
export function createNameAllocator(): NameAllocator {
	const byUrl = new Map<string, {preferred: string; name: string}>();
	const taken = new Set<string>();

	function claim(url: string, preferred: string): string {
		let name = preferred;
		if (taken.has(name.toLowerCase())) {
			const slash = preferred.lastIndexOf('/') + 1;
			const [stem, extension] = splitExtension(preferred.slice(slash));
			for (let attempt = 0; ; attempt++) {
				const suffix = attempt === 0 ? `-${urlHash(url)}` : `-${urlHash(url)}-${attempt}`;
				name = preferred.slice(0, slash) + sanitizeFileName(truncateUtf8(stem, maxNameBytes - utf8Length(suffix + extension)) + suffix + extension);
				if (!taken.has(name.toLowerCase())) {
					break;
				}
			}
		}

		taken.add(name.toLowerCase());
		byUrl.set(url, {preferred, name});
		return name;
	}

	return {
		allocate(url, preferred) {
			return byUrl.get(url)?.name ?? claim(url, preferred ?? fileNameFromUrl(url));
		},
		reassign(url, preferred) {
			const current = byUrl.get(url);
			if (current?.preferred === preferred) {
				return current.name;
			}

			if (current !== undefined) {
				taken.delete(current.name.toLowerCase());
			}

			return claim(url, preferred);
		},
		displace(url) {
			const current = byUrl.get(url);
			return claim(url, current?.preferred ?? fileNameFromUrl(url));
		},
	};
}
