/** The srcset parser against the HTML standard's algorithm, case by case. */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseSrcset, type SrcsetCandidate} from '../src/extract/srcset.js';

const cases: Array<[name: string, input: string, expected: SrcsetCandidate[]]> = [
	['empty', '', []],
	['only separators', ' , ,, ', []],
	['one URL, no descriptor', 'a.jpg', [{url: 'a.jpg'}]],
	[
		'w descriptors',
		'a.jpg 400w, b.jpg 800w',
		[
			{url: 'a.jpg', width: 400},
			{url: 'b.jpg', width: 800},
		],
	],
	[
		'x descriptors',
		'a.jpg 1x,b.jpg 2.5x',
		[
			{url: 'a.jpg', density: 1},
			{url: 'b.jpg', density: 2.5},
		],
	],
	['fraction without integer part is valid', 'a.jpg .5x', [{url: 'a.jpg', density: 0.5}]],
	['exponent', 'a.jpg 1e1x', [{url: 'a.jpg', density: 10}]],
	['zero density is allowed', 'a.jpg 0x', [{url: 'a.jpg', density: 0}]],
	[
		'comma inside a URL',
		'https://x.test/c_fill,w_400/a.jpg 1x, https://x.test/c_fill,w_800/a.jpg 2x',
		[
			{url: 'https://x.test/c_fill,w_400/a.jpg', density: 1},
			{url: 'https://x.test/c_fill,w_800/a.jpg', density: 2},
		],
	],
	['URL without whitespace before the next candidate swallows it', 'a.jpg,b.jpg 2x', [{url: 'a.jpg,b.jpg', density: 2}]],
	['trailing commas end the URL', 'a.jpg,, b.jpg', [{url: 'a.jpg'}, {url: 'b.jpg'}]],
	[
		'all ASCII whitespace separates',
		'\ta.jpg\n100w,\fb.jpg\r200w',
		[
			{url: 'a.jpg', width: 100},
			{url: 'b.jpg', width: 200},
		],
	],
	[
		'no space before the comma after a descriptor',
		'a.jpg 1x,b.jpg 2x',
		[
			{url: 'a.jpg', density: 1},
			{url: 'b.jpg', density: 2},
		],
	],
	['w with h', 'a.jpg 100w 50h', [{url: 'a.jpg', width: 100, height: 50}]],
	['h without w is dropped', 'a.jpg 50h, b.jpg', [{url: 'b.jpg'}]],
	['0w is dropped', 'a.jpg 0w, b.jpg 1w', [{url: 'b.jpg', width: 1}]],
	['negative w is dropped', 'a.jpg -100w', []],
	['fractional w is dropped', 'a.jpg 100.5w', []],
	['negative x is dropped', 'a.jpg -1x', []],
	['"1." is not a valid number', 'a.jpg 1.x', []],
	['"+2" is not a valid number', 'a.jpg +2x', []],
	['w and x together are dropped', 'a.jpg 100w 2x, b.jpg 2x 100w', []],
	['two x descriptors are dropped', 'a.jpg 1x 2x', []],
	['unknown descriptor is dropped', 'a.jpg 2q, b.jpg foo', []],
	['descriptor without a number', 'a.jpg x, b.jpg w', []],
	['uppercase descriptors are not descriptors', 'a.jpg 2X, b.jpg 100W', []],
	['parentheses keep whitespace and commas in one token', 'a.jpg (x, y) 2x, b.jpg 1x', [{url: 'b.jpg', density: 1}]],
	['unclosed parenthesis runs to the end', 'a.jpg 2x (oops, b.jpg 1x', []],
	['a huge density is dropped, not Infinity', 'a.jpg 1e999x', []],
	['data URI with a comma', 'data:image/gif;base64,R0lGOD 1x', [{url: 'data:image/gif;base64,R0lGOD', density: 1}]],
];

for (const [name, input, expected] of cases) {
	test(`parseSrcset: ${name}`, () => {
		assert.deepStrictEqual(parseSrcset(input), expected);
	});
}

test('parseSrcset reads a srcset of 300,000 commas in one pass', {timeout: 60_000}, () => {
	// The timeout only catches a hang: a regular expression that trimmed the commas backtracked for tens of seconds.
	const url = `x${','.repeat(300_000)}y`;
	assert.deepStrictEqual(parseSrcset(`${url},`), [{url}]);
	assert.deepStrictEqual(parseSrcset(`${','.repeat(300_000)}a.jpg${','.repeat(300_000)} b.jpg 2x`), [{url: 'a.jpg'}, {url: 'b.jpg', density: 2}]);
});
