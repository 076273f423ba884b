/**
 * A signal that comes while a command starts, before it has set up its own handling
 * (guardInterrupts in src/cli/interrupts.ts, ~0.3 s after the process starts): Node's default
 * action would end the process at once (exit 130 for Ctrl-C). For `lshift wait` that was wrong:
 * the deployment already runs in AWS CodeDeploy, and whoever pressed Ctrl-C asked for it to be
 * stopped (found by a hostile pass: a Ctrl-C in the first ~0.35 s exited 130 and stopped
 * nothing). bin/run.js keeps such a signal for that command, and its guard takes it as its first.
 *
 * Only for a command that sets up its guard on every path after parsing its arguments: a kept
 * signal is otherwise swallowed, and the command would not stop.
 *
 * The state lives on `process`, not in this module: bin/run.js loads this file as an ES module,
 * and the command runs from the bundle, which holds its own copy of it.
 */
import { STOP_SIGNALS } from './stop-signals.js';

interface EarlySignals {
  first?: NodeJS.Signals;
  readonly listener: (name: NodeJS.Signals) => void;
}

const KEY = Symbol.for('lshift.earlySignals');
type WithEarly = NodeJS.Process & { [KEY]?: EarlySignals };

/** From now until takeEarlySignal, the first stop signal is kept, not acted on. */
export function keepEarlySignals(): void {
  const holder = process as WithEarly;
  if (holder[KEY]) return;
  const kept: EarlySignals = {
    listener: (name) => {
      kept.first ??= name;
    },
  };
  holder[KEY] = kept;
  for (const name of STOP_SIGNALS) process.on(name, kept.listener);
}

/** The signal kept since keepEarlySignals, if any; from now on the caller's handlers act alone. */
export function takeEarlySignal(): NodeJS.Signals | undefined {
  const holder = process as WithEarly;
  const kept = holder[KEY];
  if (!kept) return undefined;
  for (const name of STOP_SIGNALS) process.off(name, kept.listener);
  delete holder[KEY];
  return kept.first;
}
