/**
How many exchanges may be in flight while the process is short of file
descriptors. Each exchange holds a socket, and an image's a file too; a run
with `-c 300` under a limit of 256 descriptors (macOS's default) would
otherwise fail most of its requests at once.

No limit until an exchange fails with EMFILE/ENFILE. Then the limit drops to
half of what was in flight (once per shortage: failures of exchanges that
started before the drop say nothing about the new limit), and creeps back up
by one after each `limit` exchanges that end without a shortage, staying
below the level that last ran out: the additive increase and multiplicative
decrease of TCP's congestion control.
*/

/** A place taken by one exchange; hand it back to {@link DescriptorLimit.release}. */
export interface Permit {
	/** The limit's generation when the permit was taken. */
	readonly generation: number;
}

interface Waiter {
	grant(permit: Permit): void;
}

export class DescriptorLimit {
	#limit = Number.POSITIVE_INFINITY;
	/** The most in flight that is known to have run out. */
	#ceiling = Number.POSITIVE_INFINITY;
	#active = 0;
	#generation = 0;
	/** Exchanges that ended well since the limit last moved. */
	#successes = 0;
	readonly #waiters: Waiter[] = [];

	/** The current limit: `Infinity` until the first shortage. */
	get limit(): number {
		return this.#limit;
	}

	/** Exchanges in flight. */
	get active(): number {
		return this.#active;
	}

	/** Take a place, waiting in arrival order while the limit is reached; rejects with the signal's reason if it aborts first. */
	async acquire(signal?: AbortSignal): Promise<Permit> {
		if (this.#active < this.#limit && this.#waiters.length === 0) {
			this.#active++;
			return {generation: this.#generation};
		}

		if (signal?.aborted) {
			throw signal.reason;
		}

		return new Promise((resolve, reject) => {
			const onAbort = () => {
				const index = this.#waiters.indexOf(waiter);
				if (index !== -1) {
					this.#waiters.splice(index, 1);
				}

				reject(signal!.reason);
			};

			const waiter: Waiter = {
				grant(permit) {
					signal?.removeEventListener('abort', onAbort);
					resolve(permit);
				},
			};
			this.#waiters.push(waiter);
			signal?.addEventListener('abort', onAbort, {once: true});
		});
	}

	/** Give a place back, saying whether its exchange ran out of descriptors; true when that lowered the limit. */
	release(permit: Permit, exhausted: boolean): boolean {
		const inFlight = this.#active;
		this.#active--;
		let lowered = false;
		if (exhausted) {
			if (permit.generation === this.#generation) {
				this.#ceiling = Math.min(this.#ceiling, inFlight);
				this.#limit = Math.max(1, Math.floor(inFlight / 2));
				this.#generation++;
				this.#successes = 0;
				lowered = true;
			}
		} else if (this.#limit < this.#ceiling - 1 && ++this.#successes >= this.#limit) {
			this.#limit++;
			this.#successes = 0;
		}

		while (this.#active < this.#limit && this.#waiters.length > 0) {
			this.#active++;
			this.#waiters.shift()!.grant({generation: this.#generation});
		}

		return lowered;
	}
}
