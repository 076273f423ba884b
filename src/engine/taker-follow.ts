/**
 * A deployment taken over by someone else's rollback of it: rolled back by them, or followed while
 * their rollback is under way (settle-result.ts stopTakenOver; moved out of it whole, session 70).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import { judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../domain/poll-interval.js';
import type { Clock } from '../ports/clock.js';
import { isRollbackAbandoned } from './check-classify.js';
import { buildFixCommand, buildRollbackCommand } from './deploy-result.js';
import { logInfo } from './emit.js';
import { claimGoalOffStable, withClaimGoal } from './follow-claim-goal.js';
import { ClaimSilence, describeFollowBound, isClaimerGoneHere } from './follow-silent-claim.js';
import { ALIAS_UNREAD, isClosedRolledBackBy, stopStateUnknown } from './follow-unreadable-end.js';
import { isEnded } from './record-view.js';
import {
  judgeClosedUnderOurOwner,
  judgeFinisher,
  judgeReplacedAfterRollback,
  readStoredRecord,
} from './rollback-finished-by.js';
import { describeFollowGoal } from './rollback-to-taker.js';
import type { ShiftContext } from './shift-context.js';
import { buildResult, readAliasState } from './shift-result.js';
import { judgeTakerLeftSplit, takerLeftSplitParts, takerRecordLeftSplit } from './taken-split-left.js';

/**
 * This deployment, rolled back by someone else: its rollback finished while this runner retried
 * it (`after` given, or its record says `rolling-back`), or — while it still shifted — an
 * operator's `lshift rollback`, a check that took it for abandoned, `lshift alias` back to the
 * stable version — or rolled back and already replaced by a later deployment (`deploy
 * --supersede`; judgeReplacedAfterRollback). Either way it did not go live and its version
 * carries no traffic: rolled back (exit 3), saying by whom. Not a conflict (exit 5): a pipeline
 * reads that as "another deployment is in progress, retry later", and a retry would redeploy
 * what was just rolled back. Undefined when it is not that (another deployment that may route to
 * this version, the alias elsewhere or unreadable).
 */
export async function rolledBackByOther(
  ctx: ShiftContext,
  aliasState: DeployResult['aliasState'],
  after?: OutcomeCause,
  /** The record as the caller just read it (undefined: none, or unreadable), so it is not read twice. */
  known?: { stored: DeploymentRecord | undefined },
): Promise<DeployResult | undefined> {
  const stored = known ? known.stored : await readStoredRecord(ctx.deps.store, ctx.req);
  const current = ctx.recorder.current();
  // Replaced before its first weight write landed (two deploys started together, this one lost
  // the race to the alias): nothing of it was rolled back, and "rolled back and replaced" (exit
  // 3) read as a rejected version (found by a hostile pass). Another deployment holds the alias:
  // TAKEN_OVER below (exit 5).
  const replaced = ctx.trafficMoved ? judgeReplacedAfterRollback(current, stored, aliasState) : undefined;
  const finishedBy =
    judgeFinisher({ ...current, phase: 'rolling-back' }, stored, aliasState) ??
    judgeClosedUnderOurOwner(current, stored, aliasState) ??
    replaced?.finishedBy;
  if (!finishedBy) return undefined;
  const wasRollingBack = after !== undefined || current.phase === 'rolling-back';
  // A release's function rolled back by someone else before the verdict is rolled back too, as
  // a single deploy is: the release then rolls the others back, and when every one of them is
  // back on its stable version the release ends rolled back (exit 3), not a conflict (exit 5)
  // that a pipeline would retry (docs/releases.md, "One function rolled back by someone else").
  ctx.cursor.percent = 0;
  const cause = wasRollingBack
    ? (after ?? causeOf('TAKEN_OVER', {}, ctx.recorder.lostReason()))
    : causeOf('ROLLED_BACK_BY_OTHER', {
        owner: finishedBy.owner,
        ...(replaced && { successor: replaced.successor }),
      });
  return buildResult(ctx, 'rolled_back', { aliasState, cause, finishedBy });
}

