#!/usr/bin/env node
import module from 'node:module';
import v8 from 'node:v8';

// Node 22.1+ keeps compiled code between runs, which halves start-up; Node 20 has no such cache and compiles as before.
module.enableCompileCache?.();

/*
`imgscrape --version` alone needs nothing but package.json, the version's one
source: answered here, without loading the CLI's bundle and yargs (about 0.1 s
of CPU on Node 20). With any other argument yargs answers, as before.
*/
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
	const {readFileSync} = await import('node:fs');
	process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
	await run();
}

async function run() {
	/*
	undici parses HTTP with WebAssembly, and V8 recompiles its hot functions with
	TurboFan on a background thread; a process cannot exit until that compile is
	done, which kept every run alive ~60 ms after its work was over (Node 20; ~35
	on 22). The baseline code parses as fast for us. Set before any WebAssembly
	is compiled; the library leaves V8's flags alone.
	*/
	v8.setFlagsFromString('--liftoff-only');

	/*
	A run's live heap is small (a page's DOM, the queued downloads), but it turns
	over garbage fast, and V8's default lets the heap grow up to 4x past what
	survived the last full collection. Growing it by a tenth instead held peak
	RSS to 260 MB instead of 415 MB on 10 pages of 2 MB with 30,000 images, and to
	155 MB instead of 250 MB on 100,000 images, in the same time within noise.
	*/
	v8.setFlagsFromString('--heap-growing-percent=10');

	// The CLI's esbuild bundle (scripts/bundle.js): one file and a few chunks load much faster than the hundreds of files of tsc's output.
	const {main, trapSignals} = await import('../dist/cli/imgscrape.js');

	// `imgscrape list ... | head` closes stdout early: that is the reader's choice, not an error.
	process.stdout.on('error', error => {
		if (error.code === 'EPIPE') {
			process.exit(process.exitCode ?? 0);
		}

		throw error;
	});

	const {signal, dispose} = trapSignals();
	const io = {
		stdout: process.stdout,
		stderr: process.stderr,
		// Node builds process.stdin, a stream, on first use; only `--input-file -` reads it.
		get stdin() {
			return process.stdin;
		},
		signal,
	};
	process.exitCode = await main(args, io);
	dispose();
}
