/**
Turning response bytes into a string the way a browser does, with cheerio's own
stack: encoding-sniffer (the HTML "prescan" and BOM rules) to pick the encoding
and iconv-lite to decode.

https://html.spec.whatwg.org/multipage/parsing.html#determining-the-character-encoding
*/
import {isUtf8} from 'node:buffer';
import iconv from 'iconv-lite';
import {ResultType, Sniffer} from 'encoding-sniffer/sniffer';
import type {Headers} from '../types.js';
import {lastHeader} from '../http/headers.js';

/** A page's text and the WHATWG name of the encoding it was decoded with. */
export interface DecodedHtml {
	html: string;
	encoding: string;
}

/**
Pick an encoding in the browser's order: a byte order mark, then the HTTP
`Content-Type` charset, then a `<meta charset>` or `http-equiv` in the first
1024 bytes, then a default.

The spec's default for an unlabelled page is a locale-dependent legacy encoding
(windows-1252 for most locales). We use UTF-8 when the bytes are valid UTF-8:
today's unlabelled pages are mostly UTF-8, while valid UTF-8 that was meant as
windows-1252 is vanishingly rare (it needs an accented byte followed by exactly
the right continuation bytes). Only then do we fall back to windows-1252.
*/
export function sniffEncoding(bytes: Uint8Array, headers: Headers): string {
	const transportLayerEncodingLabel = charsetFromContentType(lastHeader(headers, 'content-type'));
	const sniffer = new Sniffer(transportLayerEncodingLabel === undefined ? {} : {transportLayerEncodingLabel});
	sniffer.write(bytes);
	if (sniffer.resultType !== ResultType.DEFAULT) {
		return sniffer.encoding;
	}
	return isUtf8(bytes) ? 'UTF-8' : 'windows-1252';
}

/** Decode a page's bytes; see {@link sniffEncoding} for how the encoding is chosen. */
export function decodeHtml(bytes: Uint8Array, headers: Headers): DecodedHtml {
	const encoding = sniffEncoding(bytes, headers);
	return {html: decodeWith(bytes, encoding), encoding};
}

function decodeWith(bytes: Uint8Array, encoding: string): string {
	if (encoding === 'x-user-defined') {
		return decodeUserDefined(bytes);
	}
	// iconv-lite wants a Buffer; this view shares the memory rather than copying a 2 MB page.
	const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	// Every name encoding-sniffer returns is known to iconv-lite; the guard is for a future mismatch.
	// iconv-lite strips a leading BOM, as the spec's decode does.
	return iconv.decode(buffer, iconv.encodingExists(encoding) ? encoding : 'windows-1252');
}

// https://encoding.spec.whatwg.org/#x-user-defined-decoder (HTTP can name it; iconv-lite has no table).
// Into one UTF-16LE buffer decoded at once: a string per byte took 70 bytes of heap for every byte of the page.
function decodeUserDefined(bytes: Uint8Array): string {
	const utf16 = Buffer.allocUnsafe(bytes.length * 2);
	for (let index = 0; index < bytes.length; index++) {
		const byte = bytes[index]!;
		// 0x00-0x7F stay as they are and 0x80-0xFF become U+F780-U+F7FF, that is U+F700 plus the byte: low byte first.
		utf16[index * 2] = byte;
		utf16[index * 2 + 1] = byte < 0x80 ? 0 : 0xf7;
	}
	return utf16.toString('utf16le');
}

/**
The `charset` parameter of a `Content-Type` value, unquoted, or undefined.
A simplified https://fetch.spec.whatwg.org/#concept-header-extract-mime-type:
enough for real servers, which send `text/html; charset=gbk` or `charset="utf-8"`.
*/
export function charsetFromContentType(value: string | undefined): string | undefined {
	if (value === undefined) {
		return undefined;
	}
	const parameters = value.split(';').slice(1);
	for (const parameter of parameters) {
		const equals = parameter.indexOf('=');
		if (equals === -1 || parameter.slice(0, equals).trim().toLowerCase() !== 'charset') {
			continue;
		}
		let charset = parameter.slice(equals + 1).trim();
		if (charset.length >= 2 && charset.startsWith('"') && charset.endsWith('"')) {
			charset = charset.slice(1, -1);
		}
		return charset === '' ? undefined : charset;
	}
	return undefined;
}
