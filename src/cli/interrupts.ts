/**
 * SIGINT (Ctrl-C, at a TTY too), SIGTERM (CI cancel), SIGHUP (terminal closed, SSH dropped) and
 * SIGQUIT (Ctrl-\ at a terminal) during a shift: the first signal aborts the engine, which rolls
 * back (or pauses) before exiting; a second one exits at once with exit 4, the alias state as last
 * written and the fix command, leaving the record for `lshift status` / `lshift rollback`.
 *
 * Nothing else may own these signals: listr2's own SIGINT listener is turned off
 * (renderers/listr-renderer.ts). After SIGHUP the terminal is gone and every write to it fails;
 * output.ts makes that harmless.
 *
 * What the first signal says is interrupt-notices.ts; what lshift last did to the alias,
 * alias-watch.ts and command-watches.ts; the second signal's exit, second-signal.ts.
 */

import { setMaxListeners } from 'node:events';
import { readWallMs } from './clocks.js';
import { takeEarlySignal } from './early-signals.js';
import { DEPLOY_STOPPING, ROLLBACK_SUSPEND_HINT } from './interrupt-notices.js';
import { stderr } from './output.js';
import { exitOnSecondSignal } from './second-signal.js';
import { STOP_SIGNALS } from './stop-signals.js';

export { STOP_SIGNALS } from './stop-signals.js';

export interface InterruptGuard {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * A second signal within this long of the first is the same interrupt delivered twice: Ctrl-C
 * under `npx` reaches lshift once from the terminal and once forwarded by npm.
 */
const DUPLICATE_SIGNAL_MS = 1000;

export interface GuardOptions {
  /** Called on a real second signal; by default exits at once (exitOnSecondSignal). */
  onSecond?: (signalName: string) => void;
  /** Tells the user the first signal was heard; by default a line on stderr. */
  say?: (text: string) => void;
  /**
   * What the first signal starts, said in its notice (a rollback stops otherwise than a deploy);
   * a function when that depends on how far the run got (resumeAwareNotice).
   */
  stopping?: string | (() => string);
  /**
   * Refuse Ctrl-Z (SIGTSTP) and say this instead: what to do to stop or hold. Set by the commands
   * that move traffic (deploy, rollback, check); a `wait` or an operator verb may be suspended.
   */
  refuseSuspend?: string;
  now?: () => number;
}

export function guardInterrupts({
  onSecond = (name) => exitOnSecondSignal(name, undefined),
  say = (text) => stderr.write(text),
  stopping = DEPLOY_STOPPING,
  refuseSuspend,
  now = readWallMs,
}: GuardOptions = {}): InterruptGuard {
  const controller = new AbortController();
  // Every AWS call in flight listens for the interrupt; a release of 100 functions queues
  // hundreds at Lambda's request rate, which is no leak (Node warns past 10).
  setMaxListeners(10_000, controller.signal);
  let firstAt = 0;
  const handler = (signalName: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // A hang-up (the terminal closed, a tmux session killed) after Ctrl-C is nobody insisting:
      // the rollback under way goes on, its output going nowhere (found by a hostile pass: closing
      // the window during the rollback left every alias split, the fix printed to a closed window).
      if (signalName === 'SIGHUP') return;
      if (now() - firstAt >= DUPLICATE_SIGNAL_MS) onSecond(signalName);
      return;
    }
    firstAt = now();
    // Said at once, so whoever pressed Ctrl-C (or a CI log) knows it was heard and why lshift
    // does not exit this instant. At a TTY `deploy` says it inside its task list (Progress.say).
    const notice = typeof stopping === 'function' ? stopping() : stopping;
    say(`\n${signalName} received: ${notice} (send it again after a second to exit at once).\n`);
    controller.abort(new Error(`interrupted by ${signalName}`));
  };
  for (const name of STOP_SIGNALS) process.on(name, handler);
  // A signal that came while the command started (bin/run.js kept it for `wait`) is its first.
  const early = takeEarlySignal();
  if (early) handler(early);
  // A stopped lshift neither watches nor rolls back, and its alias may be split: Ctrl-Z at a
  // terminal would leave traffic with nobody watching until `fg`, or until a scheduled check
  // finds the heartbeat stale. A listener replaces SIGTSTP's default action (stop); kill -STOP
  // cannot be refused, and `lshift check` covers it.
  const refuse = () =>
    say(
      `\nCtrl-Z (SIGTSTP) ignored: a suspended lshift would leave the traffic with nobody watching it. ${refuseSuspend}\n`,
    );
  if (refuseSuspend) process.on('SIGTSTP', refuse);
  return {
    signal: controller.signal,
    dispose() {
      for (const name of STOP_SIGNALS) process.off(name, handler);
      process.off('SIGTSTP', refuse);
    },
  };
}

/**
 * The guard of a command that moves no traffic but may change something (`publish`, `codedeploy
 * init`): the first signal abandons the AWS call in flight (`stopping` is said), a second exits at
 * once with `leftBehind()`, what may have changed.
 */
export function guardWithoutTraffic(opts: {
  say: (text: string) => void;
  stopping: string;
  json: boolean;
  leftBehind: () => string;
}): InterruptGuard {
  const nothingMoved = {
    sink: { emit: () => {} },
    touched: () => false,
    describe: () => [opts.leftBehind()],
  };
  return guardInterrupts({
    say: opts.say,
    stopping: opts.stopping,
    onSecond: (name) => exitOnSecondSignal(name, nothingMoved, opts.json),
    refuseSuspend: ROLLBACK_SUSPEND_HINT,
  });
}

/**
 * A signal for the AWS calls of `lshift rollback`: it aborts the calls in flight when `interrupt`
 * fires, until `writing()` says the alias write started (the engine's `rollback.started`, emitted
 * right after its last stop point): a claim write that hangs is abandoned at once, the alias write
 * and what follows it always finish.
 */
export function abortUntilWrite(interrupt: AbortSignal): {
  signal: AbortSignal;
  writing: () => void;
  /** A signal came and no write has started: a call that would start now is one the signal abandons. */
  interrupted: () => boolean;
} {
  const calls = new AbortController();
  let started = false;
  const abort = () => {
    // With its reason ("interrupted by SIGTERM"), which the INTERRUPTED message quotes.
    if (!started) calls.abort(interrupt.reason);
  };
  if (interrupt.aborted) abort();
  else interrupt.addEventListener('abort', abort, { once: true });
  return {
    signal: calls.signal,
    writing: () => {
      started = true;
    },
    interrupted: () => interrupt.aborted && !started,
  };
}

/**
 * A signal for the AWS calls of `lshift rollback --release`: it aborts the calls in flight when
 * `interrupt` fires while a listing of the functions in reach runs (only reads: the one finding
 * the release's functions, none named, and the one after the rollback looking for those not
 * named), not while the claims and alias writes between run (those finish, as a single
 * rollback's write does). Without it a Ctrl-C waited out a ListTags call in flight.
 */
export function abortWhileListing(interrupt: AbortSignal): {
  signal: AbortSignal;
  listing: (on: boolean) => void;
} {
  const calls = new AbortController();
  let listing = true;
  const abort = () => {
    if (listing) calls.abort();
  };
  if (interrupt.aborted) abort();
  else interrupt.addEventListener('abort', abort, { once: true });
  return {
    signal: calls.signal,
    listing: (on) => {
      listing = on;
      if (on && interrupt.aborted) calls.abort();
    },
  };
}
