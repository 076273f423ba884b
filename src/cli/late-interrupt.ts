/**
 * A stop signal (Ctrl-C, a CI cancel's SIGTERM) that comes once a deploy or a release can no
 * longer be stopped: every function it moved is recorded promoted, and lshift is only reading the
 * promotion back (promotion-settle.ts, release-promotion-settle.ts), or has even printed its
 * result. Found by a hostile pass: a SIGINT 0.05–0.3 s after `B: step 2: 100% reached` said
 * "stopping the release safely: every function goes back to its stable version", then `✔ Release
 * … promoted`, exit 0 — and once, arriving after the result was printed (the signal listeners
 * already removed), Node's default action ended the process with 130, an exit code only `lshift
 * check` documents.
 *
 * - The first signal's notice says the promotion stands and nothing is rolled back for it, once
 *   every function lshift moved is recorded promoted (`promotionAwareNotice`);
 * - the result says the interrupt came after the end (`interruptedAfterEnd`, as `lshift wait` does
 *   for a CodeDeploy deployment that had ended), with the command that undoes the promotion;
 * - from the moment the run's own listeners are removed until the process exits, a stop signal is
 *   held (`holdLateSignals`): said, not obeyed by Node's default action; a second one a second
 *   later exits at once with the exit code already chosen; and the process ends with
 *   `process.exit` once its event loop is empty, not by Node's own teardown, which puts every
 *   signal back on its default action tens of milliseconds before the process is gone.
 */
import type { DeployStatus } from '../domain/events.js';
import { printable } from '../domain/printable.js';
import type { AliasWatch } from './alias-watch.js';
import { readWallMs } from './clocks.js';
import { resumeAwareNotice } from './interrupt-notices.js';
import { type InterruptGuard, STOP_SIGNALS } from './interrupts.js';
import { stderr } from './output.js';

/** A second signal within this long of the first is the same one delivered twice (interrupts.ts). */
const DUPLICATE_SIGNAL_MS = 1000;

/**
 * The first signal's notice: `otherwise` until every function lshift moved is recorded promoted;
 * then that the promotion stands. `what`: `deployment` or `release`.
 */
export function promotionAwareNotice(
  watch: Pick<AliasWatch, 'promotedTo'>,
  what: 'deployment' | 'release',
  otherwise: () => string,
): () => string {
  return () => {
    const promoted = watch.promotedTo?.();
    if (promoted === undefined) return otherwise();
    return `the ${what} is already recorded promoted, all traffic on ${promoted}: nothing is rolled back for this signal; lshift is reading the promotion back, then exits`;
  };
}

/**
 * The first signal's notice of `deploy` (`deployment`) or of a release, as `executeDeploy` and
 * `executeRelease` build it: a resume before its takeover changes nothing (resumeAwareNotice), a
 * run recorded promoted rolls nothing back, otherwise `otherwise`.
 */
export function stoppingNotice(
  watch: Pick<AliasWatch, 'promotedTo' | 'touched'>,
  what: 'deployment' | 'release',
  resume: boolean | undefined,
  otherwise: string,
): () => string {
  return promotionAwareNotice(watch, what, resumeAwareNotice(resume, watch, otherwise));
}

/**
 * The end of a deploy's or a release's own signal handling (their `finally`): the stop signals are
 * held until the process exits (holdLateSignals), then the run's guard lets go of them — in that
 * order, so no moment is left in which Node's default action would end the process (exit 130).
 */
export function endInterrupts(
  guard: Pick<InterruptGuard, 'dispose'>,
  opts: LateSignalOptions = {},
): () => void {
  const release = holdLateSignals(opts);
  guard.dispose();
  return release;
}

/** What a result says of a signal that came after it was promoted (nothing was rolled back for it). */
export function interruptedAfterEnd(
  signal: AbortSignal,
  status: DeployStatus,
): { interruptedAfterEnd?: true } {
  return signal.aborted && status === 'promoted' ? { interruptedAfterEnd: true } : {};
}

/**
 * The result's line for `interruptedAfterEnd`: the interrupt stopped nothing, and how to undo the
 * promotion if a rollback was what was wanted (`undo`: the command, when there is one).
 */
export function describeInterruptedAfterEnd(
  result: { interruptedAfterEnd?: true },
  undo: string | undefined,
): string[] {
  if (!result.interruptedAfterEnd) return [];
  const line = '  The interrupt came after the promotion was recorded: nothing was rolled back.';
  return [undo ? `${line} To put all traffic back on the stable version: \`${undo}\`` : line];
}

export interface LateSignalOptions {
  say?: (text: string) => void;
  now?: () => number;
  exit?: (code: number) => void;
  /** The exit code chosen so far (default: process.exitCode). */
  exitCode?: () => number | undefined;
}

/**
 * Holds the stop signals from now until the process exits (the run's own listeners are about to
 * be removed): the first is said and otherwise ignored — the result stands, and the process ends
 * by itself once its output is written (one-command.ts, exitOnceIdleOrSoon) — and a real second
 * one exits at once with the exit code chosen, if one is. Returns what removes the listeners
 * (tests; the CLI leaves them to the process's end).
 */
export function holdLateSignals({
  say = (text) => stderr.write(text),
  now = readWallMs,
  exit = (code) => process.exit(code),
  exitCode = () => (typeof process.exitCode === 'number' ? process.exitCode : undefined),
}: LateSignalOptions = {}): () => void {
  let firstAt: number | undefined;
  const handler = (signalName: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = now();
      say(
        `\n${printable(signalName)} received after lshift had finished: nothing is left to stop, and the result stands; lshift exits once its output is written.\n`,
      );
      return;
    }
    const code = exitCode();
    if (now() - firstAt >= DUPLICATE_SIGNAL_MS && code !== undefined) exit(code);
  };
  for (const name of STOP_SIGNALS) process.on(name, handler);
  // Ended by Node once its event loop is empty, the process first closes its signal listeners —
  // each back to the default action, which ends the process with 128 + the signal — and then takes
  // tens of milliseconds to tear down (measured with strace: 29–38 ms, SIGINT back on SIG_DFL before
  // `exit_group`). Ended here instead, with the code already set, it keeps them to the last
  // instant: `exit` listeners run as before (the code cache, held terminal output), no teardown.
  const exitNow = () => exit(exitCode() ?? 0);
  process.once('beforeExit', exitNow);
  return () => {
    for (const name of STOP_SIGNALS) process.off(name, handler);
    process.off('beforeExit', exitNow);
  };
}
