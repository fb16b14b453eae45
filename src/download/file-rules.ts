import type {BodyRules} from './image-body.js';

/**
What decides whether and where an image is saved: the rules a body must pass
(declared beside the checks that apply them, so a new filter is a field and
its check in one file) and where a kept one goes.
*/
export interface FileRules extends BodyRules {
	/** `name` template, or undefined for the URL's file name. */
	name: string | undefined;
	dedupeContent: boolean;
	/** Absolute path of the manifest. */
	manifest: string;
}
