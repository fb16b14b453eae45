import {defaults} from '../defaults.js';
import {UsageError} from '../errors.js';
import {selectorError} from '../extract/select.js';
import type {RenderOptions, ScrapeOptions} from '../options.js';
import {boolean, expected, integer, milliseconds, nonEmptyString} from '../validate.js';
import {findBrowser} from './find-browser.js';

/** The options that mean something only with `render`. */
const renderOnly = ['browser', 'scrollIdle', 'maxScrolls', 'click', 'blockThirdParty', 'renderTimeout'] as const;

/**
`render` and the options of the browser visit, checked once; undefined when
`render` is off. The browser is looked for now, so that a missing one stops
the run before any request.
*/
export function resolveRender(options: ScrapeOptions, env: NodeJS.ProcessEnv = process.env): RenderOptions | undefined {
	if (!boolean('render', options.render, defaults.render)) {
		const given = renderOnly.find(name => options[name] !== undefined);
		if (given !== undefined) {
			throw new UsageError(`\`${given}\` needs \`render\`: it tells how the browser loads a page`);
		}

		return undefined;
	}

	let click: string | undefined;
	if (options.click !== undefined) {
		click = nonEmptyString('click', options.click, '');
		const error = selectorError(click);
		if (error !== undefined) {
			throw new UsageError(expected('click', 'a CSS selector', click, error));
		}
	}

	const browser = options.browser === undefined ? undefined : nonEmptyString('browser', options.browser, '');
	return {
		scrollIdle: milliseconds('scrollIdle', options.scrollIdle, {min: 1, whole: true, fallback: defaults.scrollIdle}),
		maxScrolls: integer('maxScrolls', options.maxScrolls, {fallback: defaults.maxScrolls}),
		click,
		blockThirdParty: boolean('blockThirdParty', options.blockThirdParty, defaults.blockThirdParty),
		timeout: milliseconds('renderTimeout', options.renderTimeout, {min: 1, whole: true, fallback: defaults.renderTimeout}),
		// Last: a bad flag is named before the search for a browser.
		browser: findBrowser(browser, env),
	};
}
