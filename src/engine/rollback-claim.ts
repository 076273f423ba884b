/**
 * `lshift rollback <function>` run by a person takes the same claim as `lshift check`
 * (check-claim.ts) and `lshift rollback --release` (release-rollback-claim.ts) before it rolls
 * the function back. Without it, a scheduled check racing the person on the same function rolled
 * it back too: one of them met the other's RevisionId (a 412: exit 5, or a failed rollback:
 * exit 4), or reported the other's rollback as its own. Now:
 *  - claimed by this rollback: rolled back here (its claim put back if the rollback fails);
 *  - held by another actor (a check's or another person's fresh claim, or a rival that won the
 *    claim): left to it and waited for — at most RIVAL_WAIT_MS — then the goal is confirmed with
 *    an ordinary rollback, which finds all traffic back and says so (exit 0), reported as that
 *    actor's doing;
 *    let go without being rolled back (that actor's own rollback failed and it put the record
 *    back, or its claim went stale): claimed in turn and rolled back here, once — a failure then
 *    is this rollback's own; still held at the end of the wait: exit 4, run the command again.
 * Nothing to claim (no record, or one already rolled back): the plain rollback, idempotent as before.
 * A record that does not add up (a heartbeat from the future, an edited tag) is not claimed and
 * not waited for: the plain rollback refuses it (RECORD_INVALID), or with --to leaves it alone.
 * A deploy runner's own `rolling-back` mark (it died while rolling back) is taken over at once.
 * Interrupted (`req.signal`) while it waits or before its alias write: INTERRUPTED, its claim put
 * back as it was (rollback-interrupt.ts); after the write it finishes.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError } from '../domain/errors.js';
import { causeOf } from '../domain/outcome.js';
import { isNeverReopened } from '../domain/record-seal.js';
import { findAliasMismatch } from '../domain/record-validation.js';
import type { StateStore } from '../ports/state-store.js';
import { ClaimUnreadError, claimRollback, keepClaimFresh, releaseClaim } from './check-claim.js';
import { isFreshRivalClaim } from './check-mates.js';
import { claimKeptError, isPassingReadFailure, readBackClaim, withRetriedReads } from './claim-read-retry.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { logInfo } from './emit.js';
import { promotedBeforeClaim } from './promoted-before-claim.js';
import { describeUntrustedRecord } from './record-trust.js';
import { isFinished } from './record-view.js';
import { RIVAL_WAIT_MS, type RolledBackByOther, waitForOther } from './rival-wait.js';
import { type RollbackResult, rollbackDeployment } from './rollback.js';
import { closeClaimMovedByHand } from './rollback-claim-moved.js';
import { checkVersion } from './rollback-destination.js';
import { rollbackInterrupted } from './rollback-interrupt.js';
import type { RollbackDeps, RollbackRequest } from './rollback-types.js';

export interface ClaimedRollbackResult extends RollbackResult {
  /** Another actor held the function's claim: who, and whether it ended rolled back. */
  byOther?: RolledBackByOther;
}

type ClaimDeps = RollbackDeps & { store: StateStore; owner: string };

type Claim =
  | { kind: 'claimed'; claimed: DeploymentRecord; before: DeploymentRecord; promotedFirst?: true }
  | { kind: 'unclaimed' }
  | { kind: 'other'; owner: string };

export async function rollbackClaimed(deps: ClaimDeps, req: RollbackRequest): Promise<ClaimedRollbackResult> {
  const target = { functionName: req.functionName, alias: req.alias };
  // A `--to` refused (exit 2, "nothing changed") after its claim had stopped a live runner left
  // the alias split with nobody driving it (h3's hostile pass, session 69): refused before.
  if (req.to !== undefined) await checkVersion(deps, req.functionName, req.to);
  let claim = await claim1(deps, req);
  if (claim.kind === 'other') {
    sayWaiting(deps, req, claim.owner);
    const giveUpAt = deps.clock.elapsedMs() + RIVAL_WAIT_MS;
    const waited = await waitForOther(deps, target, giveUpAt, req.signal);
    if (!waited.letGo) return afterOther(deps, req, waited.other);
    // It let go without rolling back (its own rollback failed, or it died): nothing stops this
    // one — it claims the function in turn and rolls it back itself, once.
    claim = await claim1(deps, req);
    if (claim.kind === 'other')
      return afterOther(deps, req, (await waitForOther(deps, target, giveUpAt, req.signal)).other);
  }
  return rollOwn(deps, req, claim);
}