/**
 * How long a runner follows another's rollback of its deployment: that rollback's retry budget and
 * more. Real time: what it waits for is another process (a person's `lshift rollback` starting,
 * its AWS calls, bounded in real time), which a sandbox's speed does not hurry. Counted in clock
 * time it was 18 real seconds at 10×, and a loaded machine's rollback CLI took longer.
 */
export const FOLLOW_ROLLBACK_MS = 3 * 60_000;

/** FOLLOW_ROLLBACK_MS of real time, in `clock` ms (a sandbox's clock runs `speed` times faster). */
export function followBoundMs(clock: Clock): number {
  return FOLLOW_ROLLBACK_MS * Math.max(1, clock.speed ?? 1);
}
const FOLLOW_POLL_MS = 5_000;

/**
 * Taken over by a rollback of this very deployment that has not put the alias back yet (a
 * person's `lshift rollback` claims the record first, then writes the alias): follow it — the
 * record and the alias every FOLLOW_POLL_MS, at most FOLLOW_ROLLBACK_MS — and end rolled back by
 * them once the alias is all on the stable version, instead of stopping as a conflict (exit 5)
 * that a pipeline would retry. It writes nothing. A record no longer rolling back is judged once
 * more on a fresh alias read (the rollback may have landed between the two reads). Undefined when
 * the claim is not that, ends otherwise (failed, another deployment), outlasts the bound with its
 * claimer still beating, or an interrupt ends the wait; unsafe when the claimer stopped
 * (stopAbandonedClaim). A release's function follows only after every other function of the
 * release is back and closed (release-settle.ts, followClaims): followed in place, the others'
 * records would wait on it.
 */
export async function followRollbackOf(
  ctx: ShiftContext,
  after?: OutcomeCause,
): Promise<DeployResult | undefined> {
  const { clock } = ctx.deps;
  const start = clock.elapsedMs();
  let said = false;
  let firstBeat: number | undefined;
  let claim = claimThatTookIt(ctx);
  const boundMs = followBoundMs(clock);
  // A claim fallen silent is followed until a check would call it abandoned (follow-silent-claim.ts).
  const silence = new ClaimSilence(clock);
  while (silence.followOn(clock.elapsedMs() - start, boundMs, claim)) {
    const read = await readFollowed(ctx);
    // Unreadable (a stalled or failing endpoint): read again at the next poll, inside the same
    // bound. It ended the follow as "taken over" (exit 5, which a pipeline retries) while the
    // claimer's rollback went on and finished (h2, session 71: a sandbox stalled right after a
    // person's claim; the rollback then put all traffic back).
    if (read === 'unreadable') {
      if (!(await pause(ctx))) return undefined;
      continue;
    }
    const stored = read;
    const ours = ctx.recorder.current();
    if (!stored) return undefined;
    // Not (or no longer) a rollback under way: it may have landed since the alias was read —
    // closed `rolled-back`, or already replaced by the deployment that superseded it — so judge
    // once more on a fresh alias read before calling it a conflict.
    if (!isRollbackOf(ours, stored)) {
      const judged = await judgeAfterClaim(ctx, stored, claim, after);
      // Closed `rolled-back` by the claimer, the alias unread: read both again at the next poll.
      if (judged !== ALIAS_UNREAD) return judged;
      if (!(await pause(ctx))) return undefined;
      continue;
    }
    claim = stored;
    silence.seen(stored);
    // A claim from beyond the skew limit is no sign of a live claimer (heartbeat-age.ts):
    // following it would only put off the same exit 4 by the whole bound.
    if (isFromTheFuture(stored, clock.now())) return stopAbandonedClaim(ctx);
    firstBeat ??= stored.heartbeatAt;
    if (!said) {
      logInfo(
        ctx.deps,
        `${stored.owner} is rolling deployment ${ours.id} back; following it until ${describeFollowGoal(stored, ctx.req.alias)} (${describeFollowBound(FOLLOW_ROLLBACK_MS, clock.speed)})`,
      );
      said = true;
    }
    if (!(await pause(ctx))) return undefined;
    const done = await rolledBackByOther(ctx, await readAliasState(ctx), after);
    if (done) return withClaimGoal(done, claim);
    // Its claimer's process no longer runs here (killed after its claim): stop now, as a check does.
    if (isClaimerGoneHere(claim, ctx)) break;
  }
  return stopAbandonedClaim(ctx, firstBeat, claim, after);
}

