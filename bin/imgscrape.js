#!/usr/bin/env node
import {main} from '../dist/src/cli/main.js';
import {trapSignals} from '../dist/src/cli/signals.js';

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