/** This rollback's own: claimed by it (its claim put back if the rollback fails), or nothing to claim. */
async function rollOwn(
  deps: ClaimDeps,
  req: RollbackRequest,
  claim: Exclude<Claim, { kind: 'other' }>,
): Promise<RollbackResult> {
  const target = { functionName: req.functionName, alias: req.alias };
  let result: RollbackResult;
  try {
    // Interrupted (Ctrl-C) before its alias write: it throws INTERRUPTED, and the claim goes back
    // below like a failed rollback's, so nobody waits for it to go stale.
    const onPoll = claim.kind === 'claimed' ? keepClaimFresh(deps, target, claim.claimed) : undefined;
    // Its claim is the record the rollback reads (`rolling-back`): a promoted one says it was.
    const asked = {
      ...req,
      ...(onPoll ? { onPoll } : {}),
      ...(claim.kind === 'claimed' ? promotedBeforeClaim(claim.before) : {}),
      ...(claim.kind === 'claimed' && isLiveBefore(claim.before.phase) ? { claimedOpen: true as const } : {}),
      ...(claim.kind === 'claimed' && claim.before.owner ? { claimedFrom: claim.before.owner } : {}),
    };
    // Its reads after the claim are tried again on a failure that may pass (claim-read-retry.ts).
    const rollDeps = claim.kind === 'claimed' ? withRetriedReads(deps, req, onPoll) : deps;
    result = await rollbackDeployment(rollDeps, asked);
  } catch (error) {
    if (claim.kind !== 'claimed') throw error;
    // Refused over a move by hand after its claim stopped the runner: closed, not given back.
    const closed = await closeClaimMovedByHand(deps, req, claim, error);
    if (closed) throw closed;
    // Its reads kept failing: the claim stays (the runner it stopped must not be handed a split).
    if (isLshiftError(error) && isPassingReadFailure(error)) throw claimKeptError(error, req, deps.owner);
    await releaseClaim(deps, target, claim.claimed, claim.before);
    throw error;
  }
  // Not left `rolling-back` under this person's fresh heartbeat, which a check would skip.
  // releaseClaim leaves a record the rollback closed alone.
  if (claim.kind === 'claimed' && result.status !== 'rolled_back')
    await releaseClaim(deps, target, claim.claimed, claim.before);
  const late = claim.kind === 'claimed' && claim.promotedFirst && result.status === 'rolled_back';
  return late ? { ...result, promotedFirst: true } : result;
}

async function claim1(deps: ClaimDeps, req: RollbackRequest): Promise<Claim> {
  const target = { functionName: req.functionName, alias: req.alias };
  const signal = req.signal;
  let current: DeploymentRecord | undefined;
  try {
    current = await deps.store.read(target.functionName, target.alias);
  } catch {
    // rollbackDeployment reads it again and reports why it could not.
    return { kind: 'unclaimed' };
  }
  // No record, or already closed: a claim would reopen a finished record.
  if (!current || current.phase === 'rolled-back') return { kind: 'unclaimed' };
  // A record that does not add up decides nothing, not who holds the claim either: a heartbeat
  // from the future (heartbeat-age.ts) would be waited for as long as it is ahead. Neither
  // waited for nor overwritten: rollbackDeployment refuses it (RECORD_INVALID) or, with --to,
  // rolls back there and leaves it as it is (rollback-destination.ts).
  if (describeUntrustedRecord(current, deps.clock.now())) return { kind: 'unclaimed' };
  if (await claimWouldNotAddUp(deps, target, current)) return { kind: 'unclaimed' };
  const staleMs = DEFAULT_STALE_AFTER_SECONDS * 1000;
  if (isFreshRivalClaim(current, deps.owner, deps.clock.now(), staleMs, 'claims', deps.processes))
    return { kind: 'other', owner: current.owner ?? 'unknown' };
  let end: Awaited<ReturnType<typeof claimRollback>>;
  try {
    // Written over by the runner of the very deployment claimed (its record write read the store
    // just before the claim landed: tags have no conditional write), the claim is written again
    // at once: rolled back unclaimed behind its back, the runner said "promoted" (exit 0) while
    // this put all traffic back (found by a hostile pass). Claimed again, it sees the claim at
    // its next read — at the latest when its promotion settles (promotion-settle.ts) — and
    // follows. check-claim.ts (CLAIM_LOOK_MS) says why it is back in time.
    end = await claimRollback(deps, target, current, deps.owner, {
      overRunner: true,
      ...claimedTo(req, current),
    });
  } catch (error) {
    // Written, its read-back failed: read again (claim-read-retry.ts), never a raw error.
    if (error instanceof ClaimUnreadError && !signal?.aborted)
      end = await readBackClaim(deps, req, current, error);
    else if (!signal?.aborted) throw error;
    else {
      // Ctrl-C abandoned the claim write (`lshift rollback` aborts its calls in flight until the
      // alias write): it may have landed. Put the record back if it did — a call started now still
      // runs — and stop as before any alias write.
      await releaseClaim(deps, target, { ...current, phase: 'rolling-back', owner: deps.owner }, current);
      throw rollbackInterrupted(signal, target);
    }
  }
  if (end.kind === 'claimed')
    return {
      kind: 'claimed',
      claimed: end.record,
      before: end.before,
      ...(end.promotedFirst ? { promotedFirst: end.promotedFirst } : {}),
    };
  // Lost: whoever won is rolling it back (or has); anything else (a new deployment started, or
  // its runner writing over the claim again and again) is handled by the plain rollback, as
  // before the claim existed.
  const seen = end.seen;
  const acting =
    seen && seen.owner !== deps.owner && (seen.phase === 'rolling-back' || seen.phase === 'rolled-back');
  return acting ? { kind: 'other', owner: seen.owner ?? 'unknown' } : { kind: 'unclaimed' };
}

