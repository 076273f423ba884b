/**
 * Whether `lshift check` must roll a release's other functions back (check-release.ts), and
 * which: a release is one verdict — all promoted or all rolled back. Pure: it reads the check's
 * results and each function's record as re-read after them.
 *
 * Four ways a release's rollback is under way:
 *  - this check rolled one of its functions back (or failed to);
 *  - the alarm of one already back on its stable version failed during the release, nobody
 *    owning or deciding it (`releaseGateFailed`, check-rollback.ts): its runner would have rolled
 *    the release back; it left one split at 10% and every function STALLED (a hostile pass);
 *  - its deploy runner died while rolling it back (one record marked `rolling-back`, stale);
 *  - an earlier check rolled one of its functions back and died before the others (SIGKILL, a
 *    host gone): that function's record is `rolled-back` by a check (`check:` owner), others of
 *    the release are not. A check always rolls a release back whole, so this one finishes it.
 *    No clock is compared to decide that: the phase and owner say it. A person's `lshift
 *    rollback <function>` keeps the deployment's owner, so rolling one function back by hand
 *    does not drag the others along.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { describeAge } from './check-classify.js';
import type { CheckResult } from './check-types.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { isCheckOwner } from './owner-kinds.js';
import { isLiveRecord } from './record-view.js';
import { isRolledBackAfterPromotion } from './rolled-back-after-promotion.js';

export interface ReleaseMember {
  r: CheckResult;
  /** Index in the report's results. */
  i: number;
  /** The record as re-read after the check's own pass (undefined: unreadable). */
  record?: DeploymentRecord;
}

export interface ReleaseVerdict {
  /** Said of each function rolled back with the release (`release r-…: …`). */
  why: string;
  /** The functions to roll back now. */
  siblings: ReleaseMember[];
  /**
   * Which of the release's functions a check, finding them by their records at every alias
   * (check-release-reach.ts), rolls back too: every one not closed (`open`: this check rolled one
   * back, or a runner died rolling the release back), or, finishing what a killed check began,
   * only those it would have (`unfinished`: isUnfinishedRecord).
   */
  reach: 'open' | 'unfinished';
}

export function judgeRelease(
  releaseId: string,
  members: readonly ReleaseMember[],
  now: number,
  staleMs: number = DEFAULT_STALE_AFTER_SECONDS * 1000,
): ReleaseVerdict | undefined {
  const failed =
    members.find(({ r }) => r.action === 'rolled_back' || r.action === 'rollback_failed') ??
    members.find(({ r }) => wasRollingBack(r)) ??
    members.find(({ r }) => r.releaseGateFailed !== undefined);
  const begun = members.find(({ record, r }) => r.action === 'skipped' && rolledBackByCheck(record));
  const finishing = begun?.record
    ? `release ${releaseId}: finishing the rollback that ${begun.record.owner} began (it rolled back ${begun.r.functionName} ${describeAge(now, begun.record.endedAt ?? begun.record.heartbeatAt)} ago) and did not finish`
    : undefined;
  if (!failed) {
    const siblings = members.filter((m) => isUnfinishedMate(m, releaseId, now, staleMs));
    // With no named sibling left a named check still looks for the ones it was not given: `lshift
    // check fa`, naming only the function the killed check rolled back, left the others on the
    // version judged bad (found by a hostile pass).
    return finishing ? { why: finishing, siblings, reach: 'unfinished' } : undefined;
  }
  // A verdict with no sibling left among the checked: a check still looks for the
  // release's functions it did not read (check-release-reach.ts).
  // The marked function itself, when its alias was already restored, is `skipped`: rolling it
  // back with the others closes its record (nothing moves). One already closed is left out.
  const siblings = members.filter((m) => isOpenMate(m));
  const why =
    finishing ??
    (wasRollingBack(failed.r)
      ? describeStoppedRollback(releaseId, failed.r)
      : failed.r.releaseGateFailed
        ? `release ${releaseId}: ${failed.r.functionName}'s gate failed (${failed.r.releaseGateFailed}), its alias already back on its stable version: one function's failed gate rolls the whole release back`
        : `release ${releaseId}: ${failed.r.functionName} was rolled back by lshift check`);
  return { why, siblings, reach: 'open' };
}

