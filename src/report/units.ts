/** Bytes and durations as the report and progress print them. */
export function formatBytes(bytes: number): string {
	if (bytes < 1000) {
		return `${bytes} B`;
	}

	const units = ['kB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = -1;
	do {
		value /= 1000;
		unit++;
	} while (value >= 1000 && unit < units.length - 1);

	return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function formatMs(ms: number): string {
	return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
