import {readdirSync, readFileSync} from 'node:fs';

/** One process as /proc shows it. */
interface ProcessInfo {
	pid: number;
	ppid: number;
	/** The program's name, such as `chromium`. */
	name: string;
	state: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The name is in parentheses and may hold spaces: the fields after the last `)` are fixed.
		const close = stat.lastIndexOf(')');
		const [state, ppid] = stat.slice(close + 2).split(' ');
		return {pid, ppid: Number(ppid), name: stat.slice(stat.indexOf('(') + 1, close), state: state!};
	} catch {
		return undefined;
	}
}

/** Every process below `root` (its children, theirs, and so on), read from /proc. */
export function descendants(root: number): ProcessInfo[] {
	const all = readdirSync('/proc')
		.filter(entry => /^\d+$/.test(entry))
		.map(entry => readProcess(Number(entry)))
		.filter((info): info is ProcessInfo => info !== undefined);
	const found: ProcessInfo[] = [];
	let parents = new Set([root]);
	while (parents.size > 0) {
		const children = all.filter(info => parents.has(info.ppid));
		found.push(...children);
		parents = new Set(children.map(info => info.pid));
	}

	return found;
}

/** Whether `pid` still runs: gone from /proc, or a zombie nobody has reaped yet, counts as ended. */
export function running(pid: number): boolean {
	const info = readProcess(pid);
	return info !== undefined && info.state !== 'Z' && info.state !== 'X';
}
