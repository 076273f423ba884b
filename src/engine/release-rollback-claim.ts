/**
 * `lshift rollback --release` run by a person takes the same claim as `lshift check`
 * (check-claim.ts, check-mates.ts) before it rolls anything back. Without it, a scheduled check
 * racing the person on the same release rolled the same functions back too: one of them met the
 * other's RevisionId (a 412: exit 5, or a failed rollback: exit 4), or reported the other's
 * rollback as its own. Now each function is rolled back by whoever holds its claim:
 *  - claimed by this rollback: rolled back here (its claim put back if the rollback fails);
 *  - held by a check or another person's rollback (its fresh claim, or its rollback already
 *    closed): left to it, and waited for — at most RIVAL_WAIT_MS — so the person is told how it
 *    ended: rolled back by that actor (not a failure), or not finished (exit 4, run the command
 *    again). One that actor let go of without rolling it back (its own rollback failed, or it
 *    died) is claimed in turn and rolled back here, once.
 * A check, in turn, leaves a function this rollback claimed to it (`being rolled back by …`). A
 * release's own `rolling-back` mark (its runner died while rolling back) is taken over at once.
 * Ctrl-C (`req.signal`): a function not yet at its alias write, or still waited for, is an
 * INTERRUPTED error and its claim goes back as the record was; writes under way finish.
 */
import { isLshiftError } from '../domain/errors.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import { releaseStatus } from '../domain/release-result.js';
import type { StateStore } from '../ports/state-store.js';
import { releaseClaim } from './check-claim.js';
import { type ClaimedMate, claimMates, type MateClaims } from './check-mates.js';
import type { RecordsInReach } from './records-in-reach.js';
import { judgeErrorAliases, type LeftSplitError } from './release-errors-split.js';
import { namedWholeRelease } from './release-named-whole.js';
import {
  type ReleaseRollbackRequest,
  type ReleaseRollbackResult,
  rollbackRelease,
} from './release-rollback.js';
import { refuseMisplacedMembers } from './release-rollback-aliases.js';
import { lookForUnnamedMembers, type UnnamedMembers } from './release-rollback-open.js';
import { readBackReleaseClaim, retryClaimedReads } from './release-rollback-reads.js';
import { RIVAL_WAIT_MS, type RolledBackByOther, type WaitEnd, waitForOther } from './rival-wait.js';
import type { RollbackDeps } from './rollback-types.js';

export interface ClaimedReleaseRollbackResult extends ReleaseRollbackResult {
  /** Each with its alias as read after the rollback when it is split or unknown (exit 4). */
  errors: LeftSplitError[];
  byOthers: RolledBackByOther[];
  /** The release's functions not named, looked for once the named ones were rolled back. */
  unnamed: UnnamedMembers;
}

type PersonDeps = RollbackDeps & {
  store: StateStore;
  owner: string;
  /** Told as the listing of the release's functions not named begins (release-rollback-open.ts). */
  beginListing?: () => void;
};

/**
 * The named functions' rollback, then the release's others looked for (release-rollback-open.ts):
 * one still open is not rolled back here (not named) and leaves the release `unsafe` (exit 4).
 */
export async function rollbackReleaseClaimed(
  deps: PersonDeps,
  req: ReleaseRollbackRequest,
  /** The listing that found `req.targets` (none named): reused, not listed again. */
  listed?: RecordsInReach,
): Promise<ClaimedReleaseRollbackResult> {
  const rolled = await rollbackNamed(deps, req);
  // Every function named, as the release's records say (rz=, rf=): nothing left to list.
  const whole = !listed && (await namedWholeRelease(deps.store, req.releaseId, req.targets));
  const unnamed: UnnamedMembers = whole
    ? { kind: 'looked', open: [] }
    : await lookForUnnamedMembers(deps, req.releaseId, req.targets, req.signal, listed);
  // A function not rolled back (an error) whose alias is split or unknown: exit 4, with the fix.
  const judged = await judgeErrorAliases(deps.lambda, rolled);
  const status = unnamed.open.length > 0 ? 'unsafe' : judged.status;
  return { ...judged, status, unnamed };
}

