/**
Where a file goes inside the output folder: the URL's own file name with the
extension of its real type, or a `--name` template. Every segment is made safe
on its own, so no field value can add a `..` or a separator; the caller still
checks that the resolved path stays inside the output folder.
*/

import {UsageError} from '../errors.js';
import type {NameContext} from '../ports.js';
import {normaliseImageType} from './image-types.js';
import {decodeSegment, fileNameFromUrl, sanitizeFileName, splitExtension, urlHash} from './names.js';

/** The fields a `name` template may use. */
export const templateFields = ['host', 'path', 'name', 'ext', 'page', 'index', 'hash', 'alt', 'title', 'pageTitle', 'date'] as const;

export type TemplateField = (typeof templateFields)[number];

export type {NameContext} from '../ports.js';

const fieldPattern = /\{([^{}]*)\}/g;

/** Check a template's fields once, up front. Throws `UsageError` naming an unknown field. */
export function checkNameTemplate(template: string): string {
	// What is left once the fields are out must hold no brace: `{` alone is a field left open, not a file name.
	if (/[{}]/.test(template.replaceAll(fieldPattern, ''))) {
		throw new UsageError(`Expected \`name\` to be a template whose braces each hold one field such as {name}, got \`${template}\` (string)`);
	}

	for (const [, field] of template.matchAll(fieldPattern)) {
		if (!(templateFields as readonly string[]).includes(field!)) {
			throw new UsageError(`Unknown field \`{${field}}\` in \`name\` template \`${template}\`; use ${templateFields.map(each => `{${each}}`).join(' ')}`);
		}
	}

	return template;
}

/** Whether a template uses `field`. */
export function usesField(template: string | undefined, field: TemplateField): boolean {
	return template?.includes(`{${field}}`) ?? false;
}

/** A date as `{date}` gives it: `YYYY-MM-DD`, in UTC like Last-Modified. */
export function dateField(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/**
The URL's file name with the real type's extension: kept when it already names
that type (`.jpeg` for a JPEG), replaced when it names another image type,
appended otherwise (`show.php` -> `show.php.jpg`).
*/
export function withRealExtension(name: string, ext: string): string {
	const [stem, current] = splitExtension(name);
	const named = normaliseImageType(current);
	if (named === ext) {
		return name;
	}

	return sanitizeFileName(named === undefined ? `${name}.${ext}` : `${stem}.${ext}`);
}

/** The extension a URL suggests before any byte arrives, from its file name ({@link fileNameFromUrl}): its own, when it names an image type. */
export function guessExtension(urlFileName: string): string {
	const [, current] = splitExtension(urlFileName);
	return normaliseImageType(current) ?? 'jpg';
}

/**
The relative path (with `/` between folders) for an image of type `ext`.
Empty segments are dropped and each remaining one is sanitized for Linux,
macOS and Windows.
*/
export function fileNameFor(url: string, ext: string, template: string | undefined, context: NameContext, urlFileName = fileNameFromUrl(url)): string {
	const fileName = withRealExtension(urlFileName, ext);
	if (template === undefined) {
		return fileName;
	}

	const parsed = new URL(url);
	const folders = parsed.protocol === 'data:' ? [] : parsed.pathname.split('/').slice(1, -1).map(decodeSegment);
	const [stem] = splitExtension(fileName);
	// A value may not add separators; only {path} and the template's own slashes make folders.
	const flat = (value: string) => value.replaceAll(/[/\\]/g, '_');
	const values: Record<TemplateField, string> = {
		// A non-default port stays part of the host, as `host_8080`: two servers on one machine are two sites.
		host: flat(parsed.host.replace(':', '_')),
		path: folders.map(flat).join('/'),
		name: flat(stem),
		ext,
		page: String(context.page),
		index: String(context.index),
		hash: urlHash(url),
		alt: flat(context.alt ?? ''),
		title: flat(context.title ?? ''),
		pageTitle: flat(context.pageTitle ?? ''),
		date: context.date ?? '',
	};
	const rendered = template.replaceAll(fieldPattern, (_, field: string) => values[field as TemplateField] ?? '');
	const segments = rendered.split(/[/\\]/).filter(segment => segment.trim() !== '');
	if (segments.length === 0) {
		return fileName;
	}

	// Without {ext} the file still gets its real type's extension, as a name from the URL does.
	if (!usesField(template, 'ext')) {
		segments.push(withRealExtension(sanitizeFileName(segments.pop()!, '_'), ext));
	}

	return segments.map(segment => sanitizeFileName(segment, '_')).join('/');
}
