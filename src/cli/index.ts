/**
The CLI as the bin loads it: the entry point of the bundle in dist/cli/ (see
scripts/bundle.js). The commands stay behind dynamic imports in main.ts, so
they land in chunks of their own that load only when they run.
*/
export {main} from './main.js';
export {trapSignals} from './signals.js';