async function rollbackNamed(
  deps: PersonDeps,
  req: ReleaseRollbackRequest,
): Promise<Omit<ClaimedReleaseRollbackResult, 'unnamed'>> {
  // A function named at an alias that holds no record of the release, while its record is at
  // another (or the alias does not exist): refused before any claim (release-rollback-aliases.ts).
  await refuseMisplacedMembers(deps, req.releaseId, req.targets);
  const first = await claimAndRoll(deps, req, req.targets, false);
  const giveUpAt = deps.clock.elapsedMs() + RIVAL_WAIT_MS;
  const waits = await waitForAll(deps, first.rivals, giveUpAt, req.signal);
  const held = waits.ends.filter((w) => !w.letGo).map((w) => w.other);
  const letGo = waits.ends.filter((w) => w.letGo).map((w) => w.target);
  if (letGo.length === 0) return finish(first.rolled, [...first.claimErrors, ...waits.interrupted], held);
  // Let go without being rolled back (the other's rollback failed, or it died): nothing stops
  // this one — it claims those in turn and rolls them back itself, once.
  const second = await claimAndRoll(deps, req, letGo, true);
  const late = await waitForAll(deps, second.rivals, giveUpAt, req.signal);
  return finish(
    merge(req, first.rolled, second.rolled),
    [...first.claimErrors, ...waits.interrupted, ...second.claimErrors, ...late.interrupted],
    [...held, ...late.ends.map((w) => w.other)],
  );
}

/**
 * Waits for every rival at once. Ctrl-C ends the waits: a function still waited for is an
 * INTERRUPTED error (this rollback wrote nothing to it), the ones rolled back meanwhile stay so.
 */
async function waitForAll(
  deps: PersonDeps,
  rivals: readonly ReleaseTarget[],
  giveUpAt: number,
  signal: AbortSignal | undefined,
): Promise<{ ends: Waited[]; interrupted: Stopped[] }> {
  const waits = await Promise.all(
    rivals.map(
      (target): Promise<Waited | Stopped> =>
        waitForOther(deps, target, giveUpAt, signal).then(
          (end) => ({ ...end, target }),
          (error: unknown) => {
            if (!isLshiftError(error) || error.code !== 'INTERRUPTED') throw error;
            return { ...target, code: error.code, message: error.message };
          },
        ),
    ),
  );
  return {
    ends: waits.filter((w): w is Waited => 'target' in w),
    interrupted: waits.filter((w): w is Stopped => !('target' in w)),
  };
}

type Waited = WaitEnd & { target: ReleaseTarget };
type Stopped = ReleaseTarget & { code: string; message: string };

interface Round {
  rolled: ReleaseRollbackResult;
  claimErrors: MateClaims['errors'];
  rivals: MateClaims['rivals'];
}

/** Claims `targets`, rolls back the ones it holds; the others' holders are returned to wait for. */
async function claimAndRoll(
  deps: PersonDeps,
  req: ReleaseRollbackRequest,
  targets: readonly ReleaseTarget[],
  retaking: boolean,
): Promise<Round> {
  // A claim whose read-back failed is read again, as a single rollback's is; kept if it still fails.
  const readBack = readBackReleaseClaim(deps, req);
  const claims = await claimMates(deps, req.releaseId, targets, undefined, 'claims', readBack);
  // Its reads of what it claimed are tried again; a claim whose reads kept failing is kept.
  const reads = retryClaimedReads(deps, req, claims.claimed);
  const own = { ...req, claimed: reads.claimed, explainFailure: reads.explainFailure };
  const unkept = () => claims.claimed.filter((m) => !reads.kept.some((k) => isSame(k, m)));
  let rolled: ReleaseRollbackResult;
  try {
    rolled = await rollOwn(reads.deps, own, claims.targets, retaking || claims.rivals.length > 0);
  } catch (error) {
    const said = reads.explainThrown(error);
    await putBack(deps, unkept(), []);
    throw said;
  }
  await putBack(deps, unkept(), rolled.functions);
  return {
    rolled: markPromotedFirst(rolled, claims.claimed),
    claimErrors: claims.errors,
    rivals: claims.rivals,
  };
}

