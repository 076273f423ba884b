/**
 * A second signal (or an error the engine threw) once lshift may have moved traffic: exit at
 * once, saying where the alias stands (AliasWatch, alias-watch.ts) and the fix, on stderr, on
 * stdout (the one JSON object under --json) and in CI's failure report.
 */
import { fstatSync } from 'node:fs';
import { ExitCode, isLshiftError, UnsafeError } from '../domain/errors.js';
import { printableJson } from '../domain/printable.js';
import { describeError } from '../engine/emit.js';
import type { AliasWatch } from './alias-watch.js';
import { reportFailureInCi } from './ci-failure-report.js';
import { stderr, stdout } from './output.js';
import { targetJson } from './run-target.js';
import { SCHEMA_VERSION } from './schema-version.js';

/**
 * An error the engine threw instead of returning a result (a bug; the engine returns every
 * outcome it knows, its rollbacks included): once traffic may have moved it is exit 4 with the
 * alias as lshift last set it and the fix, as after a second signal — not the plain error's exit
 * 1, which says the alias is unchanged. An error that is already exit 4 says that itself.
 */
export function crashAfterTraffic(error: unknown, watch: AliasWatch): unknown {
  if (!watch.touched() || (isLshiftError(error) && error.exitCode === ExitCode.Unsafe)) return error;
  const { states, fixes } = splitWatchLines(watch.describe());
  return new UnsafeError(
    'INTERNAL',
    `lshift stopped on an error after traffic moved: ${describeError(error)}. ${states}`,
    {
      hint: `${fixes} Re-run with --debug for the stack trace, and report it.`.trim(),
      cause: error,
    },
  );
}

/**
 * The second signal: stop waiting, say where the alias stands and exit — 4 (a human must look)
 * once the shift started, 1 before that (nothing moved). Under --json stdout still gets its one
 * object (an INTERRUPTED error report), so a pipeline reading it learns the state and the fix.
 * In text, once traffic may have moved, stdout gets the state and the fix too, as the end of a
 * run says them there (`✖ UNSAFE: … Fix: …`): said only on stderr, `2>/dev/null` or a closed
 * stderr left nothing (found by a hostile pass). Not twice to one stream: a terminal, `2>&1`.
 */
export function exitOnSecondSignal(
  signalName: string,
  watch: AliasWatch | undefined,
  json = false,
  sharesStream: () => boolean = stdoutSharesStderr,
): never {
  const { code, lines, what } = whereSecondSignalLeaves(watch);
  // writeNow: listr2 buffers stderr while it renders, and the buffer would die with the process.
  // listr2 hid the cursor and will not get to show it again.
  if (process.stderr.isTTY) stderr.writeControl('\u001b[?25h');
  stderr.writeNow(
    `\n${signalName} again: exiting now (exit ${code}) ${what}.\n${lines.map((l) => `  ${l}\n`).join('')}`,
  );
  const report = targetJson(secondSignalReport(signalName, what, lines, code));
  if (json) stdout.write(`${printableJson(JSON.stringify(report))}\n`);
  else if (code !== ExitCode.Failed && !sharesStream())
    stdout.writeNow(
      `${[secondSignalHeadline(signalName, what, code), ...lines].map((l, i) => (i ? `  ${l}` : l)).join('\n')}\n`,
    );
  // The run's page and an NDJSON reader learn it too: a split alias nobody watches (ci-failure-report.ts).
  const { schemaVersion: _, ...failure } = report;
  if (code !== ExitCode.Success) reportFailureInCi({ ...failure, exitCode: code }, undefined, { json });
  process.exit(code);
}

/**
 * How a second signal exits and what it says: before traffic moved, after the rollback finished,
 * after the promotion was recorded, or with the alias as the watch last saw it.
 */
