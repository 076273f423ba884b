/**
 * SIGINT/SIGTERM during a shift (Ctrl-C, CI cancel): the first signal aborts the engine, which
 * rolls back (or pauses) before exiting; a second one exits at once, leaving the record for
 * `lshift status` / `lshift rollback`.
 */
import { ExitCode } from '../domain/errors.js';
import { readWallMs } from './clocks.js';

export interface InterruptGuard {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * A second signal within this long of the first is the same interrupt delivered twice: Ctrl-C
 * under `npx` reaches lshift once from the terminal and once forwarded by npm.
 */
const DUPLICATE_SIGNAL_MS = 1000;

export function guardInterrupts(
  onSecond: (signalName: string) => void = defaultSecond,
  now: () => number = readWallMs,
): InterruptGuard {
  const controller = new AbortController();
  let firstAt = 0;
  const handler = (signalName: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      if (now() - firstAt >= DUPLICATE_SIGNAL_MS) onSecond(signalName);
      return;
    }
    firstAt = now();
    controller.abort(new Error(`interrupted by ${signalName}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

function defaultSecond(signalName: string): void {
  process.stderr.write(
    `\n${signalName} again: exiting now without finishing the rollback. The alias may still be split; run \`lshift status\` and \`lshift rollback\`.\n`,
  );
  process.exit(ExitCode.Unsafe);
}
