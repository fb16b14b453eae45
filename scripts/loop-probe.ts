/**
Preloaded into each benchmarked imgscrape process (`node --import`): samples
the main thread's event-loop delay for the whole process life and writes it,
with the CPU time of all the process's threads and of the main thread alone,
to stderr on exit, on a line of its own for the benchmark to pick out.

The main thread's own CPU time is what parse workers are meant to take load
off; on a machine shared with other work it is also a steadier figure than
wall time, since waiting for a core is not counted in it. Node 20 has no
per-thread CPU call, so it is read from Linux's /proc (the main thread's task
id is the process id); elsewhere the field is left out.
*/
import {readFileSync} from 'node:fs';
import {monitorEventLoopDelay, performance} from 'node:perf_hooks';

// scripts/parse-workers.ts looks for this prefix.
const probePrefix = 'imgscrape-bench-loop ';

const histogram = monitorEventLoopDelay({resolution: 5});
histogram.enable();

/** User + system CPU of the main thread in ms, from /proc/self/task/PID/stat (fields 14 and 15, in clock ticks of 10 ms). */
function mainThreadCpuMs(): number | undefined {
	try {
		const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
		// The command name (field 2) may hold spaces: count fields after its closing parenthesis.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return undefined;
	}
}

process.on('exit', () => {
	histogram.disable();
	const cpu = process.cpuUsage();
	const elu = performance.eventLoopUtilization();
	const line = {
		p99Ms: histogram.percentile(99) / 1e6,
		maxMs: histogram.max / 1e6,
		cpuMs: (cpu.user + cpu.system) / 1000,
		mainCpuMs: mainThreadCpuMs(),
		loopActiveMs: elu.active,
	};
	process.stderr.write(`\n${probePrefix}${JSON.stringify(line)}\n`);
});
