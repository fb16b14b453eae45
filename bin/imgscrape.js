#!/usr/bin/env node
import module from 'node:module';
import v8 from 'node:v8';

// Node 22.1+ keeps compiled code between runs, which halves start-up; Node 20 has no such cache and compiles as before.
module.enableCompileCache?.();

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
process.exitCode = await main(process.argv.slice(2), {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signal});
dispose();
