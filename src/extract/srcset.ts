/**
The HTML standard's "parse a srcset attribute" algorithm, step by step:
https://html.spec.whatwg.org/multipage/images.html#parse-a-srcset-attribute

No maintained npm package implements it (parse-srcset is unmaintained since
2015 and untyped; `srcset` splits with regular expressions), so it lives here.
*/

/** One image candidate of a srcset, as the standard defines it. */
export interface SrcsetCandidate {
	/** The URL exactly as written (not yet resolved). */
	url: string;
	/** The `w` descriptor, when given. */
	width?: number;
	/** The `x` descriptor, when given; a candidate without `w` or `x` means 1x. */
	density?: number;
	/** The `h` descriptor (reserved by the standard for future use), when given. */
	height?: number;
}

enum State {
	InDescriptor,
	InParens,
	AfterDescriptor,
}

function isAsciiWhitespace(char: string | undefined): boolean {
	return char === ' ' || char === '\t' || char === '\n' || char === '\f' || char === '\r';
}

/**
Parse a srcset attribute value into its candidates, in order. Invalid
candidates (unknown descriptors, `0w`, `1.x`, `w` with `x`, `h` without `w` ...)
are dropped, as browsers drop them; commas inside URLs are kept.
*/
export function parseSrcset(input: string): SrcsetCandidate[] {
	const candidates: SrcsetCandidate[] = [];
	const end = input.length;
	let position = 0;
	for (;;) {
		// Splitting loop: skip whitespace and commas between candidates.
		while (position < end && (isAsciiWhitespace(input[position]) || input[position] === ',')) {
			position++;
		}
		if (position >= end) {
			return candidates;
		}
		const urlStart = position;
		while (position < end && !isAsciiWhitespace(input[position])) {
			position++;
		}
		let url = input.slice(urlStart, position);
		const descriptors: string[] = [];
		if (url.endsWith(',')) {
			// "a.jpg, b.jpg": a comma right after the URL ends the candidate, which has no descriptors.
			// A loop, not /,+$/: that regex retries from every comma of a long run and goes quadratic.
			let urlEnd = url.length;
			while (urlEnd > 0 && url.charCodeAt(urlEnd - 1) === 0x2c) {
				urlEnd--;
			}
			url = url.slice(0, urlEnd);
		} else {
			position = tokenizeDescriptors(input, position, descriptors);
		}
		const candidate = parseDescriptors(url, descriptors);
		if (candidate !== undefined) {
			candidates.push(candidate);
		}
	}
}

// The standard's descriptor tokenizer: fills `descriptors`, returns the position after this candidate.
function tokenizeDescriptors(input: string, start: number, descriptors: string[]): number {
	let position = start;
	while (position < input.length && isAsciiWhitespace(input[position])) {
		position++;
	}
	let current = '';
	let state = State.InDescriptor;
	for (; ; position++) {
		const char = input[position];
		switch (state) {
			case State.InDescriptor: {
				if (char === undefined) {
					if (current !== '') {
						descriptors.push(current);
					}
					return position;
				}
				if (isAsciiWhitespace(char)) {
					if (current !== '') {
						descriptors.push(current);
						current = '';
						state = State.AfterDescriptor;
					}
				} else if (char === ',') {
					if (current !== '') {
						descriptors.push(current);
					}
					return position + 1;
				} else if (char === '(') {
					current += char;
					state = State.InParens;
				} else {
					current += char;
				}
				break;
			}
			case State.InParens: {
				if (char === undefined) {
					descriptors.push(current);
					return position;
				}
				current += char;
				if (char === ')') {
					state = State.InDescriptor;
				}
				break;
			}
			case State.AfterDescriptor: {
				if (char === undefined) {
					return position;
				}
				if (!isAsciiWhitespace(char)) {
					state = State.InDescriptor;
					// Reconsume this character in the descriptor state.
					position--;
				}
				break;
			}
		}
	}
}

const NON_NEGATIVE_INTEGER = /^[0-9]+$/;
// https://html.spec.whatwg.org/multipage/common-microsyntaxes.html#valid-floating-point-number
const FLOATING_POINT_NUMBER = /^-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

// The standard's descriptor parser: a candidate, or undefined when it is in error and dropped.
function parseDescriptors(url: string, descriptors: string[]): SrcsetCandidate | undefined {
	let width: number | undefined;
	let density: number | undefined;
	let height: number | undefined;
	for (const descriptor of descriptors) {
		const value = descriptor.slice(0, -1);
		switch (descriptor.at(-1)) {
			case 'w': {
				if (width !== undefined || density !== undefined || !NON_NEGATIVE_INTEGER.test(value)) {
					return undefined;
				}
				width = Number(value);
				if (width === 0) {
					return undefined;
				}
				break;
			}
			case 'x': {
				if (width !== undefined || density !== undefined || height !== undefined || !FLOATING_POINT_NUMBER.test(value)) {
					return undefined;
				}
				density = Number(value);
				// The standard clamps huge values to the largest finite double; we drop them rather than report "Infinityx".
				if (density < 0 || !Number.isFinite(density)) {
					return undefined;
				}
				break;
			}
			case 'h': {
				if (height !== undefined || density !== undefined || !NON_NEGATIVE_INTEGER.test(value)) {
					return undefined;
				}
				height = Number(value);
				if (height === 0) {
					return undefined;
				}
				break;
			}
			default: {
				return undefined;
			}
		}
	}
	if (height !== undefined && width === undefined) {
		return undefined;
	}
	const candidate: SrcsetCandidate = {url};
	if (width !== undefined) {
		candidate.width = width;
	}
	if (density !== undefined) {
		candidate.density = density;
	}
	if (height !== undefined) {
		candidate.height = height;
	}
	return candidate;
}