/** The stored record (undefined: none), or 'unreadable' when the read failed. */
async function readFollowed(ctx: ShiftContext): Promise<DeploymentRecord | undefined | 'unreadable'> {
  const store = ctx.deps.store;
  if (!store) return undefined;
  try {
    return await store.read(ctx.req.functionName, ctx.req.alias);
  } catch {
    return 'unreadable';
  }
}

/** One poll's wait; false when an interrupt ended it. */
async function pause(ctx: ShiftContext): Promise<boolean> {
  try {
    await ctx.deps.clock.sleep(FOLLOW_POLL_MS, ctx.req.signal);
    return true;
  } catch {
    return false;
  }
}

/** The rollback claim on this deployment that the recorder lost the record to, if that is what took it. */
function claimThatTookIt(ctx: ShiftContext): DeploymentRecord | undefined {
  const taker = ctx.recorder.lostTo();
  return taker && isRollbackOf(ctx.recorder.current(), taker) ? taker : undefined;
}

/**
 * The record is no longer someone's rollback of this deployment: rolled back by them (exit 3), or
 * — when their rollback gave up and put the record back as it was before their claim (`lshift
 * rollback`, a check and `deploy --supersede` all do: check-claim.ts, releaseClaim) — handed back
 * to this runner with the alias still split and nobody driving it: unsafe (exit 4), not a
 * conflict (exit 5) that says someone else has it. Found by a hostile pass: a `deploy --supersede`
 * whose rollback of this one failed left this runner saying "taken over" over a split alias.
 * Undefined otherwise (a conflict: another deployment, a claimer that closed it `failed` itself).
 */
async function judgeAfterClaim(
  ctx: ShiftContext,
  stored: DeploymentRecord,
  claim: DeploymentRecord | undefined,
  after: OutcomeCause | undefined,
): Promise<DeployResult | undefined | typeof ALIAS_UNREAD> {
  const aliasState = await readAliasState(ctx);
  const rolledBack = await rolledBackByOther(ctx, aliasState, after, { stored });
  if (rolledBack) return withClaimGoal(rolledBack, claim);
  // Its claimer closed it `rolled-back`, but only the alias says the traffic is back (the alias is
  // the truth): unread, it was a conflict (exit 5, retry later) over what may still be a split.
  if (!aliasState && isClosedRolledBackBy(ctx.recorder.current(), stored)) return ALIAS_UNREAD;
  // Its taker's rollback met a person's split and left it, or failed there: nobody drives it
  // (the alias unreadable: that split may stand, follow-unreadable-end.ts).
  const left = judgeTakerLeftSplit(ctx.recorder.current(), stored, aliasState);
  if (left && aliasState)
    return buildResult(ctx, 'unsafe', takerLeftSplitParts(ctx, stored, aliasState, left));
  if (!aliasState && takerRecordLeftSplit(ctx.recorder.current(), stored))
    return stopStateUnknown(ctx, stored, undefined, 'alias');
  if (!claim || !isHandedBack(ctx.recorder.current(), stored)) return undefined;
  if (aliasState && !routesTo(aliasState, ctx.cursor.targetVersion)) return undefined;
  return stopHandedBack(ctx, claim, aliasState);
}

/** This runner's own record, as it was before a claim, back in the store: not closed, same deployment and owner. */
function isHandedBack(ours: DeploymentRecord, stored: DeploymentRecord): boolean {
  return stored.id === ours.id && stored.owner === ours.owner && !isEnded(stored);
}

function routesTo(aliasState: NonNullable<DeployResult['aliasState']>, version: string): boolean {
  return aliasState.functionVersion === version || (aliasState.additionalWeights[version] ?? 0) > 0;
}

