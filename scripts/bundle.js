/**
Bundle the CLI with esbuild into dist/cli/, next to tsc's output in dist/src/.

Loading undici, cheerio, yargs and the rest as hundreds of separate files costs
a good part of a short run; one bundle loads in about half the time. Code
splitting keeps what the commands import lazily (serve, demo, bench, ora,
file-type) in chunks of their own, loaded only when used. Library users still
import the tsc output; only bin/imgscrape.js loads the bundle.

Entries, flat in dist/cli/ so that files found beside the running module
resolve the same as in dist/src/:
  imgscrape.js       src/cli/index.ts, what the bin imports
  worker.js          the parse worker (src/extract/parse-pool.ts starts it from `worker.js` beside itself)
  server-process.js  the bench's gallery process (forked from `server-process.js` beside gallery-process.ts)
*/
import {cp, readFile, rm} from 'node:fs/promises';
import {createRequire, isBuiltin} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = path.join(root, 'dist', 'cli');
const yargsRoot = path.dirname(createRequire(import.meta.url).resolve('yargs/package.json'));

/**
yargs finds its locale files from its own module's URL (`../../../locales`),
which inside the bundle points nowhere: help would then come out in English
whatever LANG says. Point it at a copy beside the bundle instead.
*/
const yargsLocales = {
	name: 'yargs-locales',
	setup(build) {
		build.onLoad({filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/}, async ({path: file}) => {
			const source = await readFile(file, 'utf8');
			const from = "resolve(__dirname, '../../../locales')";
			if (!source.includes(from)) {
				throw new Error(`${file} no longer holds ${from}: check how this yargs finds its locales`);
			}

			return {contents: source.replace(from, "fileURLToPath(new URL('./yargs-locales/', import.meta.url))"), loader: 'js'};
		});
	},
};

/**
string-width compiles large Unicode property regexes (RGI_Emoji and others)
and loads its width tables when imported: about 25 ms of every start-up,
`--version` included, for a function only help text and the TTY spinner call.
Each import of it gets a stand-in that loads the real module (esbuild wraps
a required ES module in a lazy initializer) on the first call.
*/
const lazyStringWidth = {
	name: 'lazy-string-width',
	setup(build) {
		build.onResolve({filter: /^string-width$/}, async ({importer, resolveDir, kind, pluginData}) => {
			if (pluginData?.real) {
				return undefined;
			}

			const real = await build.resolve('string-width', {importer, resolveDir, kind, pluginData: {real: true}});
			if (real.errors.length > 0) {
				return {errors: real.errors};
			}

			return {path: real.path, namespace: 'lazy-string-width'};
		});
		build.onLoad({filter: /.*/, namespace: 'lazy-string-width'}, ({path: real}) => ({
			contents: `let stringWidth;
export default function lazyStringWidth(input, options) {
	stringWidth ??= require(${JSON.stringify(real)}).default;
	return stringWidth(input, options);
}
`,
			resolveDir: path.dirname(real),
			loader: 'js',
		}));
	},
};

/**
jsonc-parser's \`main\` is a UMD build whose factory require()s its own files
by relative path at run time, which esbuild cannot follow into the bundle.
The bundle takes its ES module build (its \`module\` field) instead.
*/
const jsoncParserEsm = {
	name: 'jsonc-parser-esm',
	setup(build) {
		build.onResolve({filter: /^jsonc-parser$/}, () => ({
			path: path.join(path.dirname(createRequire(import.meta.url).resolve('jsonc-parser/package.json')), 'lib', 'esm', 'main.js'),
		}));
	},
};

/**
An ESM import of one of Node's modules makes Node build that module's ESM
facade, which reads every export, lazy getters included: `node:http`'s loads
Node's own undici, `node:fs`'s its streams, `node:crypto`'s WebCrypto, all
at start-up and mostly for nothing. The bundle takes each as the CommonJS
object `process.getBuiltinModule` returns instead; esbuild then reads a
named import off it where it is used, so nothing loads before it is needed.
*/
const builtinsAsObjects = {
	name: 'builtins-as-objects',
	setup(build) {
		build.onResolve({filter: /^[a-z]/}, ({path: id, kind}) =>
			kind === 'import-statement' && isBuiltin(id) ? {path: id.startsWith('node:') ? id : `node:${id}`, namespace: 'builtin'} : undefined,
		);
		build.onLoad({filter: /.*/, namespace: 'builtin'}, ({path: id}) => ({
			contents: `module.exports = process.getBuiltinModule(${JSON.stringify(id)});`,
			loader: 'js',
		}));
	},
};

await rm(outdir, {recursive: true, force: true});
await esbuild.build({
	absWorkingDir: root,
	entryPoints: {
		imgscrape: 'src/cli/index.ts',
		worker: 'src/extract/worker.ts',
		'server-process': 'src/bench/server-process.ts',
	},
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// piscina starts its threads from dist/worker.js beside its own code, so it stays a package of its own (loaded only with --parse-workers);
	// playwright-core finds its own files beside itself too, and loads only with --render; bullmq and ioredis load only for a shared crawl (--crawl, join, status, forget).
	external: ['piscina', 'playwright-core', 'bullmq', 'ioredis'],
	// Bundled CommonJS (undici, iconv-lite ...) calls require() for Node's modules; ESM has none, so each file makes one.
	banner: {js: "import {createRequire as __imgscrapeCreateRequire} from 'node:module'; const require = __imgscrapeCreateRequire(import.meta.url);"},
	// Stack traces map back to src/*.ts with `node --enable-source-maps`.
	sourcemap: 'linked',
	sourcesContent: false,
	legalComments: 'none',
	plugins: [builtinsAsObjects, yargsLocales, lazyStringWidth, jsoncParserEsm],
	logLevel: 'warning',
});
await cp(path.join(yargsRoot, 'locales'), path.join(outdir, 'yargs-locales'), {recursive: true});
