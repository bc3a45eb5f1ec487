type Signal = 'SIGTERM' | 'SIGINT';

/**
 * An AbortSignal that aborts on the first SIGTERM or SIGINT, saying `what` happens now on `out`. Both listeners
 * go at once, so a second signal is not caught and ends the process at once (a second Ctrl-C).
 */
export function abortOnSignals(
  target: {
    once(event: Signal, listener: () => void): unknown;
    off(event: Signal, listener: () => void): unknown;
  },
  out: { write(text: string): unknown },
  what: string,
): AbortSignal {
  const controller = new AbortController();
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  function stop(signal: Signal): void {
    target.off('SIGTERM', onTerm);
    target.off('SIGINT', onInt);
    out.write(`\n${signal}: ${what}\n`);
    controller.abort();
  }
  target.once('SIGTERM', onTerm);
  target.once('SIGINT', onInt);
  return controller.signal;
}
