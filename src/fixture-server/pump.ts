import type {ServerResponse} from 'node:http';

/**
Write chunks to a response only as fast as the client reads them, so a large
body never sits in memory and a client that stops early stops the server too.
A socket that closed while we waited for 'drain' never drains: stopping there
drops the generator.
*/
export function pumpChunks(response: ServerResponse, chunks: Iterator<Buffer>, onBytes: (bytes: number) => void): void {
	const pump = (): void => {
		while (!response.destroyed) {
			const next = chunks.next();
			if (next.done === true) {
				response.end();
				return;
			}

			onBytes(next.value.length);
			if (!response.write(next.value)) {
				response.once('drain', pump);
				return;
			}
		}
	};

	pump();
}