/**
 * A finished deployment whose alias was moved since to a version it does not know (`lshift alias
 * demo live 3`): claimed, it would read `rolling-back from 1 to 2` beside an alias on version 3 —
 * a record that does not add up, which the rollback then refused as RECORD_INVALID and told the
 * user to delete. No check rolls such an alias back (check-classify.ts refuseRollback), so there
 * is nobody to fence off: the plain rollback says what it does (NOTHING_TO_ROLL_BACK: pass --to).
 * An alias that cannot be read is left to the rollback, which reads it again and says why.
 */
async function claimWouldNotAddUp(
  deps: ClaimDeps,
  target: { functionName: string; alias: string },
  current: DeploymentRecord,
): Promise<boolean> {
  // An unfinished CodeDeploy one routing a version of neither (not "moved by hand": CodeDeploy
  // moves the alias itself) is refused RECORD_INVALID: its claim stopped a live runner first and
  // was put back under a runner that had let go (h3, session 69). Not claimed: refused untouched.
  const open = !isFinished(current);
  if (open && current.engine !== 'codedeploy') return false;
  const alias = await deps.lambda.getAlias(target.functionName, target.alias).catch(() => undefined);
  return alias !== undefined && findAliasMismatch({ ...current, phase: 'rolling-back' }, alias) !== undefined;
}

/**
 * Where this rollback will put all traffic, when it is known before the claim: `--to`, or an
 * unfinished deployment's stable version (rollback-destination.ts chooseDestination; a split by
 * hand is refused instead). The runner it stops says so while it follows (`rt=` on the claim).
 */
function claimedTo(req: RollbackRequest, current: DeploymentRecord): { rollbackTo?: string } {
  if (req.to !== undefined) return { rollbackTo: req.to };
  return isFinished(current) ? {} : { rollbackTo: current.stableVersion };
}

/** Up to a minute without a word otherwise; the command prints it (and Ctrl-C then stops the wait). */
function sayWaiting(deps: ClaimDeps, req: RollbackRequest, owner: string): void {
  logInfo(
    deps,
    `${ROLLBACK_WAIT_PREFIX}${req.functionName}:${req.alias} is being rolled back by ${owner}; waiting for it (at most ${RIVAL_WAIT_MS / 1000} s)`,
  );
}

/** How the wait's log line starts, for a command to pick it out of the events. */
export const ROLLBACK_WAIT_PREFIX = 'claim: ';

/**
 * The other actor finished: the plain rollback confirms all traffic is back (`nothing to roll
 * back`, exit 0) — or does what is left. Not finished: exit 4, nothing touched here.
 */
async function afterOther(
  deps: ClaimDeps,
  req: RollbackRequest,
  other: RolledBackByOther,
): Promise<ClaimedRollbackResult> {
  if (other.done) return { ...(await rollbackDeployment(deps, req)), byOther: other };
  const now = deps.clock.now();
  const alias = await deps.lambda.getAlias(req.functionName, req.alias).catch(() => undefined);
  const state = {
    functionVersion: alias?.functionVersion ?? 'unknown',
    additionalWeights: { ...(alias?.additionalWeights ?? {}) },
  };
  return {
    status: 'unsafe',
    functionName: req.functionName,
    alias: req.alias,
    steps: [],
    verdicts: [],
    cause: causeOf('ROLLBACK_UNFINISHED', { phase: other.phase ?? 'unknown' }),
    previousState: state,
    ...(alias ? { aliasState: state } : {}),
    startedAt: now,
    endedAt: now,
    byOther: other,
  };
}

/**
 * The deployment was not yet back when claimed: open, being rolled back (a runner's own mark, or a
 * stopped claim), or its rollback failed. A `--to` its new version over a `rolling-back` or
 * `failed` one closed it `rolled-back (rolled back to version 2)` with all traffic on the version
 * lshift had judged bad, and a check skipped it, exit 0 (h1, session 70): it is closed promoted
 * (moved by hand) as over a shifting one, which a check watches.
 */
function isLiveBefore(phase: DeploymentRecord['phase']): boolean {
  return !isNeverReopened(phase) || phase === 'rolling-back' || phase === 'failed';
}
