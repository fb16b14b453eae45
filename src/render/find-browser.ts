/**
Which Chromium or Chrome `render` drives: `browser` as given, then
IMGSCRAPE_BROWSER, then the usual places. Found once, before any request, so a
missing browser is a usage error (exit 2) rather than every page failing.
*/

import path from 'node:path';
import {UsageError} from '../errors.js';
import {isRunnable} from '../executables.js';

/** The usual places, in order: Debian's and Ubuntu's Chromium, Google's Chrome, and where Playwright's `chrome` channel looks. */
export function usualBrowsers(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
	if (platform === 'darwin') {
		return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
	}

	if (platform === 'win32') {
		return [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']]
			.filter((folder): folder is string => folder !== undefined)
			.map(folder => path.join(folder, 'Google', 'Chrome', 'Application', 'chrome.exe'));
	}

	return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'];
}

/**
The browser to launch.
@throws UsageError when the one named (option or variable) cannot be run, or none of the usual places holds one.
*/
export function findBrowser(
	explicit: string | undefined,
	env: NodeJS.ProcessEnv = process.env,
	candidates: readonly string[] = usualBrowsers(process.platform, env),
): string {
	const named = explicit ?? (env.IMGSCRAPE_BROWSER === '' ? undefined : env.IMGSCRAPE_BROWSER);
	if (named !== undefined) {
		if (!isRunnable(named)) {
			const from = explicit === undefined ? 'IMGSCRAPE_BROWSER' : '`browser`';
			throw new UsageError(`The browser ${from} names, \`${named}\`, is not a program that can be run`);
		}

		return named;
	}

	const found = candidates.find(isRunnable);
	if (found === undefined) {
		throw new UsageError(
			`render needs Chromium or Chrome and found none (looked in ${candidates.join(', ')}): install one (apt-get install chromium) or name it with --browser or IMGSCRAPE_BROWSER`,
		);
	}

	return found;
}
