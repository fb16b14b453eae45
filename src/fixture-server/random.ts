/**
Cheap, seeded pseudo-randomness for the fixture server. Nothing here needs to be
good randomness: it needs to be fast, deterministic across runs and machines,
and different for different seeds.
*/

/** FNV-1a over the UTF-16 code units of a string: a stable 32-bit seed from a name. */
export function hashString(text: string): number {
	let hash = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) {
		hash ^= text.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/**
The `counter`-th output of mulberry32 seeded with `seed`. Mulberry32's state only
ever advances by a constant, so any output can be computed directly: that lets
image bytes be a pure function of their file offset.
*/
export function mix32(seed: number, counter: number): number {
	let t = (seed + Math.imul(counter + 1, 0x6d2b79f5)) | 0;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return (t ^ (t >>> 14)) >>> 0;
}

/**
Fills `target` with the pseudo-random bytes that sit at file offsets
`offset ... offset + target.length` of a stream seeded with `seed`.
*/
export function fillRandom(target: Uint8Array, seed: number, offset: number): void {
	let word = mix32(seed, Math.floor(offset / 4));
	for (let index = 0; index < target.length; index++) {
		const position = offset + index;
		const lane = position & 3;
		if (lane === 0 && index > 0) {
			word = mix32(seed, position / 4);
		}
		target[index] = (word >>> (lane * 8)) & 0xff;
	}
}

/** A sequence of numbers in `0 ... max`, the same sequence for the same seed. */
export function createSequence(seed: number, max: number): () => number {
	let counter = 0;
	return () => (mix32(seed, counter++) / 0xffffffff) * max;
}
