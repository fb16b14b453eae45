/**
Pages finish in any order, but their results are reported in page order, as
`Executor.map` yields results in the order of its inputs. With detail pages
and next-page links the pages form a tree, reported depth first: a listing
page, then the pages found on it in document order (its detail pages, then
the next listing page). A result waits here until everything before it in
that order has been reported or skipped.
*/
export interface OrderSlot {
	readonly children: OrderSlot[];
}

interface Slot<T> extends OrderSlot {
	readonly children: Array<Slot<T>>;
	settled: boolean;
	item: T | undefined;
}

export class PageOrder<T> {
	readonly #roots: Array<Slot<T>> = [];
	readonly #release: (item: T) => void;
	/** Slots still to release, the next one on top. */
	readonly #stack: Array<Slot<T>> = [];
	#started = false;

	constructor(release: (item: T) => void) {
		this.#release = release;
	}

	/** A place in the order for a page: after the start pages added before it, or after `parent`'s earlier children. Add children before settling their parent. */
	add(parent?: OrderSlot): OrderSlot {
		const slot: Slot<T> = {children: [], settled: false, item: undefined};
		if (parent === undefined) {
			if (this.#started) {
				throw new Error('Start pages must all be added before the first result');
			}

			this.#roots.push(slot);
		} else {
			(parent as Slot<T>).children.push(slot);
		}

		return slot;
	}

	/** The page of `slot` finished with `item`. */
	done(slot: OrderSlot, item: T): void {
		this.#settle(slot as Slot<T>, item);
	}

	/** The page of `slot` will never report (it was cancelled); stop waiting for it. */
	skip(slot: OrderSlot): void {
		this.#settle(slot as Slot<T>, undefined);
	}

	/** Release everything settled but still waiting, in order, passing over what never settled (end of a cancelled run). */
	flush(): void {
		this.#start();
		while (this.#stack.length > 0) {
			const slot = this.#stack.pop()!;
			if (slot.settled) {
				this.#releaseItem(slot);
			}

			this.#stack.push(...[...slot.children].reverse());
		}
	}

	#settle(slot: Slot<T>, item: T | undefined): void {
		slot.settled = true;
		slot.item = item;
		this.#start();
		while (this.#stack.length > 0 && this.#stack.at(-1)!.settled) {
			const next = this.#stack.pop()!;
			this.#releaseItem(next);

			this.#stack.push(...[...next.children].reverse());
		}
	}

	/** Hand a slot's item on and drop it: the tree outlives the results, which can hold thousands of images. */
	#releaseItem(slot: Slot<T>): void {
		const {item} = slot;
		slot.item = undefined;
		if (item !== undefined) {
			this.#release(item);
		}
	}

	#start(): void {
		if (!this.#started) {
			this.#started = true;
			this.#stack.push(...[...this.#roots].reverse());
		}
	}
}
