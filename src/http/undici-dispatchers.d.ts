/*
Types for the three undici dispatchers imported by path (see dispatcher.ts):
the classes are the ones undici's index exports.
*/

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
