/**
Building the document tree with htmlparser2, in time linear in the page's size
whatever its nesting, and in slices so that a caller can yield between them.

We parse with htmlparser2 rather than parse5 (cheerio's default). parse5
builds exactly the tree a browser builds, but on the 2 MB listing pages some
galleries serve it took twice the time and memory, and the tree-building rules
it adds (implied <tbody>, where a stray </p> goes, foster-parenting out of
tables) change which elements exist only in the order of a few misplaced ones,
never whether an <img> is found. htmlparser2 also reads <noscript> content as
markup, as a browser with scripting off does, so noscript fallbacks are found
in place.
*/
import {DomHandler, type ChildNode, type Document} from 'domhandler';
import {Parser} from 'htmlparser2';
import type {ExtractWork} from './work.js';

/**
Elements nested deeper than this are attached at this depth, as siblings in
document order, as Chromium and WebKit do (their parsers stop nesting at 512).
No real page comes near it, and it bounds every walk up the tree, the selector
engine's included.
*/
export const maxTreeDepth = 512;

/** Characters handed to the parser per slice. */
export const parseSliceChars = 256 * 1024;

/** The options cheerio used to hand htmlparser2 for our `load()`; the tree is the same. */
const parserOptions = {xmlMode: false, decodeEntities: true} as const;

/**
htmlparser2's Parser keeps its stacks of open tags (and of foreign-content
flags) newest first and grows them with `unshift`, which moves every entry: each
open and close tag costs as much as the nesting is deep, so a page of nested
<div>s parses in quadratic time. This stack keeps the newest last and offers
the few array operations Parser uses, in constant time: `unshift`/`shift` at
the newest end, `[0]` for the newest, `indexOf` as the distance from the newest
(a name that is not open at all is answered from a count), and `length`.
*/
class NewestFirst<T> {
	readonly #items: T[] = [];
	readonly #counts = new Map<T, number>();

	get length(): number {
		return this.#items.length;
	}

	set length(value: number) {
		// Parser only ever empties its stacks this way.
		this.#items.length = value;
		this.#counts.clear();
		for (const item of this.#items) {
			this.#counts.set(item, (this.#counts.get(item) ?? 0) + 1);
		}
	}

	get 0(): T | undefined {
		return this.#items.at(-1);
	}

	unshift(item: T): number {
		this.#counts.set(item, (this.#counts.get(item) ?? 0) + 1);
		return this.#items.push(item);
	}

	shift(): T | undefined {
		if (this.#items.length === 0) {
			return undefined;
		}

		const item = this.#items.pop()!;
		this.#counts.set(item, this.#counts.get(item)! - 1);
		return item;
	}

	indexOf(item: T): number {
		if ((this.#counts.get(item) ?? 0) === 0) {
			return -1;
		}

		// The caller closes every tag up to the one found, so this scan is paid for once.
		const last = this.#items.length - 1;
		for (let index = last; index >= 0; index--) {
			if (this.#items[index] === item) {
				return last - index;
			}
		}

		return -1;
	}

	/** A plain array, newest first, as Parser's own. */
	toArray(): T[] {
		return this.#items.toReversed();
	}
}

/** Parser's private stacks, which the subclass replaces, and the private methods it calls. */
interface ParserStacks {
	stack: NewestFirst<string> | string[];
	foreignContext: NewestFirst<boolean> | boolean[];
	getSlice(start: number, end: number): string;
	emitOpenTag(name: string): void;
}

class LinearParser extends Parser {
	constructor(handler: DomHandler) {
		super(handler, parserOptions);
		const foreignContext = new NewestFirst<boolean>();
		// What Parser's constructor starts its foreign-context stack with in HTML mode.
		foreignContext.unshift(false);
		Object.assign(this as unknown as ParserStacks, {stack: new NewestFirst<string>(), foreignContext});
	}

	/**
	The HTML parser's rule for an `image` start tag in HTML content: it is an
	`img` (https://html.spec.whatwg.org/multipage/parsing.html#parsing-main-inbody,
	"A start tag whose tag name is image"). Inside `<svg>` it stays SVG's own.
	*/
	override onopentagname(start: number, endIndex: number): void {
		// What Parser's own does in HTML mode, but for the name: getSlice may be called once only, as it drops the buffers it read.
		const parser = this as unknown as ParserStacks;
		this.endIndex = endIndex;
		const name = parser.getSlice(start, endIndex).toLowerCase();
		parser.emitOpenTag(name === 'image' && parser.foreignContext[0] !== true ? 'img' : name);
	}

	override onend(): void {
		// At the end Parser closes what is still open by indexing its stack: give it a plain array for that.
		const stacks = this as unknown as ParserStacks;
		if (stacks.stack instanceof NewestFirst) {
			stacks.stack = stacks.stack.toArray();
		}

		super.onend();
	}
}

/** A DomHandler that attaches nodes past {@link maxTreeDepth} at that depth, and counts the nodes. */
class DepthCappedHandler extends DomHandler {
	nodes = 0;

	protected override addNode(node: ChildNode): void {
		this.nodes++;
		// tagStack[0] is the document, so a node added now would sit at depth tagStack.length.
		if (this.tagStack.length <= maxTreeDepth) {
			super.addNode(node);
			return;
		}

		const parent = this.tagStack[maxTreeDepth - 1]!;
		const previous = parent.children.at(-1);
		parent.children.push(node);
		if (previous !== undefined) {
			node.prev = previous;
			previous.next = node;
		}

		node.parent = parent;
		this.lastNode = null;
	}
}

/** A parsed page and how many nodes it holds. */
export interface Tree {
	document: Document;
	nodes: number;
}

/**
Parse a whole HTML document, yielding after each slice of `sliceChars`
characters. The tree is the one htmlparser2's `parseDocument` builds, but for
nodes past {@link maxTreeDepth}: the parser streams, so slicing changes no
element or attribute (only a few malformed constructs cut by a slice
boundary, such as `<!-->`, come out as other text or comments).
*/
export function* parseTree(html: string, work: ExtractWork, sliceChars = parseSliceChars): Generator<void, Tree> {
	const handler = new DepthCappedHandler();
	const parser = new LinearParser(handler);
	for (let start = 0; start < html.length; start += sliceChars) {
		const slice = html.slice(start, start + sliceChars);
		parser.write(slice);
		work.parsed += slice.length;
		work.slices++;
		yield;
	}

	parser.end();
	return {document: handler.root, nodes: handler.nodes};
}
