import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';
import {Redis} from 'ioredis';
import {needBinary} from './binaries.js';

export interface TestRedis {
	url: string;
	/** A client for the test's own checks (SCAN, MEMORY USAGE), closed with the server. */
	client: Redis;
	process: ChildProcess;
}

async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address() as {port: number};
	server.close();
	await once(server, 'close');
	return port;
}

/**
A redis-server of the test file's own on 127.0.0.1, with nothing saved to
disk, stopped by its pid when the test ends; undefined when the binary is
missing locally (the test is skipped; under CI=true it fails).
*/
export async function startRedis(t: TestContext): Promise<TestRedis | undefined> {
	const binary = needBinary(t, 'redis-server', ['redis-server', '/usr/bin/redis-server'], 'apt-get install -y redis-server');
	if (binary === undefined) {
		return undefined;
	}

	const dir = await mkdtemp(path.join(tmpdir(), 'imgscrape-redis-'));
	const port = await freePort();
	const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	await new Promise<void>((resolve, reject) => {
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			output += chunk;
			if (output.includes('Ready to accept connections')) {
				resolve();
			}
		});
		child.once('exit', code => reject(new Error(`redis-server exited (${code}): ${output}`)));
	});
	const client = new Redis({host: '127.0.0.1', port, maxRetriesPerRequest: 1});
	t.after(async () => {
		client.disconnect();
		if (child.exitCode === null) {
			process.kill(child.pid!, 'SIGKILL');
			await once(child, 'exit');
		}

		await rm(dir, {recursive: true, force: true});
	});
	return {url: `redis://127.0.0.1:${port}`, client, process: child};
}

/** Every key whose name matches `pattern`, by SCAN. */
export async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
	const keys: string[] = [];
	let cursor = '0';
	do {
		const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
		cursor = next;
		keys.push(...batch);
	} while (cursor !== '0');
	return keys;
}
