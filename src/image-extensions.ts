/**
The one list of image types and the file extensions that name them: what
`--accept` takes, how the extension of a saved file is chosen, and which
`<a href>` links `--links` counts as images. Plain data, so the extractor and
its workers load it without the sniffing code.
*/

/** The image types kept, by canonical extension, with the extensions that mean the same. */
export const imageTypes: Readonly<Record<string, {mime: string; aliases: readonly string[]}>> = {
	jpg: {mime: 'image/jpeg', aliases: ['jpeg', 'jpe', 'jfif', 'pjpeg', 'pjp']},
	png: {mime: 'image/png', aliases: ['apng']},
	gif: {mime: 'image/gif', aliases: []},
	webp: {mime: 'image/webp', aliases: []},
	avif: {mime: 'image/avif', aliases: []},
	bmp: {mime: 'image/bmp', aliases: ['dib']},
	ico: {mime: 'image/x-icon', aliases: ['cur']},
	tiff: {mime: 'image/tiff', aliases: ['tif']},
	svg: {mime: 'image/svg+xml', aliases: []},
	heic: {mime: 'image/heic', aliases: ['heif']},
	jxl: {mime: 'image/jxl', aliases: []},
};

/** The canonical names of the image types, for messages and `--accept`. */
export const imageTypeNames: readonly string[] = Object.keys(imageTypes);

/** The canonical type an extension names (`JPEG` -> `jpg`, `.tif` -> `tiff`), or undefined when it is not an image type. */
export function normaliseImageType(extension: string): string | undefined {
	const lower = extension.toLowerCase().replace(/^\./, '');
	if (lower in imageTypes) {
		return lower;
	}

	return imageTypeNames.find(name => imageTypes[name]!.aliases.includes(lower));
}

/** Whether a URL path's last segment ends in an extension of an image type (`a.jpg`, `b.JFIF`, `c.heic`). */
export function hasImageFileExtension(path: string): boolean {
	const slash = path.lastIndexOf('/');
	const dot = path.lastIndexOf('.');
	return dot > slash && dot < path.length - 1 && normaliseImageType(path.slice(dot + 1)) !== undefined;
}