/**
 * `failed`: its runner's rollback of the release failed (a write refused, say) and it ended, exit
 * 4 — it did not die: "its runner died" was said of a run that had told its user ROLLBACK FAILED
 * (found by a hostile pass, session 61). `rolling-back`, stale: it stopped mid-way.
 */
function describeStoppedRollback(releaseId: string, r: CheckResult): string {
  const what =
    r.phase === 'failed'
      ? 'its runner could not finish rolling the release back (its rollback failed)'
      : 'its runner died while rolling the release back';
  return `release ${releaseId}: ${what} (${r.functionName} says ${r.phase})`;
}

/**
 * A failed release marks ONE record `rolling-back` before it restores any alias, and closes the
 * others only after every alias (release-settle.ts): a stalled record saying so means the whole
 * release was being rolled back, whatever its other records still say (`shifting`, the alias
 * already restored or not).
 */
export function wasRollingBack(r: CheckResult): boolean {
  return r.stalled === true && (r.phase === 'rolling-back' || r.phase === 'failed');
}

/**
 * Closed by a check's rollback to its stable version (not moved by hand, nor closed where it was
 * found: no end reason, or the one a rollback after its promotion gives). `lshift status` asks it
 * too: a release with such a record and others still open is a rollback stopped.
 */
export function rolledBackByCheck(record: DeploymentRecord | undefined): boolean {
  return record?.phase === 'rolled-back' && isCheckOwner(record.owner) && isCheckRollbackEnd(record);
}

/**
 * The end a check's own rollback leaves: none (a shift stopped), or `rolled back to version 1:
 * after it was promoted` (session 70: it left none there too, and status said "stopped at step
 * 10"). Not a close of an alias found on its stable version (check-close-on-stable.ts), nor one
 * moved by hand.
 */
export function isCheckRollbackEnd(record: Pick<DeploymentRecord, 'phase' | 'endReason'>): boolean {
  return record.endReason === undefined || isRolledBackAfterPromotion(record);
}

/**
 * A function this check judged (healthy, skipped) — or could not judge for its alarms alone
 * (`error` on a stalled record: the release's verdict needs no health of its own) — whose
 * record is not closed already.
 */
function isOpenMate({ r, record }: ReleaseMember): boolean {
  if (record?.phase === 'rolled-back') return false;
  return (
    r.action === 'healthy' ||
    r.action === 'skipped' ||
    r.action === 'stalled' ||
    (r.action === 'error' && r.stalled === true)
  );
}

/**
 * A record of the release, found by listing (check-release-reach.ts), that the killed check would
 * have rolled back with the rest, as isUnfinishedMate judges a checked one: promoted by the
 * release itself, claimed by a check (claimMates leaves a fresh claim to it), or its runner gone.
 */
export function isUnfinishedRecord(record: DeploymentRecord, now: number, staleMs: number): boolean {
  if (record.phase === 'rolled-back') return false;
  if (record.phase === 'promoted') return record.endReason === undefined;
  if (record.phase === 'rolling-back' && isCheckOwner(record.owner)) return true;
  return !isLiveRecord(record, now, staleMs);
}

/**
 * A function of the release an earlier check meant to roll back and did not reach: its
 * deployment's runner gone (stalled), promoted by the release itself (no end reason), or
 * claimed by another check (claimMates leaves a fresh claim to it), or AWS CodeDeploy's with its
 * follower gone. A runner alive by this machine's clock is left alone.
 */
function isUnfinishedMate(m: ReleaseMember, releaseId: string, now: number, staleMs: number): boolean {
  const { r, record } = m;
  if (!record || record.releaseId !== releaseId || !isOpenMate(m)) return false;
  if (r.stalled) return true;
  // One AWS CodeDeploy drives, its follower gone, is `healthy`, not stalled: the killed check rolled it
  // back with the rest (isOpenMate), as a listed one is (isUnfinishedRecord). Left out, CodeDeploy
  // shifted it on to the version the release was rolled back from (h3's s71 round 3).
  if (record.engine === 'codedeploy' && !isLiveRecord(record, now, staleMs)) return true;
  if (record.phase === 'promoted') return record.endReason === undefined;
  return record.phase === 'rolling-back' && isCheckOwner(record.owner);
}
