import type {Renderer, RendererParts} from './renderer.js';

export type {Renderer, RendererParts} from './renderer.js';

/** The renderer, its module loaded now: only a run with `render` pays for the browser's code. */
export async function loadRenderer(parts: RendererParts): Promise<Renderer> {
	const {createRenderer} = await import('./renderer.js');
	return createRenderer(parts);
}