function stopHandedBack(
  ctx: ShiftContext,
  claim: DeploymentRecord,
  aliasState: DeployResult['aliasState'],
): DeployResult {
  const { functionName, alias } = ctx.req;
  return buildResult(ctx, 'unsafe', {
    ...(aliasState ? { aliasState } : {}),
    cause: causeOf('ROLLBACK_ABANDONED', {
      owner: claim.owner,
      heartbeatAt: claim.heartbeatAt,
      handedBack: true,
    }),
    fixCommand: buildFixCommand(functionName, alias, ctx.recorder.current().stableVersion),
    rollbackCommand: buildRollbackCommand(functionName, alias),
  });
}

/**
 * The follow outlasted its bound: a claim whose heartbeat has also stopped (its `lshift rollback`
 * killed, its machine gone) will not put the alias back, and this runner was the last one
 * watching it. Not a conflict (exit 5, "someone else has it"): unsafe (exit 4), with the command
 * that finishes the rollback. Stopped means either: its heartbeat did not move during the whole
 * follow (`firstBeat`: six beat intervals seen on this runner's own clock, whatever the claimer's
 * clock says), or it is stale by the rule `lshift check` takes such a claim over by
 * (check-classify.ts, isRollbackAbandoned). A claim still beating is left to its owner: undefined.
 */
async function stopAbandonedClaim(
  ctx: ShiftContext,
  firstBeat?: number,
  claim?: DeploymentRecord,
  after?: OutcomeCause,
): Promise<DeployResult | undefined> {
  const stored = await readFollowed(ctx);
  if (stored === 'unreadable') return stopUnreadable(ctx, claim, after);
  const now = ctx.deps.clock.now();
  if (!stored) return undefined;
  if (!isRollbackOf(ctx.recorder.current(), stored)) {
    const judged = await judgeAfterClaim(ctx, stored, claim, after);
    return judged === ALIAS_UNREAD ? stopStateUnknown(ctx, stored, undefined, 'alias-rolled-back') : judged;
  }
  const stopped =
    stored.heartbeatAt === firstBeat ||
    isRollbackAbandoned(stored, now, DEFAULT_STALE_AFTER_SECONDS * 1000) ||
    isClaimerGoneHere(stored, ctx);
  if (!stopped) return undefined;
  const aliasState = await readAliasState(ctx);
  const { functionName, alias } = ctx.req;
  const claimedTo = claimGoalOffStable(stored);
  return buildResult(ctx, 'unsafe', {
    ...(aliasState ? { aliasState } : {}),
    cause: causeOf('ROLLBACK_ABANDONED', {
      owner: stored.owner,
      heartbeatAt: stored.heartbeatAt,
      // `lshift rollback --to N`, not the stable version its fix puts the traffic on.
      ...(claimedTo === undefined ? {} : { claimedTo }),
      // The words of a claim from the future name the clock it was compared with (describe-outcome.ts).
      ...(ctx.deps.clock.followsSandbox ? { sandboxClock: true as const } : {}),
    }),
    fixCommand: buildFixCommand(functionName, alias, stored.stableVersion),
    rollbackCommand: buildRollbackCommand(functionName, alias),
  });
}

/** The follow's last record read failed: the alias says what it can (follow-unreadable-end.ts). */
async function stopUnreadable(
  ctx: ShiftContext,
  claim: DeploymentRecord | undefined,
  after: OutcomeCause | undefined,
): Promise<DeployResult | undefined> {
  const aliasState = await readAliasState(ctx);
  const back = claim && (await rolledBackByOther(ctx, aliasState, after, { stored: claim }));
  if (back) return withClaimGoal(back, claim);
  return stopStateUnknown(ctx, claim, aliasState, 'record');
}

function isFromTheFuture(stored: DeploymentRecord, now: number): boolean {
  return judgeHeartbeatAge(stored.heartbeatAt, now, Number.POSITIVE_INFINITY) === 'future';
}

/** The same deployment, claimed by someone else's rollback still under way. */
function isRollbackOf(ours: DeploymentRecord, stored: DeploymentRecord): boolean {
  return (
    stored.id === ours.id &&
    stored.owner !== ours.owner &&
    stored.stableVersion === ours.stableVersion &&
    stored.phase === 'rolling-back'
  );
}
