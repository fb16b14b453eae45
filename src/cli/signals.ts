/**
The CLI's side of cancellation; the library never touches process signals.
The first SIGINT or SIGTERM aborts the run, which then stops cleanly and
reports; a second one exits at once (temporary files may remain, but never a
partial file under a final name).
*/
export function trapSignals(): {signal: AbortSignal; dispose: () => void} {
	const controller = new AbortController();
	const onSignal = (name: NodeJS.Signals) => {
		if (controller.signal.aborted) {
			process.exit(130);
		}

		process.stderr.write(`\nimgscrape: ${name}, stopping (again to quit at once)\n`);
		controller.abort(new DOMException('Interrupted', 'AbortError'));
	};

	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	return {
		signal: controller.signal,
		dispose() {
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
		},
	};
}
