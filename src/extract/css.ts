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
			for (const raw of urlTokens(declaration.slice(colon + 1))) {
				urls.push(unescapeCss(raw));
			}
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

/**
The raw values of the `url(...)` tokens in a CSS value, in order, still
escaped: url("a"), url('a') or url(a), case-insensitive, spaces allowed inside
the parentheses. What /\burl\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|((?:[^"'()\\\s]|\\.)*))\s*\)/gi
matches, scanned by hand: that regex backtracks over the spaces of `url(` and
goes quadratic on a long run of them.
*/
export function urlTokens(value: string): string[] {
	const raws: string[] = [];
	let from = 0;
	for (;;) {
		const start = findUrlOpening(value, from);
		if (start === -1) {
			return raws;
		}
		const token = urlTokenAt(value, start + 4);
		if (token === undefined) {
			from = start + 1;
		} else {
			raws.push(token.raw);
			from = token.end;
		}
	}
}

/** The index of the next `url(`, in any case, at or after `from` that starts a word (a regex `\b`), or -1. */
function findUrlOpening(value: string, from: number): number {
	for (let paren = value.indexOf('(', from + 3); paren !== -1; paren = value.indexOf('(', paren + 1)) {
		const start = paren - 3;
		if (value.slice(start, paren).toLowerCase() === 'url' && (start === 0 || !isWordChar(value.charCodeAt(start - 1)))) {
			return start;
		}
	}
	return -1;
}

/** The token's raw value and where it ends, reading from just after `url(`; undefined when none starts there. */
function urlTokenAt(value: string, from: number): {raw: string; end: number} | undefined {
	let index = skipSpaces(value, from);
	const first = value[index];
	let raw: string;
	if (first === '"' || first === "'") {
		const end = scanQuoted(value, index + 1, first);
		if (end === -1) {
			return undefined;
		}
		raw = value.slice(index + 1, end);
		index = end + 1;
	} else {
		const end = scanUnquoted(value, index);
		raw = value.slice(index, end);
		index = end;
	}
	index = skipSpaces(value, index);
	return value[index] === ')' ? {raw, end: index + 1} : undefined;
}

/** The index of the closing quote, or -1 when the string runs to the end (or a backslash before a line break stops it). */
function scanQuoted(value: string, from: number, quote: string): number {
	for (let index = from; index < value.length; index++) {
		const char = value[index];
		if (char === quote) {
			return index;
		}
		if (char === '\\') {
			if (!isEscapable(value, index + 1)) {
				return -1;
			}
			index++;
		}
	}
	return -1;
}

/** The end of an unquoted URL: the first quote, parenthesis, space, or backslash that escapes nothing. */
function scanUnquoted(value: string, from: number): number {
	let index = from;
	while (index < value.length) {
		const char = value[index]!;
		if (char === '\\') {
			if (!isEscapable(value, index + 1)) {
				return index;
			}
			index += 2;
		} else if (char === '"' || char === "'" || char === '(' || char === ')' || isRegexSpace(char.charCodeAt(0))) {
			return index;
		} else {
			index++;
		}
	}
	return index;
}

// A regex `.` after the backslash: any character but a line terminator.
function isEscapable(value: string, index: number): boolean {
	const code = value.charCodeAt(index);
	return !Number.isNaN(code) && code !== 0x0a && code !== 0x0d && code !== 0x2028 && code !== 0x2029;
}

function skipSpaces(value: string, from: number): number {
	let index = from;
	while (index < value.length && isRegexSpace(value.charCodeAt(index))) {
		index++;
	}
	return index;
}

// A regex `\w`.
function isWordChar(code: number): boolean {
	return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

// A regex `\s`: ECMAScript's WhiteSpace and LineTerminator.
function isRegexSpace(code: number): boolean {
	return (
		(code >= 0x09 && code <= 0x0d) ||
		code === 0x20 ||
		code === 0xa0 ||
		code === 0x1680 ||
		(code >= 0x2000 && code <= 0x200a) ||
		code === 0x2028 ||
		code === 0x2029 ||
		code === 0x202f ||
		code === 0x205f ||
		code === 0x3000 ||
		code === 0xfeff
	);
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
