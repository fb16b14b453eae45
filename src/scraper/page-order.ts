/**
Pages finish in any order, but their results are reported in page order, as
`Executor.map` yields results in the order of its inputs. Results wait here
until every earlier page has reported or been skipped.
*/
export class PageOrder<T> {
	readonly #waiting = new Map<number, T | undefined>();
	readonly #release: (item: T) => void;
	#next = 0;

	constructor(release: (item: T) => void) {
		this.#release = release;
	}

	/** Page `index` finished with `item`. */
	done(index: number, item: T): void {
		this.#waiting.set(index, item);
		this.#drain();
	}

	/** Page `index` will never report (it was cancelled); stop waiting for it. */
	skip(index: number): void {
		this.#waiting.set(index, undefined);
		this.#drain();
	}

	/** Release everything still waiting, in order, skipping gaps (end of a cancelled run). */
	flush(): void {
		for (const index of [...this.#waiting.keys()].sort((a, b) => a - b)) {
			const item = this.#waiting.get(index);
			if (item !== undefined) {
				this.#release(item);
			}
		}

		this.#waiting.clear();
	}

	#drain(): void {
		while (this.#waiting.has(this.#next)) {
			const item = this.#waiting.get(this.#next);
			this.#waiting.delete(this.#next++);
			if (item !== undefined) {
				this.#release(item);
			}
		}
	}
}
