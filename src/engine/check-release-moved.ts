/**
 * A release's functions the check rolls back with the release (check-release.ts rollBackMates)
 * whose alias someone moved onto a version their deployment never wrote. The release's rollback
 * refuses each (NOTHING_TO_ROLL_BACK: record-trust.ts), and the check's line said "fa was rolled
 * back by lshift check; its rollback failed: NOTHING_TO_ROLL_BACK: …" where `lshift status` of
 * the same function says it was moved by hand and gives its ways out (found in session 69). These
 * are left out of the release's rollback — nothing is written to them either way — each STALLED
 * with the words `status` gives (release-moved-member.ts): its others are rolled back now.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeProgress } from './check-classify.js';
import type { MovedMateStop } from './check-release-moved-stop.js';
import type { CheckDeps, CheckResult } from './check-types.js';
import { isOnForeignVersions } from './record-trust.js';
import { isSplit } from './record-view.js';
import { describeMovedMemberWaysOut } from './release-moved-member.js';
import { asClaimed } from './rollback-destination.js';

type Target = { functionName: string; alias: string };

export type MovedMate = Target & {
  record: DeploymentRecord;
  aliasInfo: AliasInfo;
  /** Its CodeDeploy deployment, found running and stopped (check-release-moved-stop.ts). */
  stop?: MovedMateStop;
};

/** Each mate moved so (undefined record or alias, or one that cannot be read: judged as before). */
export async function findMovedMates(
  deps: Pick<CheckDeps, 'store' | 'lambda' | 'clock'>,
  mates: readonly Target[],
): Promise<MovedMate[]> {
  const found = await Promise.all(mates.map((m) => readMovedMate(deps, m)));
  return mates.flatMap((m, i) => {
    const seen = found[i];
    return seen ? [{ ...m, ...seen }] : [];
  });
}

async function readMovedMate(
  deps: Pick<CheckDeps, 'store' | 'lambda' | 'clock'>,
  mate: Target,
): Promise<{ record: DeploymentRecord; aliasInfo: AliasInfo } | undefined> {
  try {
    const record = await deps.store.read(mate.functionName, mate.alias);
    if (!record) return undefined;
    const aliasInfo = await deps.lambda.getAlias(mate.functionName, mate.alias);
    // A failed or paused one as the rollback's claim reads it (it is refused alike); a CodeDeploy
    // one too (RECORD_INVALID): its line read "its rollback failed: RECORD_INVALID … delete the
    // record with untag-resource", beside a CodeDeploy deployment that may still run (session 70).
    if (!aliasInfo || !isOnForeignVersions(asClaimed(record), deps.clock.now(), aliasInfo)) return undefined;
    return { record, aliasInfo };
  } catch {
    return undefined;
  }
}

/**
 * Its line: STALLED (exit 4, a split nobody drives), what the check did to the release, and what
 * closes this one. `names`: the release's functions this check knows of; `open`: those of them
 * its rollback did not put back (their own lines say why).
 */
export function leaveMovedMate(
  r: CheckResult,
  why: string,
  mate: MovedMate,
  names: readonly string[],
  open: readonly string[],
): CheckResult {
  const { record, aliasInfo } = mate;
  const fn = r.functionName;
  const others = names.filter((f) => f !== fn);
  const ways = describeMovedMemberWaysOut({
    functionName: fn,
    alias: r.alias,
    record,
    how: 'elsewhere',
    releaseFunctions: [fn, ...others],
    unresumable: { closed: others.filter((f) => !open.includes(f)), back: [] },
    undoOnly: true,
    ...(isSplit(aliasInfo.additionalWeights) ? {} : { keepVersion: aliasInfo.functionVersion }),
  });
  const { releaseGateFailed: _said, ...rest } = r;
  return {
    ...rest,
    action: 'stalled',
    stalled: true,
    movedByHand: true,
    reason: `${why}, but deployment ${record.id} (${describeProgress(record)}) was moved to versions it does not know by hand${describeStop(mate.stop)}: ${ways}`,
  };
}

/** Nobody finishes the move once its CodeDeploy deployment is stopped (or was not running); one that may still run does. */
function describeStop(stop: MovedMateStop | undefined): string {
  if (!stop) return ' and nobody will finish it';
  return `; ${stop.words}${stop.mayStillRun ? '' : '; nobody will finish it'}`;
}
