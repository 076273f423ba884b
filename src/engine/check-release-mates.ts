/**
 * The release's rollback of a checked release's other functions (check-release.ts): each claimed
 * first, those a person moved (past a stopped rollback, or onto versions their deployment never
 * wrote) left where they are, and what the rollback did said on each one's line.
 */
import type { CheckDeps, CheckResult } from './check.js';
import { releaseClaim } from './check-claim.js';
import { claimMates } from './check-mates.js';
import { findMovedMates, leaveMovedMate, type MovedMate } from './check-release-moved.js';
import { stopMovedMateDeployment } from './check-release-moved-stop.js';
import { findOvertakenMates, leaveOvertakenMate } from './check-release-overtaken.js';
import { describeError } from './emit.js';
import { rollbackRelease } from './release-rollback.js';

type MateRollback = Pick<Awaited<ReturnType<typeof rollbackRelease>>, 'functions' | 'errors' | 'skipped'> & {
  /** Mates another check is rolling back (or rolled back): left to it. */
  rivals: { functionName: string; alias: string; why: string }[];
  /** Mates whose stopped rollback a person moved past since: left where they put them. */
  overtaken: { functionName: string; alias: string; words: string }[];
  /** Mates a person moved onto versions their deployments never wrote: left as they are. */
  moved: MovedMate[];
  /** The release's functions this check knows of, for the words of a moved mate. */
  names: readonly string[];
};

/**
 * The release's rollback of the mates, each claimed first (check-mates.ts) so that two checks
 * never roll one back together. One that throws (no record readable) fails each of them; a
 * claimed mate whose rollback failed gets its record back as it was (check-claim.ts).
 */
export async function rollBackMates(
  deps: CheckDeps,
  releaseId: string,
  siblings: readonly { r: CheckResult }[],
  reason: string,
  staleAfterSeconds: number | undefined,
  names: readonly string[],
): Promise<MateRollback> {
  const all = siblings.map(({ r }) => ({ functionName: r.functionName, alias: r.alias }));
  // A person's move past a stopped rollback is never rolled over (check-release-overtaken.ts).
  const overtaken = await findOvertakenMates(deps, all);
  // Nor one onto versions its deployment never wrote: its rollback refuses it (check-release-moved.ts).
  const found = await findMovedMates(
    deps,
    all.filter((m) => !overtaken.some((o) => isSame(o, m))),
  );
  // Its CodeDeploy deployment would write over the move, towards the version the release is rolled back from.
  const moved = await Promise.all(found.map((m) => withStop(deps, m)));
  const mates = all.filter((m) => !overtaken.some((o) => isSame(o, m)) && !moved.some((o) => isSame(o, m)));
  const claims = await claimMates(deps, releaseId, mates, staleAfterSeconds);
  const none = { functions: [], skipped: [], errors: [] };
  let rolled: Omit<MateRollback, 'rivals' | 'overtaken' | 'moved' | 'names'>;
  try {
    rolled =
      claims.targets.length === 0
        ? none
        : await rollbackRelease(deps, {
            releaseId,
            targets: claims.targets,
            reason,
            claimed: claims.claimed,
          });
  } catch (error) {
    const message = describeError(error);
    rolled = { ...none, errors: claims.targets.map((t) => ({ ...t, message })) };
  }
  for (const mate of claims.claimed) {
    const same = (t: { functionName: string; alias: string }) =>
      t.functionName === mate.functionName && t.alias === mate.alias;
    const done = rolled.functions.find(same);
    if (!done || !rolledBack(done.status)) await releaseClaim(deps, mate, mate.claimed, mate.before);
  }
  return {
    ...rolled,
    errors: [...rolled.errors, ...claims.errors],
    rivals: claims.rivals,
    overtaken,
    moved,
    names: [...new Set([...names, ...all.map((m) => m.functionName)])],
  };
}

async function withStop(deps: CheckDeps, mate: MovedMate): Promise<MovedMate> {
  const stop = await stopMovedMateDeployment(deps, mate);
  return stop ? { ...mate, stop, aliasInfo: stop.aliasInfo ?? mate.aliasInfo } : mate;
}

function isSame(a: { functionName: string; alias: string }, b: { functionName: string; alias: string }) {
  return a.functionName === b.functionName && a.alias === b.alias;
}

function rolledBack(status: string): boolean {
  return status === 'rolled_back' || status === 'nothing_to_deploy';
}

/**
 * What the release's rollback did to one mate. One whose rollback failed — ended unsafe, or
 * refused before any write — is `rollback_failed` (exit 4), never left `healthy`: the release's
 * verdict was to roll it back, and it was not. One whose record no longer names the release (a
 * new deployment since) keeps its own result.
 */
export function mateResult(r: CheckResult, rolled: MateRollback, why: string): CheckResult {
  const same = (t: { functionName: string; alias: string }) =>
    t.functionName === r.functionName && t.alias === r.alias;
  const overtaken = rolled.overtaken.find(same);
  if (overtaken) return leaveOvertakenMate(r, why, overtaken.words);
  const moved = rolled.moved.find(same);
  if (moved) return leaveMovedMate(r, why, moved, rolled.names, notRolledBack(rolled));
  const rival = rolled.rivals.find(same);
  // Not stalled: the other check drives it now. Its doing, said plainly (as check-rollback.ts
  // says a lost race): the release's reason in front read as if this check rolled it back.
  if (rival) return { ...withoutStalled(r), action: 'skipped', reason: rival.why };
  // Rolled back with its release (or tried), its alias is the release's rollback's doing: one the
  // release's own dead rollback had restored was judged "moved by hand" alone (found by a hostile
  // pass: `movedByHand: true` beside `rolled_back`).
  const { movedByHand: _judgedAlone, releaseGateFailed: _said, ...judged } = r;
  const done = rolled.functions.find(same);
  if (done) {
    const ok = rolledBack(done.status);
    // Its alias back, its record not closed (a write or read that failed): said, as the release
    // rollback's row says it; the next check closes it.
    const open =
      ok && done.recordNotClosed !== undefined
        ? `, but its deployment record could not be closed (${done.recordNotClosed}): the next check closes it`
        : '';
    return {
      ...judged,
      action: ok ? 'rolled_back' : 'rollback_failed',
      reason: `${why}; ${ok ? `all traffic is back on version ${done.toVersion}${open}` : `its rollback ended ${done.status}`}`,
      toVersion: done.toVersion,
    };
  }
  const error = rolled.errors.find(same);
  if (error)
    return { ...judged, action: 'rollback_failed', reason: `${why}; its rollback failed: ${error.message}` };
  if (rolled.skipped.some(same))
    return { ...r, reason: `${r.reason}; ${why}, but its record no longer names the release: left alone` };
  return r;
}

/** The mates this rollback did not put back: failed, refused, or left where a person put them. */
function notRolledBack(rolled: MateRollback): string[] {
  return [
    ...rolled.functions.filter((f) => !rolledBack(f.status)),
    ...rolled.errors,
    ...rolled.overtaken,
    ...rolled.moved,
  ].map((f) => f.functionName);
}

function withoutStalled(r: CheckResult): CheckResult {
  const { stalled: _, ...rest } = r;
  return rest;
}
