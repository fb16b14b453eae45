/**
The parsed document: loading it with cheerio, re-parsing `<noscript>` content,
and walking elements in document order.
*/
import {load, type CheerioAPI} from 'cheerio';
import type {AnyNode, Element} from 'domhandler';
import {parseFragment} from 'parse5';
import {adapter} from 'parse5-htmlparser2-tree-adapter';

/*
We load with cheerio's default parser, parse5, rather than htmlparser2: it
builds the tree a browser builds (implied <tbody>, misnested tags, where a
stray </p> goes), and it parses with scripting enabled like a browser running
the page's lazy-load scripts, so `<noscript>` content is raw text there. That
is what lets us tell a noscript fallback apart (see graftNoscripts).
*/

/** Parse a whole HTML document. */
export function loadDocument(html: string): CheerioAPI {
	return load(html);
}

/** True for element nodes (including <script> and <style>, which domhandler types apart). */
export function isElement(node: AnyNode): node is Element {
	return (node as {attribs?: unknown}).attribs !== undefined;
}

/** An attribute's value (entity-decoded by the parser), or undefined when absent. */
export function attribute(element: Element, name: string): string | undefined {
	return element.attribs[name];
}

/**
Replace the raw text inside each `<noscript>` with the elements it holds, parsed
as an HTML fragment, so selectors and the walk see `<noscript><img></noscript>`
fallbacks in place, with their real ancestors (`.gallery img` still matches).
This mutates only the tree we just built for this call.
*/
export function graftNoscripts($: CheerioAPI): void {
	for (const noscript of $('noscript').get()) {
		const {children} = noscript;
		if (children.length === 0 || !children.every((child) => child.type === 'text')) {
			// Already parsed as markup (a <noscript> parse5 did not treat as raw text): nothing to do.
			continue;
		}
		const text = children.map((child) => (child as {data?: string}).data ?? '').join('');
		if (!text.includes('<')) {
			continue;
		}
		// parse5 directly, with the tree adapter cheerio uses: a cheerio load() per <noscript> costs 4-10x more,
		// which adds up on lazy-load pages that pair each of thousands of <img>s with a fallback.
		const fragment = parseFragment(text, {treeAdapter: adapter, scriptingEnabled: true});
		for (const node of fragment.children) {
			node.parent = noscript;
		}
		noscript.children = fragment.children;
	}
}

/**
Call `visit` for every element in document (pre-)order, with whether it sits
inside a `<noscript>`. Iterative, so deeply nested junk markup cannot overflow
the stack.
*/
export function walkElements(root: AnyNode, visit: (element: Element, inNoscript: boolean) => void): void {
	const nodes: AnyNode[] = [root];
	const inNoscript: boolean[] = [false];
	for (;;) {
		const node = nodes.pop();
		const noscript = inNoscript.pop();
		if (node === undefined || noscript === undefined) {
			return;
		}
		let childrenInNoscript = noscript;
		if (isElement(node)) {
			visit(node, noscript);
			if (node.name === 'template' && node !== root) {
				// Template content is inert: the browser neither shows nor fetches it.
				continue;
			}
			childrenInNoscript ||= node.name === 'noscript';
		}
		const children = (node as {children?: AnyNode[]}).children;
		if (children !== undefined) {
			// Pushed in reverse so the first child is popped, and visited, first.
			for (let index = children.length - 1; index >= 0; index--) {
				nodes.push(children[index]!);
				inNoscript.push(childrenInNoscript);
			}
		}
	}
}

/** True when the element sits inside a `<template>`, whose content the browser never renders. */
export function isInert(element: Element): boolean {
	return closest(element, 'template') !== undefined;
}

/** The nearest ancestor (not the element itself) with the given tag name. */
export function closest(element: Element, name: string): Element | undefined {
	for (let node = element.parent; node !== null; node = node.parent) {
		if (isElement(node) && node.name === name) {
			return node;
		}
	}
	return undefined;
}
