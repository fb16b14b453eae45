import type {CookieJar} from 'tough-cookie';
import {createBandwidthLimit} from '../http/bandwidth.js';
import {createHttpClient, type HttpClient} from '../http/client.js';
import type {HostGate, HostLimits} from '../http/host-gate.js';
import {createRequestPolicy} from '../http/policy.js';
import type {ResolvedOptions} from '../options.js';
import type {RobotsCache} from '../ports.js';
import type {RequestRecord, Warning} from '../types.js';

export interface RunHttpParts {
	jar: CookieJar;
	/** The run's signal, for the robots.txt fetches many requests share. */
	signal: AbortSignal;
	/** A gate shared with other runs, or undefined for one of the run's own. */
	gate: HostGate | undefined;
	onWarning(warning: Warning): void;
	/** Told of every request sent, for the run's `request` events. */
	onRequest(request: RequestRecord): void;
	/** The client robots.txt is fetched with: the one this builds, through its own policy. */
	robotsClient(): HttpClient;
	/** robots.txt shared with other processes of a crawl. */
	robots?: RobotsCache | undefined;
}

/** What the per-host gate enforces, from `perHost`, `delay` and `rate`. */
export function hostLimits(options: ResolvedOptions): HostLimits {
	return {perHost: options.perHost, interval: Math.max(options.delay, 1000 / options.rate), randomWait: options.randomWait};
}

/** The HTTP client a run builds from its options: politeness, identity and robots.txt in its policy, one dispatcher. */
export function createRunHttp(options: ResolvedOptions, parts: RunHttpParts): HttpClient {
	const policy = createRequestPolicy({
		...options,
		jar: parts.jar,
		jarShared: options.render !== undefined,
		interval: hostLimits(options).interval,
		signal: parts.signal,
		onWarning: parts.onWarning,
		gate: parts.gate,
		maxRetryAfter: options.retry.maxRetryAfter,
		fetch: async (url, maxBytes, requestOptions) => {
			const fetch = async () => (await parts.robotsClient().getBytes(url, maxBytes, {...requestOptions, cut: true})).bytes;
			return parts.robots === undefined ? fetch() : parts.robots.get(url, fetch);
		},
	});
	// No origin ever has more requests in flight than this, so it needs no more connections.
	const connections = Math.min(options.perHost, options.pageConcurrency + options.concurrency);
	const bandwidth = options.limitRate > 0 ? createBandwidthLimit(options.limitRate) : undefined;
	return createHttpClient({...options, policy, connections, bandwidth, onRequest: parts.onRequest});
}
