/** Counted nouns: `1 image`, `2 images`, `1 parse worker`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
	return `${n} ${n === 1 ? singular : plural}`;
}
