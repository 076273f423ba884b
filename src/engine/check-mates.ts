/**
 * The mates of a function `lshift check` rolled back (check-release.ts) are rolled back under
 * the same claim as the function itself (check-claim.ts): two checks racing on a release would
 * otherwise both roll a mate back — the loser's alias write met a 412 (a failed rollback, exit 4)
 * or it reported a rollback the other check did. A mate another check has a fresh claim on (or
 * has rolled back) is left to it and reported `skipped`.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError } from '../domain/errors.js';
import { findAliasMismatch } from '../domain/record-validation.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import { mapBounded } from './bounded.js';
import {
  type ClaimEnd,
  ClaimUnreadError,
  checkOwner,
  claimRollback,
  describeCheckAt,
  describeClaimFailure,
} from './check-claim.js';
import { describeAge, isRollbackAbandoned, ownerOf } from './check-classify.js';
import type { CheckDeps } from './check-types.js';
import { isPassingReadFailure } from './claim-read-retry.js';
import { DEFAULT_RELEASE_CONCURRENCY, DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describeErrorWithHint } from './emit.js';
import {
  isCheckOwner,
  isDeadRollbackHere,
  isOwnEarlierRun,
  isRollbackOwner,
  isSameOperator,
} from './owner-kinds.js';
import { describeRollbackWithoutRecord, describeUntrustedRecord, inClockWords } from './record-trust.js';
import { isFinished } from './record-view.js';

/**
 * Whose fresh `rolling-back` claim a claimer leaves alone: a check yields to `any` (another
 * check, a person's `rollback --release`, a release's own runner); a person's rollback yields to
 * `claims` only — a check's, or another person's rollback (never overridden: two people running
 * `rollback --release` on one release roll each function back once, the later waits) — while a
 * release's `rolling-back` mark left by a runner that died is rolled back at once, as before the
 * claim existed, not waited for until it is stale.
 */
export type YieldTo = 'any' | 'claims';

/** What claiming needs: a check's deps, or a person's `rollback --release` (its own owner). */
export type ClaimDeps = Pick<CheckDeps, 'store' | 'clock' | 'owner' | 'lambda'> & {
  processes?: LocalProcesses;
};

/** A mate this check claimed: its record before the claim (to put back if the rollback fails). */
export interface ClaimedMate extends ReleaseTarget {
  claimed: DeploymentRecord;
  before: DeploymentRecord;
  /** Its runner's `promoted` went over the claim, back late: the release may have said promoted. */
  promotedFirst?: true;
}

export interface MateClaims {
  /** To roll back: claimed by this check, or with no record of the release to claim (rollbackRelease reports it). */
  targets: ReleaseTarget[];
  claimed: ClaimedMate[];
  /** Left to another check (`why` says which). */
  rivals: (ReleaseTarget & { why: string })[];
  /** Not claimed, so not rolled back: the store failed. */
  errors: (ReleaseTarget & { code?: string; message: string })[];
}

/**
 * A person's `rollback --release` reads a claim whose read-back failed again, on its read budget
 * (release-rollback-reads.ts, as claim-read-retry.ts readBackClaim for one function); a throw is
 * the row's error, the claim kept. A check has none: the claim may stand, its row says so.
 */
export type ReadBackMate = (
  t: ReleaseTarget,
  current: DeploymentRecord,
  unread: ClaimUnreadError,
) => Promise<ClaimEnd>;

type MateClaim =
  | { kind: 'roll'; claimed?: ClaimedMate }
  | { kind: 'rival'; why: string }
  | { kind: 'error'; code?: string; message: string };

/** Claims every mate at once, so the claims' settle waits overlap (one wait, not one per mate). */
export async function claimMates(
  deps: ClaimDeps,
  releaseId: string,
  mates: readonly ReleaseTarget[],
  staleAfterSeconds = DEFAULT_STALE_AFTER_SECONDS,
  yieldTo: YieldTo = 'any',
  readBack?: ReadBackMate,
): Promise<MateClaims> {
  const owner = deps.owner ?? checkOwner('unknown');
  const staleMs = staleAfterSeconds * 1000;
  const ends = await mapBounded(DEFAULT_RELEASE_CONCURRENCY, mates, (t) =>
    claimMate(deps, releaseId, t, { owner, staleMs, yieldTo, readBack }),
  );
  const claims: MateClaims = { targets: [], claimed: [], rivals: [], errors: [] };
  for (const [i, end] of ends.entries()) {
    const t = mates[i]!;
    // mapBounded leaves a slot undefined only when stopped early, which this never asks for.
    if (!end) continue;
    if (end.kind === 'rival') claims.rivals.push({ ...t, why: end.why });
    else if (end.kind === 'error')
      claims.errors.push({ ...t, ...(end.code ? { code: end.code } : {}), message: end.message });
    else {
      claims.targets.push(t);
      if (end.claimed) claims.claimed.push(end.claimed);
    }
  }
  return claims;
}

