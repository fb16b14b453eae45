/** What an extraction counts as it goes: its work, in units that do not depend on the machine. */
export interface ExtractWork {
	/** Characters of HTML parsed. */
	parsed: number;
	/** Nodes visited by the walk over the tree. */
	visited: number;
	/** Elements whose images were picked (after the walk, with the document base known), and children of `<picture>`s read for them. */
	picked: number;
	/** Steps the selector engine took (`selector`, `follow` and `next` together; plain tag names take none). */
	selectorSteps: number;
	/** Times the extraction yielded to its caller. */
	slices: number;
}

export function newWork(): ExtractWork {
	return {parsed: 0, visited: 0, picked: 0, selectorSteps: 0, slices: 0};
}
