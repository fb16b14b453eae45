/*
The import graph of src/, read from the TypeScript sources (type-only and
dynamic imports included, which the compiled output would hide), parsed with
the compiler's own pre-processor rather than a regex.
*/
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** Each source file (relative to src/, `/` separators) and the src/ files it imports. */
function importGraph(): Map<string, string[]> {
	const files = readdirSync(src, {recursive: true, encoding: 'utf8'})
		.filter(file => file.endsWith('.ts'))
		.map(file => file.split(path.sep).join('/'));
	const graph = new Map<string, string[]>();
	for (const file of files) {
		const {importedFiles} = ts.preProcessFile(readFileSync(path.join(src, file), 'utf8'), true, true);
		const local = importedFiles.map(({fileName}) => fileName).filter(name => name.startsWith('.'));
		graph.set(
			file,
			local.map(name => path.posix.join(path.posix.dirname(file), name).replace(/\.js$/, '.ts')),
		);
	}

	return graph;
}

/** Every cycle a depth-first walk meets, as `a.ts -> b.ts -> a.ts`. */
function cycles(graph: Map<string, string[]>): string[] {
	const found: string[] = [];
	const done = new Set<string>();
	const trail: string[] = [];
	const visit = (file: string) => {
		trail.push(file);
		for (const next of graph.get(file) ?? []) {
			if (trail.includes(next)) {
				found.push([...trail.slice(trail.indexOf(next)), next].join(' -> '));
			} else if (!done.has(next)) {
				visit(next);
			}
		}

		trail.pop();
		done.add(file);
	};

	for (const file of graph.keys()) {
		if (!done.has(file)) {
			visit(file);
		}
	}

	return found;
}

const graph = importGraph();

test('the import graph is read: every import of src/ names a file that exists', () => {
	assert.ok(graph.size > 50, `${graph.size} files`);
	assert.ok(graph.get('index.ts')!.includes('scraper/scrape.ts'));
	for (const [file, imports] of graph) {
		for (const imported of imports) {
			assert.ok(graph.has(imported), `${file} imports ${imported}, which is not a source file`);
		}
	}
});

test('the cycle check finds a cycle when there is one', () => {
	assert.deepEqual(
		cycles(
			new Map([
				['a.ts', ['b.ts']],
				['b.ts', ['c.ts']],
				['c.ts', ['a.ts']],
			]),
		),
		['a.ts -> b.ts -> c.ts -> a.ts'],
	);
	assert.deepEqual(
		cycles(
			new Map([
				['a.ts', ['b.ts', 'c.ts']],
				['b.ts', ['c.ts']],
				['c.ts', []],
			]),
		),
		[],
	);
});

test('src/ has no import cycle', () => {
	assert.deepEqual(cycles(graph), []);
});

test('the layers import downwards only', () => {
	const importers = (target: (file: string) => boolean, from: (file: string) => boolean) =>
		[...graph]
			.filter(([file]) => from(file))
			.flatMap(([file, imports]) => imports.filter(imported => target(imported)).map(imported => `${file} -> ${imported}`));
	const command = (file: string) => file.startsWith('cli/commands/');
	assert.deepEqual(
		importers(file => file === 'cli/main.ts' || command(file), command),
		[],
		'the commands import neither main.ts nor each other',
	);
	assert.deepEqual(
		importers(
			file => file === 'options.ts' || file === 'resolve-options.ts',
			file => file.startsWith('download/'),
		),
		[],
		'download/ does not import the options',
	);
	assert.deepEqual(
		importers(
			file => file.startsWith('download/'),
			file => file === 'defaults.ts',
		),
		[],
		'the defaults import nothing from download/',
	);
});
