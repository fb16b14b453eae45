/**
One run per output folder. Two runs writing one folder race for the same
names and remove each other's temporary files, so a run holds an exclusive
lock file in the folder for as long as it writes there.

The lock names its owner (pid, host, start time), so a refused run can say who
holds the folder, and a lock left by a process that died (kill -9, a second
Ctrl-C) is taken over at once on the same host instead of after a timeout.
A lock from another host cannot be checked and is never taken over: the user
is told which file to remove.
*/

import {closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import {UsageError} from '../errors.js';

/** The lock's name in the output folder. */
export const lockName = '.imgscrape.lock';

interface Owner {
	pid: number;
	host: string;
	/** Kernel boot id where there is one: a pid from before a reboot names no process of this one. */
	boot: string | undefined;
	started: string;
}

let bootId: string | undefined | null = null;

function currentBoot(): string | undefined {
	if (bootId === null) {
		try {
			bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
		} catch {
			bootId = undefined;
		}
	}

	return bootId;
}

function readOwner(file: string): Owner | undefined {
	try {
		const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
		return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as Owner) : undefined;
	} catch {
		return undefined;
	}
}

/** Whether the lock's owner is a live process; undefined when that cannot be known (another host). */
function ownerAlive(owner: Owner): boolean | undefined {
	if (owner.host !== hostname()) {
		return undefined;
	}

	if (owner.boot !== undefined && owner.boot !== currentBoot()) {
		return false;
	}

	if (owner.pid === process.pid) {
		return true;
	}

	try {
		process.kill(owner.pid, 0);
		return true;
	} catch (error) {
		// EPERM: it lives, under another user.
		return (error as NodeJS.ErrnoException).code !== 'ESRCH';
	}
}

function describeOwner(owner: Owner): string {
	return `pid ${owner.pid} on ${owner.host}, since ${owner.started}`;
}

/** Why a folder cannot be written, in the words of the error. */
function cannotWrite(folder: string, error: NodeJS.ErrnoException): UsageError {
	const reason = error.code === 'EACCES' || error.code === 'EPERM' ? 'permission denied' : error.code === 'EROFS' ? 'read-only file system' : error.message;
	return new UsageError(`Cannot write to the output folder \`${folder}\`: ${reason}`);
}

export interface FolderLock {
	/** Remove the lock; only ours is ever removed. */
	release(): void;
}

/**
Take the folder's lock, or throw a `UsageError` naming the run that holds it.
Creating the lock file is also the proof that the folder can be written.
*/
export function lockFolder(folder: string): FolderLock {
	const file = path.join(folder, lockName);
	const owner: Owner = {pid: process.pid, host: hostname(), boot: currentBoot(), started: new Date().toISOString()};
	const text = `${JSON.stringify(owner)}\n`;
	for (let attempt = 0; attempt < 5; attempt++) {
		let fd: number;
		try {
			fd = openSync(file, 'wx', 0o644);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== 'EEXIST') {
				throw cannotWrite(folder, error as NodeJS.ErrnoException);
			}

			takeOverStale(folder, file);
			continue;
		}

		try {
			writeSync(fd, text);
		} catch (error) {
			closeSync(fd);
			rmSync(file, {force: true});
			throw cannotWrite(folder, error as NodeJS.ErrnoException);
		}

		closeSync(fd);
		return {
			release() {
				const current = readOwner(file);
				if (current?.pid === owner.pid && current.started === owner.started) {
					rmSync(file, {force: true});
				}
			},
		};
	}

	throw new UsageError(`Cannot take the lock \`${file}\`: other runs keep taking it`);
}

/**
Remove a lock whose owner is dead, or throw. The stale file is first renamed
aside, which only one of several runs racing for it can do, and it is checked
to be the one judged stale; a fresh lock caught by mistake is linked back.
*/
function takeOverStale(folder: string, file: string): void {
	const owner = readOwner(file);
	if (owner === undefined) {
		// Being written by its owner this instant, or not ours at all: a lock file we cannot read is never removed.
		throw new UsageError(
			`The output folder \`${folder}\` is locked by \`${file}\`, which does not name its owner; remove it if no imgscrape run is using the folder`,
		);
	}

	const alive = ownerAlive(owner);
	if (alive === true) {
		throw new UsageError(`Another imgscrape run (${describeOwner(owner)}) is writing to \`${folder}\`; wait for it to end or choose another --out`);
	}

	if (alive === undefined) {
		throw new UsageError(
			`The output folder \`${folder}\` is locked by a run on another host (${describeOwner(owner)}); remove \`${file}\` if that run has ended`,
		);
	}

	const aside = `${file}.${process.pid}.stale`;
	try {
		renameSync(file, aside);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return;
		}

		throw error;
	}

	const taken = readOwner(aside);
	if (taken?.pid !== owner.pid || taken.started !== owner.started) {
		try {
			linkSync(aside, file);
		} catch {}
	}

	rmSync(aside, {force: true});
}