async function claimMate(
  deps: ClaimDeps,
  releaseId: string,
  t: ReleaseTarget,
  {
    owner,
    staleMs,
    yieldTo,
    readBack,
  }: { owner: string; staleMs: number; yieldTo: YieldTo; readBack: ReadBackMate | undefined },
): Promise<MateClaim> {
  let current: DeploymentRecord | undefined;
  try {
    current = await deps.store.read(t.functionName, t.alias);
  } catch {
    // rollbackRelease reads it again and reports why it could not.
    return { kind: 'roll' };
  }
  // Not the release's: rollbackRelease leaves it alone and says so. A record of another release
  // is no claim on this one — a check's closed rollback of it read as "rolled back by check:…,
  // not by this command" of a function never in this release (found by a hostile pass, F5).
  if (!current || current.releaseId !== releaseId) return { kind: 'roll' };
  // Already closed: a claim would reopen a finished record.
  if (current.phase === 'rolled-back') {
    const rival = current && describeClaimerAt(current, { owner, now: deps.clock.now(), yieldTo, releaseId });
    return rival ? { kind: 'rival', why: rival } : { kind: 'roll' };
  }
  // A record that does not add up (a heartbeat from the future: heartbeat-age.ts) is neither
  // waited for as a live claim nor claimed and sent where it says: an error, as for one function.
  const untrusted = describeUntrustedRecord(current, deps.clock.now());
  if (untrusted) return { kind: 'error', message: await describeUntrustedMate(deps, t, untrusted) };
  if (isFreshRivalClaim(current, owner, deps.clock.now(), staleMs, yieldTo, deps.processes)) {
    return { kind: 'rival', why: describeRivalClaim(current, owner, deps.clock.now()) };
  }
  // A person's release rollback refuses a function moved by hand (NOTHING_TO_ROLL_BACK): its claim
  // first stopped a live runner, then was put back under a runner that had let go (h3, session 69,
  // as 4bc3384b for one function). Not claimed: its runner, if alive, closes it at its next read.
  if (yieldTo === 'claims' && (await isMovedByHandNow(deps, t, current))) return { kind: 'roll' };
  try {
    // A person's claim the release's own runner wrote over (its record write read the store just
    // before the claim landed) is written again at once, as `lshift rollback <function>` does
    // (rollback-claim.ts): claimed again only once every function's first claim was read back,
    // a large release had read its promotion back by then and said "promoted" (exit 0) while this
    // rolled it back. check-claim.ts (CLAIM_LOOK_MS) says why it is back in time, whatever the
    // number of functions. A check's claim stays lost: it rolls nothing back then.
    // An unfinished one goes back to its stable version: the claim says so (`rt=`) to its runner.
    const to = isFinished(current) ? {} : { rollbackTo: current.stableVersion };
    const end = await claimRollback(deps, t, current, owner, {
      overRunner: yieldTo === 'claims',
      ...to,
    }).catch((error: unknown) =>
      error instanceof ClaimUnreadError && readBack
        ? readBackOrSay(readBack, t, current, error)
        : Promise.reject(error),
    );
    if (end.kind === 'error') return end;
    if (end.kind === 'lost') return { kind: 'rival', why: end.why };
    const late = end.promotedFirst ? { promotedFirst: end.promotedFirst } : {};
    return { kind: 'roll', claimed: { ...t, claimed: end.record, before: end.before, ...late } };
  } catch (error) {
    return {
      kind: 'error',
      message: describeClaimFailure(error, yieldTo === 'claims' ? 'rollback' : 'check'),
    };
  }
}

/**
 * The claim read back again; still unreadable on a failure that may pass, the row's error (the
 * claim kept: claim-read-retry.ts claimKeptError says so and what to run).
 */
