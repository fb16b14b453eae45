import {distance} from 'fastest-levenshtein';

/**
The candidate nearest to what was typed, when it is near enough to be a typo:
two edits, or a third of the word's length for long ones (`--concurency` is
one edit from `--concurrency`, `lsit` two from `list`); none for one or two
letters, where every short flag is near.
*/
export function closest(typed: string, candidates: Iterable<string>): string | undefined {
	const limit = typed.length <= 2 ? 0 : Math.max(2, Math.floor(typed.length / 3));
	let best: string | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const edits = distance(typed.toLowerCase(), candidate.toLowerCase());
		if (edits < bestDistance) {
			best = candidate;
			bestDistance = edits;
		}
	}

	return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean X?)`, or '' when nothing is near. */
export function didYouMean(typed: string, candidates: Iterable<string>): string {
	const near = closest(typed, candidates);
	return near === undefined ? '' : ` (did you mean ${near}?)`;
}
