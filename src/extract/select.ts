/**
CSS selectors, matched with css-select (cheerio's engine) one element at a
time, inside a budget of work.

css-select reaches the tree only through an adapter. Ours is domutils' own,
but walks subtrees with a loop where domutils recurses (`:has()` and
`:contains()` on a deep page overflowed the stack) and counts every step, so a
selector whose cost on a page runs away (`:has()` inside `:has()`,
`:contains()` on every ancestor of a deep page, `:nth-child()` among 100,000
siblings) is stopped rather than left to run for minutes.
*/
import {select as selectWithPositionals} from 'cheerio-select';
import {compile, type Options} from 'css-select';
import {Document, hasChildren, isTag, isText, type AnyNode, type Element} from 'domhandler';
import {removeSubsets} from 'domutils';

/** Steps one selector may take on a page, per character of the page's HTML, plus a fixed allowance. */
export const selectorStepsPerChar = 128;
const selectorStepsBase = 1_000_000;

/** Steps one selector may take on a single element (or in one pass, for positional filters), so that no match holds the thread for long. */
export const selectorStepsPerElement = 5_000_000;

/** Characters of text that count as one step when a selector reads text (`:contains()`). */
const charsPerStep = 64;

class BudgetExceeded extends Error {}

/** Steps counted across selectors: every selector of a page adds its steps to one. */
export interface StepTally {
	steps: number;
}

/** The steps a selector has taken on one page, and its limits. */
class Budget {
	steps = 0;
	/** `steps` when the current element's match began. */
	elementStart = 0;
	/** What `elementStart` marks the start of, for the message. */
	oneCall = 'on one element';
	readonly #limit: number;
	readonly #tally: StepTally;

	constructor(limit: number, tally: StepTally) {
		this.#limit = limit;
		this.#tally = tally;
	}

	take(steps: number): void {
		this.steps += steps;
		this.#tally.steps += steps;
		if (this.steps > this.#limit || this.steps - this.elementStart > selectorStepsPerElement) {
			throw new BudgetExceeded(
				this.steps > this.#limit ? `past its bound of ${this.#limit} steps on this page` : `past its bound of ${selectorStepsPerElement} steps ${this.oneCall}`,
			);
		}
	}
}

/** Pre-order over `nodes` and their descendants until `visit` returns true; whether it did. */
function someInTree(nodes: readonly AnyNode[], budget: Budget, visit: (node: AnyNode) => boolean): boolean {
	const lists: Array<readonly AnyNode[]> = [nodes];
	const positions: number[] = [0];
	while (lists.length > 0) {
		const list = lists.at(-1)!;
		const position = positions.at(-1)!;
		if (position >= list.length) {
			lists.pop();
			positions.pop();
			continue;
		}

		positions[positions.length - 1] = position + 1;
		const node = list[position]!;
		budget.take(1);
		if (visit(node)) {
			return true;
		}

		if (hasChildren(node) && node.children.length > 0) {
			lists.push(node.children);
			positions.push(0);
		}
	}

	return false;
}

/** domutils' adapter with loops for its recursive walks, every step counted against `budget`. */
function countingAdapter(budget: Budget): NonNullable<Options<AnyNode, Element>['adapter']> {
	return {
		isTag(node): node is Element {
			budget.take(1);
			return isTag(node);
		},
		getAttributeValue(element, name) {
			budget.take(1);
			return element.attribs[name];
		},
		hasAttrib(element, name) {
			budget.take(1);
			return Object.hasOwn(element.attribs, name) && element.attribs[name] !== undefined;
		},
		getName(element) {
			budget.take(1);
			return element.name;
		},
		getChildren(node) {
			budget.take(1);
			return hasChildren(node) ? node.children : [];
		},
		getParent(node) {
			budget.take(1);
			return node.parent;
		},
		getSiblings(node) {
			budget.take(1);
			const {parent} = node;
			if (parent !== null) {
				return parent.children;
			}

			// A node without a parent (never one of ours: every node hangs under the document).
			return [node];
		},
		prevElementSibling(node) {
			let previous = node.prev;
			budget.take(1);
			while (previous !== null && !isTag(previous)) {
				budget.take(1);
				previous = previous.prev;
			}

			return previous;
		},
		getText(node) {
			// domutils' getText: the Text nodes below (CDATA's included), `<br>` as a newline (a void element: it has no children).
			let text = '';
			someInTree([node], budget, current => {
				if (isText(current)) {
					budget.take(Math.floor(current.data.length / charsPerStep));
					text += current.data;
				} else if (isTag(current) && current.name === 'br') {
					text += '\n';
				}

				return false;
			});
			return text;
		},
		existsOne(test, nodes) {
			return someInTree(nodes, budget, node => isTag(node) && test(node));
		},
		findOne(test, nodes) {
			let found: Element | null = null;
			someInTree(nodes, budget, node => {
				if (isTag(node) && test(node)) {
					found = node;
					return true;
				}

				return false;
			});
			return found;
		},
		findAll(test, nodes) {
			const found: Element[] = [];
			someInTree(nodes, budget, node => {
				if (isTag(node) && test(node)) {
					found.push(node);
				}

				return false;
			});
			return found;
		},
		removeSubsets(nodes) {
			budget.take(nodes.length);
			return removeSubsets(nodes);
		},
	};
}

