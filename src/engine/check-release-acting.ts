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

import type { DeploymentRecord } from '../domain/deployment-record.js';
import { judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import type { Clock } from '../ports/clock.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import type { StateStore } from '../ports/state-store.js';
import { mapBounded } from './bounded.js';
import { describeAge } from './check-classify.js';
import type { ReleaseMember } from './check-release-verdict.js';
import type { CheckResult } from './check-types.js';
import { isCheckOwner, isDeadRollbackHere } from './owner-kinds.js';
import { isClosedOverSplit, isHandSplitAfterRollbackDecision } from './record-view.js';
import { DEFAULT_RELEASE_CONCURRENCY } from './release.js';

interface ActingCheck {
  functionName: string;
  owner: string;
}

/** The function of the release another live check is rolling back, and that check. */
export function findActingCheck(members: readonly ReleaseMember[]): ActingCheck | undefined {
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
  if (acting) markLeftTo(results, members, releaseId, acting);
}

function markLeftTo(
  results: CheckResult[],
  members: readonly ReleaseMember[],
  releaseId: string,
  acting: ActingCheck,
): void {
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
 * `lshift check f4` alone, while another check rolls back its mate f5: f5 was not among the
 * functions checked, so nothing said a check was acting, and f4 was STALLED, exit 4 (h4's notes,
 * session 64). The mates the check was not given are read by the names a record keeps (`rf=`),
 * and a live check's claim on one (rolling back, its heartbeat fresh) leaves the stalled functions
 * to it. Not among every record in reach: a scheduled check of one function would list every
 * function of the account each time (check-release-reach.test.ts). A mate not named (an older
 * lshift's record, or one with no room for `rf=`) or unreadable counts as no such claim: STALLED
 * stays, the side that pages a person.
 */
export async function leaveToActingMate(
  deps: { store: StateStore; clock: Clock; owner?: string; processes?: LocalProcesses },
  results: CheckResult[],
  members: readonly ReleaseMember[],
  releaseId: string,
  staleMs: number,
): Promise<void> {
  if (!members.some(({ i }) => results[i]!.action === 'stalled')) return;
  const now = deps.clock.now();
  const mates = await readUncheckedMates(deps.store, members, releaseId);
  const acting = mates.find(
    ({ record }) =>
      record.phase === 'rolling-back' &&
      isCheckOwner(record.owner) &&
      judgeHeartbeatAge(record.heartbeatAt, now, staleMs) === 'fresh' &&
      // A check killed on this machine (its pid gone) acts on nothing, however fresh its claim (h2's
      // pass); nor does an earlier attempt of this check's GitHub workflow run (owner-kinds.ts).
      !isDeadRollbackHere(record.owner, deps.owner, deps.processes),
  );
  if (acting)
    markLeftTo(results, members, releaseId, {
      functionName: acting.functionName,
      owner: acting.record.owner,
    });
}

async function readUncheckedMates(
  store: StateStore,
  members: readonly ReleaseMember[],
  releaseId: string,
): Promise<{ functionName: string; record: DeploymentRecord }[]> {
  const checked = new Set(members.map(({ r }) => r.functionName));
  const alias = members[0]!.r.alias;
  const named = [...new Set(members.flatMap(({ record }) => record?.releaseFunctions ?? []))].filter(
    (fn) => !checked.has(fn),
  );
  const read = await mapBounded(DEFAULT_RELEASE_CONCURRENCY, named, async (functionName) => {
    const record = await store.read(functionName, alias).catch(() => undefined);
    return record?.releaseId === releaseId ? [{ functionName, record }] : [];
  });
  return read.flatMap((found) => found ?? []);
}

/**
 * A function judged stalled whose record, read again once every function was judged, is closed
 * (`rolled-back`): another check (or a person) rolled it back meanwhile — the other half of the
 * race above, when the first check had finished the whole release before this one read it again.
 * Not STALLED with a resume to run: skipped, saying who closed it. Except a split someone made
 * after lshift decided to roll it back (record-view.ts isHandSplitAfterRollbackDecision): closed
 * `rolled-back` too, but its split is left on the failed version and its rollback is still to run
 * — STALLED, exit 4, as for a function of no release (skipped, exit 0, by a hostile pass, session 66).
 */
export function skipClosedMeanwhile(
  results: CheckResult[],
  members: readonly ReleaseMember[],
  now: number,
): void {
  for (const { i, record } of members) {
    const r = results[i]!;
    if (r.action !== 'stalled' || record?.phase !== 'rolled-back') continue;
    if (isHandSplitAfterRollbackDecision(record)) continue;
    // Closed over a split it met and left (of versions it does not place: split-left-closed.ts),
    // judged STALLED for that split, not for a runner: closed before this check, not meanwhile.
    // Skipped, exit 0, over a split nobody drives, while `lshift check fb` alone said STALLED, 4.
    if (isClosedOverSplit(record)) continue;
    const { stalled: _, ...rest } = r;
    const when = describeAge(now, record.endedAt ?? record.heartbeatAt);
    results[i] = {
      ...rest,
      action: 'skipped',
      reason: `its record was closed meanwhile, while this check judged it: rolled back ${when} ago (owner ${record.owner}); nothing left to do`,
    };
  }
}