async function readBackOrSay(
  readBack: ReadBackMate,
  t: ReleaseTarget,
  current: DeploymentRecord,
  unread: ClaimUnreadError,
): Promise<ClaimEnd | Extract<MateClaim, { kind: 'error' }>> {
  try {
    return await readBack(t, current, unread);
  } catch (error) {
    // Any other failure (a denial, Ctrl-C in its waits): said as before, the claim standing.
    if (!isLshiftError(error) || !isPassingReadFailure(error))
      return { kind: 'error', message: describeClaimFailure(unread, 'rollback') };
    return { kind: 'error', code: error.code, message: describeErrorWithHint(error) };
  }
}

/**
 * What is wrong with the record, and the way out `lshift rollback <function>` names for it: the
 * `--to` that needs no record (a split alias's primary version), so the row is not a dead end.
 */
async function describeUntrustedMate(deps: ClaimDeps, t: ReleaseTarget, untrusted: string): Promise<string> {
  // Unreadable, the way out is still `--to <version>`: the words say so without the version.
  const alias = await deps.lambda.getAlias(t.functionName, t.alias).catch(() => undefined);
  const wayOut = describeRollbackWithoutRecord(t.functionName, t.alias, alias);
  return `its deployment record does not add up: ${inClockWords(untrusted, deps.clock.followsSandbox)}; ${wayOut}`;
}

/**
 * Another actor rolling it back — a check's claim, a person's `lshift rollback --release`
 * (release-rollback-claim.ts), a release's own runner — its heartbeat fresh (skew margin
 * included): it drives it. A stale claim is finished here.
 */
export function isFreshRivalClaim(
  current: DeploymentRecord,
  owner: string,
  now: number,
  staleMs: number,
  yieldTo: YieldTo,
  /** This machine's processes: the same person's claim from a pid still running is waited for. */
  processes?: LocalProcesses,
): boolean {
  if (current.phase !== 'rolling-back' || current.owner === owner) return false;
  if (yieldTo === 'claims' && !isCheckOwner(current.owner) && !isRollbackOwner(current.owner)) return false;
  // This person's own earlier run, interrupted: finished here rather than waited for.
  if (isOwnEarlierRun(current.owner, owner, processes)) return false;
  // A check killed on this machine (its pid gone): nobody finishes its claim (check-classify.ts).
  if (isDeadRollbackHere(current.owner, owner, processes)) return false;
  return !isRollbackAbandoned(current, now, staleMs);
}

function describeRivalClaim(current: DeploymentRecord, owner: string, now: number): string {
  return (
    describeCheckAt(current, owner, now) ??
    `being rolled back by ${ownerOf(current)} (${describeAge(now, current.heartbeatAt)} ago), so it was left to it`
  );
}

/**
 * Another check's claim or rollback — and for a person's rollback (`claims`) the release's
 * function another person rolled back: the words a loser reports (else undefined: rolled back
 * here, or left to rollbackRelease, which says why it is not the release's).
 */
function describeClaimerAt(
  current: DeploymentRecord,
  { owner, now, yieldTo, releaseId }: { owner: string; now: number; yieldTo: YieldTo; releaseId: string },
): string | undefined {
  const byCheck = describeCheckAt(current, owner, now);
  if (byCheck || yieldTo !== 'claims') return byCheck;
  const byPerson =
    current.releaseId === releaseId &&
    current.phase === 'rolled-back' &&
    isRollbackOwner(current.owner) &&
    current.owner !== owner &&
    !isSameOperator(current.owner, owner);
  if (!byPerson) return undefined;
  return `${current.owner} rolled it back (${describeAge(now, current.endedAt ?? current.heartbeatAt)} ago), so this one left it alone`;
}

/**
 * Its alias routes a version its deployment never wrote (refused: NOTHING_TO_ROLL_BACK, or for a
 * CodeDeploy one RECORD_INVALID); unreadable, the rollback says why.
 */
async function isMovedByHandNow(
  deps: ClaimDeps,
  t: ReleaseTarget,
  current: DeploymentRecord,
): Promise<boolean> {
  if (isFinished(current)) return false;
  const alias = await deps.lambda.getAlias(t.functionName, t.alias).catch(() => undefined);
  return alias !== undefined && findAliasMismatch(current, alias) !== undefined;
}
