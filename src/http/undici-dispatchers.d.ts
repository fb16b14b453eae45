/*
Types for the parts of undici imported by path (see dispatcher.ts): the
classes are the ones undici's index exports.
*/

declare module 'undici/lib/api/index.js' {
	const api: Record<string, unknown>;
	export = api;
}

declare module 'undici/lib/dispatcher/dispatcher.js' {
	import {Dispatcher} from 'undici';

	export = Dispatcher;
}

declare module 'undici/lib/dispatcher/agent.js' {
	import {Agent} from 'undici';

	export = Agent;
}

declare module 'undici/lib/dispatcher/proxy-agent.js' {
	import {ProxyAgent} from 'undici';

	export = ProxyAgent;
}

declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
	import {EnvHttpProxyAgent} from 'undici';

	export = EnvHttpProxyAgent;
}