function whereSecondSignalLeaves(watch: AliasWatch | undefined): {
  code: ExitCode;
  lines: string[];
  what: string;
} {
  const untouched = watch !== undefined && !watch.touched();
  // The rollback had finished (its rollback hooks ran): exit 3, not a false "needs a human" 4
  // (found by a hostile pass: a CI cancel's SIGTERM during the rollback hooks).
  const back = untouched ? undefined : watch?.rolledBackTo?.();
  // Recorded promoted, reading it back (found by a hostile pass: exit 4 and a rollback command
  // for a healthy promotion, which a pipeline running the printed fix would have undone).
  const promoted = untouched || back ? undefined : watch?.promotedTo?.();
  const code = untouched
    ? ExitCode.Failed
    : back
      ? ExitCode.RolledBack
      : promoted
        ? ExitCode.Success
        : ExitCode.Unsafe;
  const lines = back
    ? [`All traffic is on ${back}: the rollback had finished; its rollback hooks were stopped.`]
    : promoted
      ? [
          `The deployment is recorded promoted, all traffic on ${promoted}; lshift was reading its record and alias back (see \`lshift status\`).`,
        ]
      : (watch?.describe() ?? ['The alias may still be split; run `lshift status` and `lshift rollback`.']);
  const what = untouched
    ? 'before any traffic moved'
    : back
      ? 'after the rollback finished'
      : promoted
        ? 'after the promotion was recorded'
        : (watch?.unfinished ?? 'without finishing the rollback');
  return { code, lines, what };
}

/** The first line the text-mode stdout gets, as the end of a run starts its summary. */
function secondSignalHeadline(signalName: string, what: string, code: ExitCode): string {
  const exited = `${signalName} again: lshift exited ${what} (exit ${code})`;
  if (code === ExitCode.Unsafe) return `✖ UNSAFE: ${exited}; a human must look.`;
  return `${code === ExitCode.Success ? '✔' : '✖'} ${exited}.`;
}

/**
 * True when stdout and stderr are one file (one terminal, `2>&1`, one log file): the lines
 * written to stderr are already there. Unknown (a closed fd) counts as not the same.
 */
export function stdoutSharesStderr(): boolean {
  try {
    const [out, err] = [fstatSync(1), fstatSync(2)];
    return out.dev === err.dev && out.ino === err.ino;
  } catch {
    return false;
  }
}

function secondSignalReport(signalName: string, what: string, lines: string[], code: ExitCode) {
  const { states, fixes, rollbackCommand } = splitWatchLines(lines);
  return {
    schemaVersion: SCHEMA_VERSION,
    status: 'error' as const,
    code: 'INTERRUPTED' as const,
    message: `${signalName} again: lshift exited ${what}. ${states}`,
    ...(fixes ? { hint: fixes } : {}),
    // A script reads the one command that puts every function back (found by a hostile pass:
    // a release's was only inside the hint, with each function's state but the first's).
    ...(rollbackCommand ? { rollbackCommand } : {}),
    exitCode: code,
  };
}

/**
 * A watch's lines (each function's state, then its fixes) as one message and one hint, and the
 * rollback command that undoes it all: a release's `Or all of them at once: …`, else the one
 * function's `Fix: lshift rollback …`.
 */
function splitWatchLines(raw: readonly string[]): {
  states: string;
  fixes: string;
  rollbackCommand?: string;
} {
  const lines = raw.map((l) => l.trim());
  const isFix = (line: string) => /^(Fix:|or\b|Or all)/.test(line);
  const all = lines
    .find((l) => l.startsWith('Or all of them at once: '))
    ?.slice('Or all of them at once: '.length);
  const rollbacks = lines
    .filter((l) => l.startsWith('Fix: lshift rollback '))
    .map((l) => l.slice('Fix: '.length));
  const rollbackCommand = all ?? (rollbacks.length === 1 ? rollbacks[0] : undefined);
  return {
    states: lines.filter((l) => !isFix(l)).join(' '),
    fixes: lines.filter(isFix).join(' '),
    ...(rollbackCommand ? { rollbackCommand } : {}),
  };
}
