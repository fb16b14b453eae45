import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {UsageError} from '../../errors.js';
import {defaults} from '../../defaults.js';
import {httpUrl, integer, milliseconds} from '../../validate.js';
import {parseCountList, parsePresets, presets, type Preset, type Scenario} from '../../bench/scenarios.js';
import {htmlChart, svgChart} from '../../bench/svg-chart.js';
import type {BenchResult} from '../../bench/results.js';
import {defaultWorkDir, runSweep} from '../../bench/sweep.js';
import {formatCsv, formatHeader, formatScenario} from '../../bench/table.js';
import {terminalChart} from '../../bench/terminal-chart.js';
import type {BenchFlags} from '../args.js';
import {exitCodes, type CliIo} from '../io.js';
import type {InvocationOf} from '../parse-args.js';

const scenarioFlags = ['pages', 'perPage', 'size', 'latency', 'jitter', 'pageBytes'] as const;

function scenarioOverrides(flags: BenchFlags): Partial<Scenario> {
	const overrides: Partial<Record<(typeof scenarioFlags)[number], number>> = {};
	for (const name of scenarioFlags) {
		const value = flags[name];
		if (value === undefined) {
			continue;
		}

		// The gallery waits this long before each response.
		overrides[name] =
			name === 'latency' || name === 'jitter'
				? milliseconds(name, value, {whole: true})
				: integer(name, value, {min: name === 'pages' || name === 'perPage' || name === 'size' ? 1 : 0});
	}

	return overrides;
}

/** The scenarios to run: the presets named (seed by default), with any scenario flag applied to each. */
function chooseScenarios(flags: BenchFlags): Array<{scenario: Scenario; preset?: Preset}> {
	const chosen = typeof flags.preset === 'string' ? parsePresets(flags.preset) : [presets.seed!];
	if (chosen.length === 0) {
		throw new UsageError('Expected `--preset` to name at least one preset');
	}

	const overrides = scenarioOverrides(flags);
	if (Object.keys(overrides).length === 0) {
		return chosen.map(preset => ({scenario: preset, preset}));
	}

	// A changed scenario is not the preset any more: its targets do not apply.
	return chosen.map(preset => ({scenario: {...pick(preset), ...overrides, name: typeof flags.preset === 'string' ? `${preset.name}*` : 'custom'}}));
}

function pick(preset: Preset): Scenario {
	const {name, pages, perPage, size, latency, jitter, pageBytes} = preset;
	return {name, pages, perPage, size, latency, jitter, pageBytes};
}

function chartFormat(file: string): 'svg' | 'html' {
	const extension = path.extname(file).toLowerCase();
	if (extension === '.svg') {
		return 'svg';
	}

	if (extension === '.html' || extension === '.htm') {
		return 'html';
	}

	throw new UsageError(`Expected \`--chart\` to end in .svg or .html, got \`${file}\``);
}

/** The human output: header, then each scenario's table, terminal chart, knee and targets. */
function formatBench(result: BenchResult, colour: boolean, targets: boolean): string {
	const parts = [formatHeader(result)];
	for (const scenario of result.scenarios) {
		parts.push(formatScenario(scenario, {targets}), terminalChart(scenario, {colour}));
	}

	return `${parts.join('\n\n')}\n`;
}

/** `imgscrape bench`: sweep the concurrency against the fixture gallery and report where it stops paying. */
export async function runBench({options: flags}: InvocationOf<'bench'>, io: CliIo): Promise<number> {
	const scenarios = chooseScenarios(flags);
	const concurrency = flags.concurrency === undefined ? undefined : parseCountList('concurrency', flags.concurrency);
	const pageConcurrency = flags.pageConcurrency === undefined ? [defaults.pageConcurrency] : parseCountList('pageConcurrency', flags.pageConcurrency);
	const parseWorkers = flags.parseWorkers === undefined ? undefined : parseCountList('parseWorkers', flags.parseWorkers, 0);
	const repeat = integer('repeat', flags.repeat, {min: 1});

	const chart = typeof flags.chart === 'string' ? flags.chart : undefined;
	const format = chart === undefined ? undefined : chartFormat(chart);
	const quiet = Boolean(flags.quiet);
	let result: BenchResult;
	try {
		result = await runSweep({
			scenarios,
			concurrency,
			pageConcurrency,
			parseWorkers,
			repeat,
			url: flags.url === undefined ? undefined : httpUrl('--url', flags.url).href,
			workDir: typeof flags.workDir === 'string' ? flags.workDir : defaultWorkDir(),
			signal: io.signal,
			onProgress: quiet ? undefined : line => io.stderr.write(`${line}\n`),
		});
	} catch (error) {
		if (io.signal?.aborted) {
			io.stderr.write('imgscrape: bench interrupted\n');
			return exitCodes.interrupted;
		}

		throw error;
	}

	const targets = Boolean(flags.targets);
	const text = formatBench(result, Boolean(io.stdout.isTTY), targets);
	if (flags.json) {
		io.stdout.write(`${JSON.stringify(result)}\n`);
		if (!quiet) {
			io.stderr.write(text);
		}
	} else if (flags.csv) {
		io.stdout.write(formatCsv(result));
		if (!quiet) {
			io.stderr.write(text);
		}
	} else {
		io.stdout.write(text);
	}

	if (chart !== undefined) {
		await writeFile(chart, format === 'svg' ? svgChart(result) : htmlChart(result, {targets}));
		if (!quiet) {
			io.stderr.write(`chart written to ${chart}\n`);
		}
	}

	const incomplete = result.scenarios.some(scenario => scenario.points.some(point => !point.complete));
	return incomplete ? exitCodes.someFailed : exitCodes.ok;
}
