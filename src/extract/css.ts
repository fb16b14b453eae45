/**
Image URLs in an inline `style` attribute's `background` and
`background-image` declarations. A small scanner rather than a CSS parser:
inline styles are short, and the only hard parts are `;` and `)` inside quoted
URLs and data: URIs.
*/

const BACKGROUND_PROPERTIES = new Set(['background', 'background-image']);

/** The raw (unresolved) `url(...)` values of the background declarations in a style attribute, in order. */
export function backgroundUrls(style: string): string[] {
	const urls: string[] = [];
	for (const declaration of splitDeclarations(style)) {
		const colon = declaration.indexOf(':');
		if (colon === -1) {
			continue;
		}
		const property = declaration.slice(0, colon).trim().toLowerCase();
		if (BACKGROUND_PROPERTIES.has(property)) {
			collectUrls(declaration.slice(colon + 1), urls);
		}
	}
	return urls;
}

// Split at top-level `;`, ignoring those inside quotes or parentheses (`url(data:image/png;base64,...)`).
function splitDeclarations(style: string): string[] {
	const declarations: string[] = [];
	let start = 0;
	let quote = '';
	let depth = 0;
	for (let index = 0; index < style.length; index++) {
		const char = style[index];
		if (quote !== '') {
			if (char === '\\') {
				index++;
			} else if (char === quote) {
				quote = '';
			}
		} else if (char === '"' || char === "'") {
			quote = char;
		} else if (char === '(') {
			depth++;
		} else if (char === ')') {
			depth = Math.max(0, depth - 1);
		} else if (char === ';' && depth === 0) {
			declarations.push(style.slice(start, index));
			start = index + 1;
		}
	}
	declarations.push(style.slice(start));
	return declarations;
}

// url("a"), url('a') or url(a), case-insensitive, spaces allowed inside the parentheses.
const URL_TOKEN = /\burl\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|((?:[^"'()\\\s]|\\.)*))\s*\)/gi;

function collectUrls(value: string, urls: string[]): void {
	for (const match of value.matchAll(URL_TOKEN)) {
		const raw = match[1] ?? match[2] ?? match[3] ?? '';
		urls.push(unescapeCss(raw));
	}
}

// https://www.w3.org/TR/css-syntax-3/#consume-escaped-code-point, enough for URLs: `\)`, `\"`, `\20 `.
function unescapeCss(value: string): string {
	if (!value.includes('\\')) {
		return value;
	}
	return value.replace(/\\(?:([0-9a-fA-F]{1,6})[\t\n\f\r ]?|([^\n\f\r]))/g, (_match, hex: string | undefined, char: string | undefined) => {
		if (hex !== undefined) {
			const codePoint = Number.parseInt(hex, 16);
			return codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff) ? '\ufffd' : String.fromCodePoint(codePoint);
		}
		return char ?? '';
	});
}
