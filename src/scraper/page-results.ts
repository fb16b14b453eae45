import {sniffBytes, sniffImageType} from '../download/image-types.js';
import type {ScrapeError} from '../errors.js';
import type {FetchedPage} from '../http/client.js';
import {firstHeader} from '../http/headers.js';
import {reasonOf} from '../report/reasons.js';
import type {ExtractResult, Failure, MatchCounts, PageResult} from '../types.js';

/** What the extractor says it cut or could not read, about what the run takes from the page. */
export function pageNotes(extracted: ExtractResult, takesImages: boolean): Pick<PageResult, 'capped' | 'warnings' | 'matched'> {
	const taken = (about: 'images' | 'links' | 'next') => about !== 'images' || takesImages;
	const capped = extracted.capped?.filter(taken) ?? [];
	const warnings = extracted.warnings?.filter(warning => taken(warning.about)).map(warning => warning.message) ?? [];
	return {...(capped.length > 0 ? {capped} : {}), ...(warnings.length > 0 ? {warnings} : {}), ...matchedOn(extracted.counts, takesImages)};
}

/** The counts of the selectors that apply on the page: `selector`'s where it takes images, `follow`'s where it follows links. */
function matchedOn(counts: MatchCounts | undefined, takesImages: boolean): Pick<PageResult, 'matched'> {
	if (counts === undefined) {
		return {};
	}

	const {selected, img, followed, a} = counts;
	const matched: MatchCounts = {...(takesImages ? {selected, img} : {}), ...(followed === undefined ? {} : {followed, a})};
	return Object.keys(matched).length === 0 ? {} : {matched};
}

/** A failure as the report lists it. */
export function failure(error: ScrapeError, url: string, page?: string): Failure {
	return {url, page, code: error.code, message: error.message, reason: reasonOf(error)};
}

/**
Whether a fetched page is an image, by its first bytes whatever its URL says.
A body the server calls HTML is a page without a look: the rare types' sniffer
costs far more than the common signatures.
*/
export async function isImageBody(page: FetchedPage): Promise<boolean> {
	if (/^\s*(?:text\/html|application\/xhtml\+xml)\b/i.test(firstHeader(page.headers, 'content-type') ?? '')) {
		return false;
	}

	return (await sniffImageType(page.bytes.subarray(0, sniffBytes))) !== undefined;
}
