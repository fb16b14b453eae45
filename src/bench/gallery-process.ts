import {fork, type ChildProcess} from 'node:child_process';
import type {GalleryOptions, ServerStats} from '../fixture-server/index.js';

/** What the parent asks the gallery process. */
export type GalleryRequest =
	| {type: 'start'; options: GalleryOptions}
	| {type: 'stats'; server: number}
	| {type: 'reset'; server: number}
	| {type: 'stop'; server: number};

/** What the gallery process answers. */
export type GalleryResponse =
	| {type: 'started'; id: number; url: string; template: string}
	| {type: 'stats'; stats: ServerStats}
	| {type: 'done'}
	| {type: 'error'; message: string};

/** A fixture gallery served from the gallery process. */
export interface RemoteGallery {
	url: string;
	template: string;
	stats(): Promise<ServerStats>;
	resetStats(): Promise<void>;
	stop(): Promise<void>;
}

/** A child process that serves fixture galleries for the bench. */
export interface GalleryProcess {
	start(options: GalleryOptions): Promise<RemoteGallery>;
	close(): Promise<void>;
}

/** Fork the gallery process; it stops its servers and exits when `close()` disconnects it. */
export async function forkGalleryProcess(): Promise<GalleryProcess> {
	const child: ChildProcess = fork(new URL('server-process.js', import.meta.url), [], {stdio: ['ignore', 'ignore', 'inherit', 'ipc']});
	const pending = new Map<number, {resolve: (response: GalleryResponse) => void; reject: (error: Error) => void}>();
	let nextId = 1;
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	child.on('message', (message: {id: number; response: GalleryResponse}) => {
		pending.get(message.id)?.resolve(message.response);
		pending.delete(message.id);
	});
	child.once('exit', code => {
		for (const {reject} of pending.values()) {
			reject(new Error(`the gallery process exited (code ${code})`));
		}

		pending.clear();
	});

	const ask = async (request: GalleryRequest): Promise<GalleryResponse> => {
		const id = nextId++;
		const response = await new Promise<GalleryResponse>((resolve, reject) => {
			pending.set(id, {resolve, reject});
			child.send({id, request});
		});
		if (response.type === 'error') {
			throw new Error(`gallery process: ${response.message}`);
		}

		return response;
	};

	return {
		async start(options) {
			const started = await ask({type: 'start', options});
			if (started.type !== 'started') {
				throw new Error(`gallery process: unexpected answer ${started.type}`);
			}

			const server = started.id;
			return {
				url: started.url,
				template: started.template,
				async stats() {
					const answer = await ask({type: 'stats', server});
					return (answer as Extract<GalleryResponse, {type: 'stats'}>).stats;
				},
				async resetStats() {
					await ask({type: 'reset', server});
				},
				async stop() {
					await ask({type: 'stop', server});
				},
			};
		},
		async close() {
			if (child.connected) {
				child.disconnect();
			}

			await exited;
		},
	};
}
