/** Small, exact statistics over recorded samples. */

/** Nearest-rank percentile of ascending-sorted samples (p in 0..100); 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) {
		return 0;
	}

	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The median: for an even count, the mean of the two middle samples. */
export function median(samples: readonly number[]): number {
	if (samples.length === 0) {
		return 0;
	}

	const sorted = [...samples].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
