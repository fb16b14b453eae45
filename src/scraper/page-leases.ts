import type {Frontier, PageJob} from '../ports.js';

/** How often a run with nothing to do asks a shared frontier whether others' pages led to more. */
const sharedFrontierPollMs = 100;

export interface PageLeasesOptions {
	/** Pages in flight at once: the page pool's size, until `concurrency` is set. */
	concurrency: number;
	/** No job is taken once it is aborted, and the pages are then done as soon as none is in flight. */
	signal: AbortSignal;
	/** Handle one page; it must not reject (a page's failure is the caller's to report). */
	run(job: PageJob): Promise<void>;
}

/**
The page pool: leases jobs from the frontier while fewer than `concurrency`
pages are in flight, marks each done when handled, and settles `done` once no
page is in flight and the frontier says the crawl is finished. One pump runs
at a time; a call while it runs makes it go round once more.
*/
export class PageLeases {
	/** Settled once no page is in flight and the frontier is finished (or the run is cancelled). */
	readonly done: Promise<void>;
	readonly #frontier: Frontier;
	readonly #options: PageLeasesOptions;
	#resolve!: () => void;
	#reject!: (error: unknown) => void;
	#active = 0;
	#concurrency: number;
	#begun = false;
	#pumping = false;
	#pumpAgain = false;
	#stopped = false;

	constructor(frontier: Frontier, options: PageLeasesOptions) {
		this.#frontier = frontier;
		this.#options = options;
		this.#concurrency = options.concurrency;
		this.done = new Promise<void>((resolve, reject) => {
			this.#resolve = resolve;
			this.#reject = reject;
		});
	}

	/** Pages in flight at once. `--page-concurrency auto` sets it as the run goes: a rise takes more jobs at once, a fall lets those in flight finish. */
	get concurrency(): number {
		return this.#concurrency;
	}

	set concurrency(value: number) {
		this.#concurrency = value;
		// Before the run's first pump the frontier may be empty yet: a pump then would find the crawl finished.
		if (this.#begun) {
			this.pump();
		}
	}

	/** Take no more jobs: the pages are done once those in flight are (the run has what it wanted). */
	stop(): void {
		this.#stopped = true;
		this.pump();
	}

	/** Take what there is room for; call whenever jobs may have been added or a page ended. */
	pump(): void {
		this.#begun = true;
		if (this.#pumping) {
			this.#pumpAgain = true;
			return;
		}

		this.#pumping = true;
		void this.#pumpLoop();
	}

	async #pumpLoop(): Promise<void> {
		const {signal} = this.#options;
		try {
			do {
				this.#pumpAgain = false;
				while (!signal.aborted && !this.#stopped && this.#active < this.#concurrency) {
					const job = await this.#frontier.take();
					if (job === undefined) {
						break;
					}

					this.#active++;
					void this.#runPage(job);
				}

				if (this.#active === 0 && !this.#pumpAgain) {
					if (signal.aborted || this.#stopped || (await this.#frontier.isFinished())) {
						this.#resolve();
					} else if (!this.#pumpAgain) {
						// A shared frontier may still have others' jobs in progress, which can lead to more.
						// Not unref'd: the run is waiting on it, and an abort ends the wait on the next round.
						setTimeout(() => {
							this.pump();
						}, sharedFrontierPollMs);
					}
				}
			} while (this.#pumpAgain);
		} catch (error) {
			this.#reject(error);
		} finally {
			// Synchronously at the loop's end: a call from now on starts a loop of its own.
			this.#pumping = false;
		}
	}

	async #runPage(job: PageJob): Promise<void> {
		try {
			await this.#options.run(job);
			await this.#frontier.done(job);
		} catch (error) {
			this.#reject(error);
		} finally {
			this.#active--;
			this.pump();
		}
	}
}
