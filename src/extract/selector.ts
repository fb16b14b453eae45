import {load} from 'cheerio/slim';

const empty = load('');

/** Why a CSS selector cannot be used, or undefined when it can: checked once up front, not once per page. */
export function selectorError(selector: string): string | undefined {
	try {
		empty(selector);
		return undefined;
	} catch (error) {
		return (error as Error).message.split('\n')[0];
	}
}