/** One selector, ready to match the elements of one page. */
export interface Matcher {
	/** Whether the element matches; false for every element once the selector has failed. */
	matches(element: Element): boolean;
	/** Why the selector stopped matching on this page, once it has. */
	readonly failure: string | undefined;
	/** Steps taken so far. */
	readonly steps: number;
}

/** The element name a selector that is only a tag name matches (lower-cased, as the parser names elements), or undefined. */
function plainTagName(selector: string): string | undefined {
	const trimmed = selector.trim();
	return /^[a-z][a-z\d-]*$/i.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

type Test = (element: Element) => boolean;

/**
Compile a selector for one page. A plain tag name is compared directly. Other
selectors go to css-select, element by element; those with cheerio's
positional filters (`:first`, `:eq(2)` ...) need the whole set at once and
are matched up front with cheerio-select, the engine behind cheerio's `$()`.

@param tally Also counts the selector's steps.
@throws Error when the selector is not valid CSS (checked once per run up front, see {@link selectorError}).
*/
export function compileSelector(selector: string, document: Document, htmlLength: number, tally: StepTally = {steps: 0}): Matcher {
	const tag = plainTagName(selector);
	if (tag !== undefined) {
		return {matches: element => element.name === tag, failure: undefined, steps: 0};
	}

	const budget = new Budget(selectorStepsBase + htmlLength * selectorStepsPerChar, tally);
	const options: Options<AnyNode, Element> = {xmlMode: false, adapter: countingAdapter(budget), context: [document]};
	let test: Test;
	try {
		test = compile<AnyNode, Element>(selector, options) as Test;
	} catch {
		return positionalMatcher(selector, document, budget, options);
	}

	let failure: string | undefined;
	return {
		matches(element) {
			if (failure !== undefined) {
				return false;
			}

			budget.elementStart = budget.steps;
			try {
				return test(element);
			} catch (error) {
				failure = failureOf(error);
				return false;
			}
		},
		get failure() {
			return failure;
		},
		get steps() {
			return budget.steps;
		},
	};
}

/**
css-select knows no positional filters: cheerio-select splits them out, and
matches the whole page at once. An invalid selector throws here, on an empty
document first, so that a failure on the page itself is the page's alone.
*/
function positionalMatcher(selector: string, document: Document, budget: Budget, options: Options<AnyNode, Element>): Matcher {
	const empty = new Document([]);
	selectWithPositionals(selector, empty.children, {...options, context: [empty], root: empty});
	const matched = new Set<AnyNode>();
	let failure: string | undefined;
	budget.oneCall = 'in its one pass over the page';
	try {
		for (const element of selectWithPositionals(selector, document.children, {...options, root: document})) {
			matched.add(element);
		}
	} catch (error) {
		failure = failureOf(error);
	}

	return {matches: element => matched.has(element), failure, steps: budget.steps};
}

function failureOf(error: unknown): string {
	if (error instanceof BudgetExceeded) {
		return error.message;
	}

	return `on an error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Why a CSS selector cannot be used, or undefined when it can: checked once up front, not once per page. */
export function selectorError(selector: string): string | undefined {
	try {
		compileSelector(selector, new Document([]), 0);
		return undefined;
	} catch (error) {
		return (error as Error).message.split('\n')[0];
	}
}
