/**
Request counters and the optional event log. Tests assert on these counts and
on the order of events, never on how long anything took.
*/

/** What a request is, for counting: pages (listing, detail, static HTML), images, or anything else. */
export type RequestKind = 'page' | 'image' | 'other';

/** Counters for one kind of request, or for all of them. */
export interface KindStats {
	/** Requests received (counted on arrival). */
	requests: number;
	/** Requests whose response has neither finished nor lost its socket. */
	inFlight: number;
	/** The highest `inFlight` seen since start or the last reset. */
	peakInFlight: number;
}

/** All counters: the totals, then per kind. */
export interface ServerStats extends KindStats {
	page: KindStats;
	image: KindStats;
	other: KindStats;
	/** Response body bytes handed to the sockets (headers not included). */
	bytesSent: number;
	/** Requests answered 503 because more than `imageCapacity` images (or `pageCapacity` pages) were in flight. */
	refused: number;
	/** Responses whose connection closed before their body was all sent: a client that stopped reading. */
	closedEarly: number;
}

/** One entry of the ordered event log. */
export interface LogEntry {
	/** Position in the log, from 0. */
	seq: number;
	kind: RequestKind;
	/** The request path as received, without its query string. */
	path: string;
	event: 'request' | 'response-end';
}

/** The counters and log of one server. */
export interface StatsRecorder {
	/** Counts an arriving request; returns the callback that ends it, which only counts once. */
	begin(kind: RequestKind, path: string): () => void;
	addBytes(count: number): void;
	/** Counts a request refused for overload. */
	refuse(): void;
	/** Requests of this kind in flight now. */
	inFlight(kind: RequestKind): number;
	/** Counts a response whose connection closed before its body was all sent. */
	closedEarly(): void;
	snapshot(): ServerStats;
	log(): LogEntry[];
	/** Zeroes the counts and the log; requests still in flight stay counted as in flight. */
	reset(): void;
}

function zero(): KindStats {
	return {requests: 0, inFlight: 0, peakInFlight: 0};
}

function restart(stats: KindStats): void {
	stats.requests = 0;
	stats.peakInFlight = stats.inFlight;
}

/** Creates the counters of one server; `logEvents` turns the ordered event log on. */
export function createStats(logEvents: boolean): StatsRecorder {
	const total = zero();
	const byKind: Record<RequestKind, KindStats> = {page: zero(), image: zero(), other: zero()};
	let bytesSent = 0;
	let refused = 0;
	let closedEarly = 0;
	let entries: LogEntry[] = [];

	function record(kind: RequestKind, path: string, event: LogEntry['event']): void {
		if (logEvents) {
			entries.push({seq: entries.length, kind, path, event});
		}
	}

	return {
		begin(kind, path) {
			for (const stats of [total, byKind[kind]]) {
				stats.requests++;
				stats.inFlight++;
				stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
			}
			record(kind, path, 'request');
			let ended = false;
			return () => {
				if (ended) {
					return;
				}
				ended = true;
				total.inFlight--;
				byKind[kind].inFlight--;
				record(kind, path, 'response-end');
			};
		},
		addBytes(count) {
			bytesSent += count;
		},
		refuse() {
			refused++;
		},
		inFlight(kind) {
			return byKind[kind].inFlight;
		},
		closedEarly() {
			closedEarly++;
		},
		snapshot() {
			return {
				...total,
				page: {...byKind.page},
				image: {...byKind.image},
				other: {...byKind.other},
				bytesSent,
				refused,
				closedEarly,
			};
		},
		log() {
			return entries.map(entry => ({...entry}));
		},
		reset() {
			for (const stats of [total, byKind.page, byKind.image, byKind.other]) {
				restart(stats);
			}
			bytesSent = 0;
			refused = 0;
			closedEarly = 0;
			entries = [];
		},
	};
}
