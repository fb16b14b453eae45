import assert from 'node:assert/strict';
import {once} from 'node:events';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import test, {type TestContext} from 'node:test';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {ScrapeError} from '../src/errors.js';
import {createHttpClient, type BodySink, type HttpClient} from '../src/http/client.js';

/** A server of its own for each test, and a client to it, both closed when the test ends. */
async function serve(
	t: TestContext,
	handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{url: string; http: HttpClient; connections: () => number}> {
	let connections = 0;
	const server = createServer(handler);
	server.on('connection', () => {
		connections++;
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const http = createHttpClient({timeout: 5000, userAgent: 'test', maxRedirects: 5});
	t.after(async () => {
		await http.close();
		server.closeAllConnections();
		server.close();
	});
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, http, connections: () => connections};
}

/** 1 MiB whose every byte depends on its position, sent in 64 KiB writes. */
const body = Buffer.from(Array.from({length: 1 << 20}, (_, index) => (index * 7 + (index >> 11)) % 251));

function sendInPieces(response: ServerResponse, status = 200): void {
	response.writeHead(status, {'content-length': body.length});
	for (let offset = 0; offset < body.length; offset += 65_536) {
		response.write(body.subarray(offset, offset + 65_536));
	}

	response.end();
}

test('a sink that holds the body with promises still gets every byte, in order', async t => {
	const {url, http} = await serve(t, (_request, response) => {
		sendInPieces(response);
	});
	const chunks: Buffer[] = [];
	let holds = 0;
	let ended = false;
	const sink: BodySink = {
		open() {},
		write(chunk) {
			chunks.push(chunk);
			if (chunks.length % 2 === 0) {
				holds++;
				return nextTurn();
			}
		},
		end() {
			ended = true;
		},
	};
	const head = await http.fetch(url, sink);
	assert.equal(head.status, 200);
	assert.ok(ended);
	assert.ok(holds > 0, 'the body came in more than one chunk, so the sink held it at least once');
	assert.deepEqual(Buffer.concat(chunks), body);
});

test('getBytes with cut keeps the first bytes of a longer body and resolves', async t => {
	const {url, http} = await serve(t, (_request, response) => {
		sendInPieces(response);
	});
	const page = await http.getBytes(url, 100_000, {cut: true});
	assert.deepEqual(page.bytes, body.subarray(0, 100_000));
	await assert.rejects(http.getBytes(url, 100_000), (error: unknown) => error instanceof ScrapeError && error.code === 'too-large');
});

test('a sink that throws fails the request with its own error', async t => {
	const {url, http} = await serve(t, (_request, response) => {
		sendInPieces(response);
	});
	const refusal = new ScrapeError('not-an-image', 'no');
	await assert.rejects(
		http.fetch(url, {
			open() {},
			write() {
				throw refusal;
			},
			end() {},
		}),
		refusal,
	);
});

test('a short error body is read to its end, so its connection serves the next request', async t => {
	let requests = 0;
	const {url, http, connections} = await serve(t, (_request, response) => {
		requests++;
		response.writeHead(requests === 1 ? 404 : 200, {'content-type': 'text/plain'});
		response.end('not here');
	});
	const sink: BodySink = {open() {}, write() {}, end() {}};
	await assert.rejects(http.fetch(url, sink), (error: unknown) => error instanceof ScrapeError && error.code === 'http-404');
	// undici lets one turn of the event loop pass before it reuses a socket.
	await nextTurn();
	assert.equal((await http.fetch(url, sink)).status, 200);
	assert.equal(connections(), 1);
});

test('a long error body is not read to its end: the connection is closed and the status still reported', async t => {
	let closedEarly: Promise<boolean> | undefined;
	const {url, http} = await serve(t, (_request, response) => {
		closedEarly = new Promise(resolve => {
			response.on('close', () => {
				resolve(!response.writableFinished);
			});
		});
		// 64 MiB nobody wants, written as the socket drains.
		response.writeHead(500, {'content-length': 64 * body.length});
		let left = 64;
		const pump = () => {
			for (; left > 0; left--) {
				if (!response.write(body)) {
					left--;
					response.once('drain', pump);
					return;
				}
			}

			response.end();
		};

		pump();
	});
	await assert.rejects(http.fetch(url, {open() {}, write() {}, end() {}}), (error: unknown) => error instanceof ScrapeError && error.code === 'http-500');
	assert.equal(await closedEarly, true, 'the server was cut off before it finished sending');
});
