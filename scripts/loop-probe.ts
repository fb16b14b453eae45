/**
Preloaded into each benchmarked imgscrape process (`node --import`): samples
the main thread's event-loop delay for the whole process life and writes it,
with the CPU time of all the process's threads, to stderr on exit, on a line
of its own for the benchmark to pick out.
*/
import {monitorEventLoopDelay} from 'node:perf_hooks';

// scripts/parse-workers.ts looks for this prefix.
const probePrefix = 'imgscrape-bench-loop ';

const histogram = monitorEventLoopDelay({resolution: 5});
histogram.enable();
process.on('exit', () => {
	histogram.disable();
	const cpu = process.cpuUsage();
	const line = {p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6, cpuMs: (cpu.user + cpu.system) / 1000};
	process.stderr.write(`\n${probePrefix}${JSON.stringify(line)}\n`);
});
