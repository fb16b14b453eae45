/**
A JPEG's pixel size read as its body streams, holding nothing but a few bytes
of state. A JPEG declares its size in its frame header (SOF), which follows
the APPn segments (EXIF, ICC profiles, thumbnails: often tens of kB, in some
files more than the body's first chunks). Joining the held chunks and
reading them again at each doubling, as for other types, copied every byte
of such a head several times over; this walks the segments once, skipping
each by its length, and reads the same bytes image-dimensions' reader
would: the same markers, the same fill bytes, the same stop at the first
scan (SOS), which a frame header must precede.
*/

import type {Dimensions} from './dimensions.js';

enum State {
	/** The first two bytes, FF D8 (start of image). */
	Start,
	/** The byte after FF D8 must be FF, the first marker's. */
	FirstMarker,
	/** Looking for FF: bytes between segments are skipped, as libjpeg does. */
	Scan,
	/** After FF: a fill byte (FF again) or the marker's code. */
	Marker,
	/** A segment's two length bytes. */
	Length,
	/** A segment's body, skipped. */
	Skip,
	/** A frame header: its length (2), precision (1), height (2) and width (2). */
	Frame,
	/** Settled: the size is found, or the bytes cannot hold it. */
	Done,
}

// Frame headers are SOF0 to SOF15, except DHT (C4), JPG (C8) and DAC (CC).
const isFrameMarker = (code: number) => code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;

export class JpegSize {
	/** The size, once found. */
	dimensions: Dimensions | undefined;
	#state = State.Start;
	/** Bytes read of the current field (start, length or frame header). */
	#count = 0;
	/** The field's value so far, big-endian. */
	#value = 0;
	#height = 0;
	/** Bytes of a segment's body still to skip. */
	#skip = 0;

	/** Whether more bytes can change nothing: the size is found, or cannot be. */
	get settled(): boolean {
		return this.#state === State.Done;
	}

	/** Read the next bytes of the body; the size, once these bytes settle it. */
	push(bytes: Uint8Array): Dimensions | undefined {
		for (let index = 0; index < bytes.length && this.#state !== State.Done; index++) {
			if (this.#state === State.Skip) {
				const skipped = Math.min(this.#skip, bytes.length - index);
				this.#skip -= skipped;
				index += skipped - 1;
				if (this.#skip === 0) {
					this.#state = State.Scan;
				}

				continue;
			}

			this.#byte(bytes[index]!);
		}

		return this.dimensions;
	}

	#byte(byte: number): void {
		switch (this.#state) {
			case State.Start: {
				if (byte !== (this.#count === 0 ? 0xff : 0xd8)) {
					this.#state = State.Done;
				} else if (++this.#count === 2) {
					this.#state = State.FirstMarker;
				}

				break;
			}

			case State.FirstMarker: {
				this.#state = byte === 0xff ? State.Marker : State.Done;
				break;
			}

			case State.Scan: {
				if (byte === 0xff) {
					this.#state = State.Marker;
				}

				break;
			}

			case State.Marker: {
				this.#marker(byte);
				break;
			}

			case State.Length: {
				this.#value = (this.#value << 8) | byte;
				if (++this.#count === 2) {
					this.#segment(this.#value);
				}

				break;
			}

			case State.Frame: {
				this.#frameByte(byte);
				break;
			}

			default:
		}
	}

	#marker(code: number): void {
		if (code === 0xff) {
			// A fill byte: the marker's code is still to come.
			return;
		}

		if (code === 0x01) {
			// TEM stands alone, without a length.
			this.#state = State.Scan;
		} else if (code === 0xda) {
			// The scan's entropy-coded data cannot be skipped by length, and a frame header would have come before it.
			this.#state = State.Done;
		} else {
			this.#state = isFrameMarker(code) ? State.Frame : State.Length;
			this.#count = 0;
			this.#value = 0;
		}
	}

	/** A segment's length counts its own two bytes. (Under 2, the reader by offset reads one or both again as bytes between segments: they are 00 or 01, no FF, so nothing comes of it.) */
	#segment(length: number): void {
		this.#skip = Math.max(0, length - 2);
		this.#state = this.#skip === 0 ? State.Scan : State.Skip;
	}

	#frameByte(byte: number): void {
		const at = this.#count++;
		if (at === 3 || at === 5) {
			this.#value = byte;
		} else if (at === 4) {
			this.#height = (this.#value << 8) | byte;
		} else if (at === 6) {
			const width = (this.#value << 8) | byte;
			this.#state = State.Done;
			if (width > 0 && this.#height > 0) {
				this.dimensions = {width, height: this.#height};
			}
		}
	}
}
