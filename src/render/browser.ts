/**
The one browser of a run: Chromium or Chrome started through playwright-core
on the first rendered page, and closed with the run. playwright-core is
imported here and only here, when a page is first rendered, so a static run
loads none of it.
*/

import type {Browser} from 'playwright-core';

/**
Flags for headless servers and closed networks: no GPU, and none of the
browser's own traffic (updates, sync, field trials, QUIC probes), which a
closed network refuses and an open one need not see. Playwright adds
`--headless` and a fresh user-data folder of its own, removed on close.
*/
export const launchArgs = [
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-default-apps',
	'--disable-extensions',
	/*
	The document is handed to the browser from imgscrape's own fetch, which Local
	Network Access counts as a public address: the page's requests to a LAN or
	loopback host would be refused. Chromium keeps only the last --disable-features,
	so Playwright's own list (1.65) is repeated here with it.
	*/
	`--disable-features=${[
		'LocalNetworkAccessChecks',
		'AvoidUnnecessaryBeforeUnloadCheckSync',
		'DestroyProfileOnBrowserClose',
		'HttpsUpgrades',
		'HttpsFirstBalancedModeAutoEnable',
		'LensOverlay',
		'MediaRouter',
		'PaintHolding',
		'ThirdPartyStoragePartitioning',
		'AvoidCorsURLLoaderRestartOnRedirect',
		'OptimizationHints',
		'NetworkTimeServiceQuerying',
		'AimEnabled',
		'PreconnectToSearch',
	].join(',')}`,
];

/** Playwright's form of a proxy URL: the credentials apart. */
function browserProxy(proxy: string | undefined): {server: string; username?: string; password?: string} | undefined {
	if (proxy === undefined) {
		return undefined;
	}

	const url = new URL(proxy);
	const credentials = url.username === '' ? {} : {username: decodeURIComponent(url.username), password: decodeURIComponent(url.password)};
	return {server: `${url.protocol}//${url.host}`, ...credentials};
}

/**
Start the browser, through `proxy` when the run has one. Signals stay the
caller's: the run closes the browser when it is cancelled.
*/
export async function launchBrowser(executablePath: string, proxy?: string): Promise<Browser> {
	const {chromium} = await import('playwright-core');
	const server = browserProxy(proxy);
	return chromium.launch({
		executablePath,
		...(server === undefined ? {} : {proxy: server}),
		headless: true,
		args: launchArgs,
		// Chromium's sandbox cannot start as root; elsewhere it stays on.
		chromiumSandbox: process.getuid?.() !== 0,
		handleSIGINT: false,
		handleSIGTERM: false,
		handleSIGHUP: false,
	});
}
