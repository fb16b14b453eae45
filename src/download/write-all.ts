import {writeSync} from 'node:fs';

/** Write the whole buffer synchronously: writeSync may write less than it is given. */
export function writeAll(fd: number, buffer: Uint8Array, offset = 0): void {
	for (let written = offset; written < buffer.length; ) {
		written += writeSync(fd, buffer, written);
	}
}
