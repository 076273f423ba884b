/**
 * Two `lshift check` runs at once on a release one of whose functions went bad: the first claims
 * that function (`rolling-back`, its owner a check) and rolls the whole release back, function by
 * function. The second found the bad one claimed ("another check is acting") — and called its
 * release mate, not yet reached by the first, STALLED with a resume and a rollback to run, exit 4
 * (found by a hostile pass, session 64, 2 runs in 2): it pages a person about a release another
 * check is undoing. A check rolls a release back whole (check-release-verdict.ts), and if it stops
 * the next check finishes it, so the mate is left to it too, as acting. Only a live check's claim
 * counts: a check's claim gone stale is finished by this check (`unfinished-rollback`), and a
 * release nobody acts on stays STALLED.
 */

import { describeAge } from './check-classify.js';
import type { ReleaseMember } from './check-release-verdict.js';
import type { CheckResult } from './check-types.js';
import { isCheckOwner } from './owner-kinds.js';

/** The function of the release another live check is rolling back, and that check. */
export function findActingCheck(
  members: readonly ReleaseMember[],
): { functionName: string; owner: string } | undefined {
  const acting = members.find(
    ({ r, record }) =>
      r.action === 'skipped' && !r.stalled && record?.phase === 'rolling-back' && isCheckOwner(record.owner),
  );
  return acting?.record ? { functionName: acting.r.functionName, owner: acting.record.owner } : undefined;
}

/** Each stalled function of the release is left to the check rolling it back: skipped, not stalled. */
export function leaveToActingCheck(
  results: CheckResult[],
  members: readonly ReleaseMember[],
  releaseId: string,
): void {
  const acting = findActingCheck(members);
  if (!acting) return;
  for (const { i } of members) {
    const r = results[i]!;
    if (r.action !== 'stalled') continue;
    const { stalled: _, ...rest } = r;
    results[i] = {
      ...rest,
      action: 'skipped',
      reason: `another check is acting on its release: ${acting.owner} is rolling back ${acting.functionName} of release ${releaseId}, and a check rolls a release back whole, this function with it (if that check stops, the next one finishes the rollback)`,
    };
  }
}

/**
 * A function judged stalled whose record, read again once every function was judged, is closed
 * (`rolled-back`): another check (or a person) rolled it back meanwhile — the other half of the
 * race above, when the first check had finished the whole release before this one read it again.
 * Not STALLED with a resume to run: skipped, saying who closed it.
 */
export function skipClosedMeanwhile(
  results: CheckResult[],
  members: readonly ReleaseMember[],
  now: number,
): void {
  for (const { i, record } of members) {
    const r = results[i]!;
    if (r.action !== 'stalled' || record?.phase !== 'rolled-back') continue;
    const { stalled: _, ...rest } = r;
    const when = describeAge(now, record.endedAt ?? record.heartbeatAt);
    results[i] = {
      ...rest,
      action: 'skipped',
      reason: `its record was closed meanwhile, while this check judged it: rolled back ${when} ago (owner ${record.owner}); nothing left to do`,
    };
  }
}
