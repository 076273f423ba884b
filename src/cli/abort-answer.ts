/**
 * What `lshift abort` says once the deployment answered: worded from the record it then read. It
 * said "was aborted and is rolling back (paused)" — or "(promoted)" — of a deployment whose abort
 * met its alias moved by someone else (a pre-traffic hook's split, a person's promotion) and
 * ended as a conflict, lshift leaving the move and rolling nothing back (found by a hostile pass,
 * session 66, F3). Such an end is not what the abort was for: marked ✖, not ✔, and not exit 0
 * (abortExitCode), which docs/exit-codes.md gives an abort only once its deployment rolled back.
 */
import { formatPercent } from '../domain/duration.js';
import { ExitCode } from '../domain/errors.js';
import type { SendCommandResult } from '../engine/operator-send.js';
import { isClosedByHand, isClosedOnSplit, versionNamedByEnd } from '../engine/record-view.js';

type Rec = SendCommandResult['record'];

/** The words after `✔ Deployment d-… of fn:alias was aborted[ by …]`. */
export function describeAbortEnd(r: SendCommandResult, by: string): string {
  const rec = r.record;
  const status = `\`lshift status ${r.functionName} --alias ${r.alias}\``;
  const rollback = `\`lshift rollback ${r.functionName} --alias ${r.alias}\``;
  if (rec.phase === 'rolled-back' && !isClosedByHand(rec))
    return `was aborted${by} and rolled back: all traffic is on version ${rec.stableVersion}.`;
  const moved = describeMovedRouting(rec);
  if (moved === 'stable')
    return `was aborted${by}; its alias was put back on version ${rec.stableVersion} by someone else meanwhile: all traffic is on version ${rec.stableVersion}.`;
  if (moved)
    return `was aborted${by}, but its alias was moved by someone else (a hook, or a person) and lshift left it there: ${moved.words}. lshift rolled nothing back over that move; see ${status}, and put all traffic back on version ${rec.stableVersion} with ${rollback}.`;
  if (rec.phase === 'failed')
    return `was aborted${by}, but its rollback failed; see ${status}, and put all traffic back on version ${rec.stableVersion} with ${rollback}.`;
  if (rec.phase === 'promoted')
    return `was aborted${by}, but it had been promoted before it obeyed the abort: all traffic is on version ${rec.targetVersion}, the new version, and lshift rolled nothing back; put all traffic back on version ${rec.stableVersion} with ${rollback}.`;
  if (rec.phase === 'paused')
    return `was aborted${by}, but it had ended paused at ${formatPercent(rec.percent)} on version ${rec.targetVersion} before it obeyed the abort, and lshift rolled nothing back: nobody drives it; see ${status}, and put all traffic back on version ${rec.stableVersion} with ${rollback}.`;
  return `was aborted${by} and is rolling back (${rec.phase}); see ${status}.`;
}

/**
 * The exit code of an obeyed abort, from how its deployment ended: 0 once it rolled back (or
 * someone else put all traffic back on its stable version). An alias left split — by someone
 * else, or by a rollback that failed — is 4, as `lshift status` and `lshift check` call it
 * (unsafe: a person must put it back); an alias someone moved whole to another version is 5, the
 * conflict its deploy itself exits with (lshift overwrote nothing). Until 5 December 2026 each
 * of these was ✔ and exit 0 (found by a hostile pass, session 66). One that ended on its own
 * before it obeyed the abort: promoted, 1 (the abort changed nothing); paused, 4. A deployment still rolling back
 * when the answer was read keeps exit 0: its abort was obeyed, and its own line says to see status.
 */
export function abortExitCode(r: Pick<SendCommandResult, 'record'>): ExitCode {
  const rec = r.record;
  if (rec.phase === 'rolled-back' && !isClosedByHand(rec)) return ExitCode.Success;
  const moved = describeMovedRouting(rec);
  if (moved === 'stable') return ExitCode.Success;
  if (moved) return moved.split ? ExitCode.Unsafe : ExitCode.Conflict;
  // Ended another way before the abort was obeyed, no move by hand (session 67): promoted, the
  // abort changed nothing (1: failed, the alias where the deployment left it); paused, nobody
  // drives what it left (4, as status calls a paused deployment). Both were ✔ and exit 0.
  if (rec.phase === 'promoted') return ExitCode.Failed;
  return rec.phase === 'failed' || rec.phase === 'paused' ? ExitCode.Unsafe : ExitCode.Success;
}

/**
 * Where a record closed because of a move by hand says the alias is, and whether it is split, or
 * `stable` for one put back on its stable version; undefined for a record not closed so. A
 * `paused` one (weights changed by hand: an older lshift's close, or a move mid-shift) is a split too.
 */
function describeMovedRouting(rec: Rec): { words: string; split: boolean } | 'stable' | undefined {
  if (rec.endedAt === undefined || !isClosedByHand(rec)) return undefined;
  if (rec.phase === 'promoted')
    return { words: `it routes all traffic to version ${rec.targetVersion}, the new version`, split: false };
  const to = versionNamedByEnd(rec.endReason);
  if (to !== undefined) return { words: `it routes all traffic to version ${to}`, split: false };
  if (isClosedOnSplit(rec))
    return {
      words: `it routes a split (${rec.endReason?.replace(/^moved by hand to a split:? ?/, '') || 'of versions the deployment does not know'})`,
      split: true,
    };
  if (rec.phase === 'paused' || rec.percent > 0)
    return {
      words: `it is split, ${formatPercent(rec.percent)} on version ${rec.targetVersion} and the rest on version ${rec.stableVersion}`,
      split: true,
    };
  return 'stable';
}

/** Worst first: a split nobody drives, then a move overwritten by nothing, then an abort that changed nothing. */
const SEVERITY: readonly ExitCode[] = [ExitCode.Unsafe, ExitCode.Conflict, ExitCode.Failed];

/**
 * `lshift abort --release`: each function's record read at the end is judged as a single abort's
 * (abortExitCode), and the worst wins. It exited 0 once the abort was answered, whatever each
 * function's rollback then met (session 67). A function whose record was not read, or is not the
 * release's, changes nothing here (its row says why).
 */
export function worstAbortExitCode(records: readonly (Rec | undefined)[]): ExitCode {
  const codes = records.flatMap((rec) => (rec ? [abortExitCode({ record: rec })] : []));
  return SEVERITY.find((code) => codes.includes(code)) ?? ExitCode.Success;
}

/** A function of an aborted release that did not roll back: why, in a few words; else undefined. */
export function describeNotRolledBack(rec: Rec): string | undefined {
  const code = abortExitCode({ record: rec });
  if (code === ExitCode.Success) return undefined;
  const moved = describeMovedRouting(rec);
  if (moved && moved !== 'stable')
    return `not rolled back: moved by someone else, and lshift left it there (${moved.words})`;
  if (rec.phase === 'failed') return 'not rolled back: its rollback failed';
  if (rec.phase === 'promoted') return 'not rolled back: it had been promoted before the abort';
  return `not rolled back: it had ended paused at ${formatPercent(rec.percent)} before the abort`;
}
