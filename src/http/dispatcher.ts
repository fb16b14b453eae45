/**
The run's one undici dispatcher: a keep-alive Agent, a ProxyAgent for
`proxy`, or an EnvHttpProxyAgent when HTTP_PROXY / HTTPS_PROXY are set.
*/

import type {Dispatcher} from 'undici';
/*
By path rather than from undici's index, which also loads fetch, WebSocket,
EventSource, the cache and Node's own bundled undici for their Web globals:
about 60 ms of start-up for code a run never calls. What the index does that
the dispatchers need is giving Dispatcher its request methods (a ProxyAgent
opens its tunnels with `connect`); that is done here the same way.
These are undici's private paths: package.json pins undici to its 7.30 minor
(`~7.30.2`) for them, and the proxy tests fail if they move.
*/
import undiciApi from 'undici/lib/api/index.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import DispatcherBase from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';

Object.assign(DispatcherBase.prototype, undiciApi);

export interface DispatcherOptions {
	/** Connect, headers and body-idle timeout in ms. */
	timeout: number;
	/** An http(s) proxy URL for every request, loopback included. */
	proxy?: string | undefined;
	/** Accept any TLS certificate. */
	insecure?: boolean | undefined;
	/** Offer HTTP/2 in TLS ALPN (undici's allowH2). */
	http2?: boolean | undefined;
	/**
	Most connections to one origin. undici opens one per request in flight, but
	may open another in the instant a finished response's connection is not yet
	marked free: this cap makes the bound exact. @default no cap
	*/
	connections?: number | undefined;
}

/**
Loopback never goes through a proxy from the environment, as in Go's
net/http: an HTTP_PROXY meant for the internet would otherwise capture local
servers. `--proxy` has no such exception.
*/
const loopback = ['localhost', '127.0.0.1', '[::1]'];

/** The proxies HTTP_PROXY, HTTPS_PROXY and NO_PROXY name (either case), loopback added to NO_PROXY; undefined when none is set. */
export function environmentProxy(env: NodeJS.ProcessEnv): {httpProxy: string; httpsProxy: string; noProxy: string} | undefined {
	const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
	const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY;
	if (!httpProxy && !httpsProxy) {
		return undefined;
	}

	const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
	// Empty rather than absent, so undici does not fall back to process.env for the other one.
	return {
		httpProxy: httpProxy ?? '',
		httpsProxy: httpsProxy ?? '',
		noProxy: noProxy.trim() === '*' ? '*' : [noProxy, ...loopback].filter(Boolean).join(','),
	};
}

/**
One dispatcher for the whole run. Connections are kept alive and reused
(undici's pool per origin, pipelining off), at most `connections` per origin.
*/
export function createDispatcher(options: DispatcherOptions, env: NodeJS.ProcessEnv = process.env): Dispatcher {
	const tls = {timeout: options.timeout, ...(options.insecure ? {rejectUnauthorized: false} : {})};
	const common = {
		headersTimeout: options.timeout,
		bodyTimeout: options.timeout,
		keepAliveTimeout: 10_000,
		allowH2: options.http2 ?? false,
		...(options.connections !== undefined && Number.isFinite(options.connections) ? {connections: options.connections} : {}),
	};
	if (options.proxy !== undefined) {
		// Through a proxy, `requestTls` is the TLS to the target and `proxyTls` the TLS to an https proxy.
		return new ProxyAgent({...common, uri: options.proxy, requestTls: tls, proxyTls: tls});
	}

	const fromEnv = environmentProxy(env);
	if (fromEnv !== undefined) {
		// Passed to both its direct Agent (`connect`) and its ProxyAgents (`requestTls`, `proxyTls`).
		return new EnvHttpProxyAgent({...common, ...fromEnv, connect: tls, requestTls: tls, proxyTls: tls});
	}

	return new Agent({...common, connect: tls});
}
