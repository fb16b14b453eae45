/** What decides whether and where an image is saved. */
export interface FileRules {
	/** Largest body kept, in bytes. */
	maxSize: number;
	minSize: number;
	/** Image types kept (canonical extensions), or undefined for all. */
	accept: ReadonlySet<string> | undefined;
	/** `name` template, or undefined for the URL's file name. */
	name: string | undefined;
	dedupeContent: boolean;
	/** Absolute path of the manifest. */
	manifest: string;
}