function isSame(a: ReleaseTarget, b: ReleaseTarget): boolean {
  return a.functionName === b.functionName && a.alias === b.alias;
}

function finish(
  rolled: ReleaseRollbackResult,
  claimErrors: MateClaims['errors'],
  byOthers: RolledBackByOther[],
): Omit<ClaimedReleaseRollbackResult, 'unnamed'> {
  const errors = [...rolled.errors, ...claimErrors];
  return { ...rolled, errors, status: statusOf(rolled, errors, byOthers), byOthers };
}

/** Both rounds' rollbacks as one, in the order the functions were named. */
function merge(
  req: ReleaseRollbackRequest,
  a: ReleaseRollbackResult,
  b: ReleaseRollbackResult,
): ReleaseRollbackResult {
  const order = (f: ReleaseTarget) =>
    req.targets.findIndex((t) => t.functionName === f.functionName && t.alias === f.alias);
  const functions = [...a.functions, ...b.functions].sort((x, y) => order(x) - order(y));
  const errors = [...a.errors, ...b.errors];
  // Either round's own verdict of a split it left (release-rollback.ts) stands.
  const unsafe =
    functions.some((f) => f.status === 'unsafe') || a.status === 'unsafe' || b.status === 'unsafe';
  return {
    releaseId: req.releaseId,
    status: errors.length > 0 && !unsafe ? 'failed' : unsafe ? 'unsafe' : releaseStatus(functions),
    functions,
    skipped: [...a.skipped, ...b.skipped],
    errors,
  };
}

/** The functions this rollback claimed (or found no release record on: rollbackRelease says so). */
async function rollOwn(
  deps: RollbackDeps,
  req: ReleaseRollbackRequest,
  targets: ReleaseTarget[],
  othersActing: boolean,
): Promise<ReleaseRollbackResult> {
  const none: ReleaseRollbackResult = {
    releaseId: req.releaseId,
    status: 'nothing_to_deploy',
    functions: [],
    skipped: [],
    errors: [],
  };
  if (targets.length === 0) return none;
  try {
    return await rollbackRelease(deps, { ...req, targets });
  } catch (error) {
    // Every function of the release is someone else's (or, retaking one another actor let go
    // of, its record names the release no more): the rest is not the release's.
    if (othersActing && isLshiftError(error) && error.code === 'RELEASE_NOT_FOUND')
      return { ...none, skipped: targets };
    throw error;
  }
}

/**
 * A function rolled back whose claim came back late over its runner's `promoted`
 * (check-claim.ts): the release may have said promoted first, and the result says so.
 */
function markPromotedFirst(
  rolled: ReleaseRollbackResult,
  claimed: readonly ClaimedMate[],
): ReleaseRollbackResult {
  const late = (f: ReleaseTarget) =>
    claimed.some((m) => m.promotedFirst && m.functionName === f.functionName && m.alias === f.alias);
  return {
    ...rolled,
    functions: rolled.functions.map((f) =>
      f.status === 'rolled_back' && late(f) ? { ...f, promotedFirst: true } : f,
    ),
  };
}

/** A claimed function whose rollback did not end rolled back gets its record back (check-claim.ts). */
async function putBack(
  deps: { store: StateStore },
  claimed: readonly ClaimedMate[],
  done: ReleaseRollbackResult['functions'],
): Promise<void> {
  for (const mate of claimed) {
    const result = done.find((f) => f.functionName === mate.functionName && f.alias === mate.alias);
    const ok = result?.status === 'rolled_back' || result?.status === 'nothing_to_deploy';
    if (!ok) await releaseClaim(deps, mate, mate.claimed, mate.before);
  }
}

function statusOf(
  rolled: ReleaseRollbackResult,
  errors: ReleaseRollbackResult['errors'],
  byOthers: readonly RolledBackByOther[],
): ReleaseRollbackResult['status'] {
  // Not finished by the other actor: the alias may still be split, a human must look.
  if (byOthers.some((o) => !o.done)) return 'unsafe';
  if (errors.length > rolled.errors.length && rolled.status !== 'unsafe') return 'failed';
  if (rolled.status === 'nothing_to_deploy' && byOthers.length > 0) return 'rolled_back';
  return rolled.status;
}
