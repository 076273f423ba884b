/**
 * The one verdict of a release, per function: what ends the release for each function
 * (outcomeFor), and which function the release's result names as the one that ended it
 * (withFailed). Shared by the release's settle (release-settle.ts) and the read-back of its
 * promotion (release-promotion-settle.ts), which ends a release the way its last level would.
 */
import { formatTarget, type ReleaseTarget } from '../domain/release-program.js';
import type { ProgramOutcome } from './interpreter.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';

/**
 * What a release's result names as `failed`: the one whose health, hook or write ended
 * it. A Ctrl-C or SIGTERM (`interrupted`) and an operator's abort (read from the release's
 * command reader) end it for every function alike: naming the first function that noticed them
 * made `--json` and the CI summary say "orders failed the release" of a healthy function.
 */
export function withFailed(ended: ProgramOutcome): { failed?: ReleaseTarget } {
  if (ended.kind === 'done' || ended.kind === 'interrupted' || !ended.target) return {};
  if (ended.kind === 'failed' && isReleaseWide(ended.why.code)) return {};
  return { failed: ended.target };
}

/**
 * Causes that end a release for every function alike: an operator's abort, and a rollback left
 * unfinished that `--resume` finishes (the whole release was rolling back: found by a hostile
 * pass, "function fa failed" of an interrupted release).
 */
function isReleaseWide(code: string): boolean {
  return code === 'OPERATOR_ABORTED' || code === 'ROLLBACK_UNFINISHED';
}

/**
 * One verdict: the function that failed keeps its own outcome; every other one rolls back for
 * it (a conflict stops only the function whose alias someone else moved).
 */
export function outcomeFor(ctx: ShiftContext, ended: ProgramOutcome): PhaseOutcome {
  if (ended.kind === 'unsafe' || ended.kind === 'gone')
    throw new Error('a release program has no restore step');
  if (ended.kind === 'done' || ended.kind === 'interrupted') return { kind: ended.kind };
  const own = ended.target === undefined || formatTarget(ended.target) === formatTarget(ctx.cursor);
  if (own)
    return ended.kind === 'conflict' ? { ...ended } : { kind: 'failed', cause: ended.cause, why: ended.why };
  // An operator's abort reached the release through one function's record; it is not that
  // function's failure. Nor is a takeover (a rollback from another shell, a resume elsewhere):
  // what became of that function is known only once it settles (stoppedFor: release-takers.ts).
  const fn = ended.target!.functionName;
  const cause =
    ended.kind === 'failed' && ended.why.code === 'OPERATOR_ABORTED'
      ? `the release was ${ended.cause}`
      : ended.kind === 'failed' && ended.why.code === 'ROLLBACK_UNFINISHED'
        ? `the release’s ${ended.cause.replace(/^the /, '')}`
        : ended.kind === 'conflict'
          ? `function ${fn} stopped: ${ended.cause}`
          : ended.why.code === 'HEALTH_UNREADABLE'
            ? // Unknown health, not a failed version: one CloudWatch read serves every function's
              // poll (metric-batch.ts), so its failure ends the release for whichever polled first
              // (h4's notes, session 64: "function f5 failed" of a healthy f5).
              `the health of function ${fn} could not be read: ${ended.cause.replace(/^health unreadable: /, '')}`
            : `function ${fn} failed: ${ended.cause}`;
  return { kind: 'failed', cause, why: { ...ended.why, detail: cause } };
}
