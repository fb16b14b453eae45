/**
The parsed document: loading it with cheerio and walking elements in document
order.
*/
import {load, type CheerioAPI} from 'cheerio/slim';
import type {AnyNode, Element} from 'domhandler';

/*
We parse with htmlparser2 rather than cheerio's default, parse5. parse5 builds
exactly the tree a browser builds, but on the 2 MB listing pages some galleries
serve it took twice the time and memory, and the tree-building rules it adds
(implied <tbody>, where a stray </p> goes, foster-parenting out of tables)
change which elements exist only in the order of a few misplaced ones, never
whether an <img> is found. htmlparser2 also reads <noscript> content as markup,
as a browser with scripting off does, so noscript fallbacks are found in place.
*/

/** Parse a whole HTML document. */
export function loadDocument(html: string): CheerioAPI {
	return load(html, {xml: {xmlMode: false, decodeEntities: true}});
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
