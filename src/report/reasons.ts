/**
Why something failed, in the words a user would use: "connection refused at
127.0.0.1:8081" rather than "connect ECONNREFUSED 127.0.0.1:8081". Every such
wording lives here, read from the error's code and its chain of causes, so the
report, progress and `--verbose` say the same thing the same way.
*/

/*
The standard status names, read from `node:http` as an object, not by an ESM
import: that makes Node build the module's ESM facade, whose lazy `WebSocket`
and `fetch` getters load Node's own undici (about 50 ms of start-up on Node
24). The CLI's bundle does this for every Node module (scripts/bundle.js);
this is for the library, whose tsc output is imported as it is.
*/
const statusCodes = (): Record<number, string | undefined> => process.getBuiltinModule('node:http').STATUS_CODES;

/** The fields of a system or undici error that say where it happened. */
interface SystemFields {
	code: string;
	syscall?: string | undefined;
	address?: string | undefined;
	port?: number | undefined;
	hostname?: string | undefined;
	path?: string | undefined;
}

/** The first error down the `cause` chain that carries an `E...` (or undici) code: the one that says what really happened. */
function systemCause(error: unknown): SystemFields | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
		const record = current as Record<string, unknown>;
		if (typeof record.code === 'string' && /^(?:E[A-Z\d_]+|UND_ERR_[A-Z_]+|ERR_TLS_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)$/.test(record.code)) {
			return {
				code: record.code,
				syscall: typeof record.syscall === 'string' ? record.syscall : undefined,
				address: typeof record.address === 'string' ? record.address : undefined,
				port: typeof record.port === 'number' ? record.port : undefined,
				hostname: typeof record.hostname === 'string' ? record.hostname : undefined,
				path: typeof record.path === 'string' ? record.path : undefined,
			};
		}

		current = record.cause;
	}

	return undefined;
}

function where(fields: SystemFields, url: string | undefined): string {
	if (fields.address !== undefined) {
		return fields.port === undefined ? fields.address : `${fields.address}:${fields.port}`;
	}

	if (url !== undefined) {
		try {
			return new URL(url).host;
		} catch {}
	}

	return 'the server';
}

function hostOf(fields: SystemFields, url: string | undefined): string {
	if (fields.hostname !== undefined) {
		return fields.hostname;
	}

	try {
		return url === undefined ? 'the host' : new URL(url).hostname;
	} catch {
		return 'the host';
	}
}

const certificateWords = 'the server’s TLS certificate did not verify';

/** Plain words for a system error, or undefined when there are none better than the message. */
function systemWords(fields: SystemFields, url: string | undefined): string | undefined {
	const path = fields.path === undefined ? '' : `: ${fields.path}`;
	switch (fields.code) {
		case 'ECONNREFUSED': {
			return `connection refused at ${where(fields, url)}`;
		}

		case 'ENOTFOUND':
		case 'EAI_NONAME':
		case 'EAI_NODATA':
		case 'EAI_FAIL': {
			return `name not found: ${hostOf(fields, url)}`;
		}

		case 'EAI_AGAIN': {
			return `name lookup failed for now: ${hostOf(fields, url)}`;
		}

		case 'ECONNRESET':
		case 'EPIPE': {
			return `connection reset by ${where(fields, url)}`;
		}

		case 'UND_ERR_SOCKET':
		case 'UND_ERR_CLOSED': {
			return `connection closed by ${where(fields, url)}`;
		}

		case 'EHOSTUNREACH':
		case 'EHOSTDOWN': {
			return `host unreachable: ${where(fields, url)}`;
		}

		case 'ENETUNREACH':
		case 'ENETDOWN': {
			return `network unreachable: ${where(fields, url)}`;
		}

		case 'EACCES':
		case 'EPERM': {
			return `permission denied${path}`;
		}

		case 'ENOSPC': {
			return `disk full${path}`;
		}

		case 'EDQUOT': {
			return `disk quota used up${path}`;
		}

		case 'EROFS': {
			return `read-only file system${path}`;
		}

		case 'ENOENT': {
			return `no such file or folder${path}`;
		}

		case 'EMFILE':
		case 'ENFILE': {
			return 'out of file descriptors (raise `ulimit -n` or lower -c)';
		}

		default: {
			return fields.code.includes('CERT') || fields.code.startsWith('ERR_TLS_') ? `${certificateWords} (${fields.code})` : undefined;
		}
	}
}

/** `HTTP 404 Not Found`: the status and its standard name. */
export function httpWords(status: number): string {
	const name = statusCodes()[status];
	return name === undefined ? `HTTP ${status}` : `HTTP ${status} ${name}`;
}

/**
The reason an item failed, in plain words: from the system error down its
causes when there is one, from the status for `http-NNN`, else the message
(imgscrape's own messages are already worded for the user).
*/
export function reasonOf(error: {code: string; message: string; cause?: unknown; url?: string | undefined}): string {
	if (error.code.startsWith('http-')) {
		return httpWords(Number(error.code.slice(5)));
	}

	const fields = systemCause(error.cause);
	const words = fields === undefined ? undefined : systemWords(fields, error.url);
	return words ?? error.message;
}
