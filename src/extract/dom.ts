/**
Reading the parsed document: elements, attributes, and walking elements in
document order.
*/
import type {AnyNode, Element} from 'domhandler';

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
