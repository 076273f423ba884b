/**
 * Two `lshift check` runs racing on one function (two cron hosts, a scheduled job retried while
 * the first still runs): both read the record, both judge it bad, both would roll it back — the
 * loser's alias write then met a 412 and it reported a failed rollback (exit 4), or it found the
 * alias restored and reported a second rollback. Tags have no compare-and-swap, so a check claims
 * the record the way Fischer's mutual exclusion does: it writes `rolling-back` with its own owner
 * (`check:<who>`), waits CHECK_CLAIM_SETTLE_MS — longer than a rival takes from its last read of
 * the record to its own claim — and reads the record back. Only the check whose claim is still
 * there acts; the other reports `skipped (another check is acting)`.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { Clock } from '../ports/clock.js';
import type { StateStore } from '../ports/state-store.js';
import { describeAge } from './check-classify.js';
import { HEARTBEAT_INTERVAL_MS } from './deploy-types.js';
import { describeError } from './emit.js';
import { isCheckOwner } from './owner-kinds.js';

export { CHECK_CLAIM_SKEW_MS } from './check-classify.js';
export { checkOwner } from './owner-kinds.js';

/** Between a check's claim and its read-back (a rival re-reads, then claims, within ~1 s). */
export const CHECK_CLAIM_SETTLE_MS = 3000;

/**
 * How often a person's claim (`overRunner`) is looked at while it settles. The deployment's own
 * runner writes its record by reading it first and then writing it (tags have no conditional
 * write): a claim that lands in between is written over unseen, and the runner, going on to
 * promote, reads its record back PROMOTION_SETTLE_MS after its last write (promotion-settle.ts,
 * release-promotion-settle.ts). The claim must be back by then.
 */
export const CLAIM_LOOK_MS = 1000;

/**
 * How long after its last record write (`promoted`) a runner reads its record and alias back
 * before it says promoted; the timing argument for a claim that write went over:
 *  - the claim C landed before the runner's write W (W went over it), and the runner reads back
 *    at W + 5 s or later (a release: 5 s after its last function's `promoted`);
 *  - the claimer looks at C every CLAIM_LOOK_MS (1 s), so a look sees W within 1 s of it, and
 *    the claim is written again at once: back in the store by W + 1 s + one read + one write;
 *  - so the read-back finds it with 4 s of margin for those two requests (a throttled endpoint's
 *    retries, a distant region) — whatever the number of functions a `rollback --release`
 *    claims, each claim being looked at on its own.
 * The claimer's own 3 s settle (CHECK_CLAIM_SETTLE_MS) starts over at the new claim: it guards
 * against other claimers, not against the runner. Before the looks (until 3 December 2026) the
 * claim was read back only at the end of that settle and claimed again four requests later — a
 * 2 s margin — and `rollback --release` claimed again only once every function's first claim was
 * read back (past the read-back from about 50 functions at 15 requests a second). Beyond the
 * margin the claimer knows it (`promotedFirst`): its claim came back more than this long after
 * the claim that `promoted` went over was sent.
 */
export const PROMOTION_SETTLE_MS = CHECK_CLAIM_SETTLE_MS + 2_000;

/**
 * How often a claim is written again over its deployment's own runner: once its ownership read
 * sees the claim it stops, so more than one repeat is a runner that keeps racing it within one
 * round trip; after that the claim is lost as to any other writer.
 */
const CLAIM_TRIES = 3;

export type ClaimEnd =
  | {
      kind: 'claimed';
      record: DeploymentRecord;
      /** The record the claim went over last (its runner's newer one when claimed again). */
      before: DeploymentRecord;
      /**
       * The runner wrote `promoted` over this claim, and it was made again only after the runner's
       * read-back may have passed (PROMOTION_SETTLE_MS): the deploy may have said promoted first.
       */
      promotedFirst?: true;
    }
  | { kind: 'lost'; why: string; seen?: DeploymentRecord };

/**
 * The claim was written but its read-back failed: it may stand, and then the next check takes
 * it for this one acting until it is stale (describeClaimFailure says so; "could not claim" did
 * not, found by a hostile pass).
 */
export class ClaimUnreadError extends Error {
  constructor(readonly readError: unknown) {
    super('the claim was written but could not be read back');
  }
}

/**
 * Writes the claim, waits, reads it back. A store failure throws (the caller reports `error`).
 * `overRunner` (a person's rollback, which otherwise goes on unclaimed behind the runner's back):
 * the claim is looked at every CLAIM_LOOK_MS while it settles (unless the record read before it
 * was the runner's last), and written again at once when its deployment's own runner wrote over
 * it — the settle starting over — up to CLAIM_TRIES times. A check leaves it lost: it rolls
 * nothing back then, and the next check judges again. `rollbackTo`: the version the claimer will
 * put all traffic on, when it knows it now (`rt=` on the claim; record-types.ts).
 */
export async function claimRollback(
  deps: { store: StateStore; clock: Clock },
  target: { functionName: string; alias: string },
  current: DeploymentRecord,
  owner: string,
  opts: { overRunner?: boolean; rollbackTo?: string } = {},
): Promise<ClaimEnd> {
  let before = current;
  let sentAt = deps.clock.elapsedMs();
  let claim = await writeClaim(deps, target, before, owner, opts.rollbackTo);
  let settledAt = deps.clock.elapsedMs() + CHECK_CLAIM_SETTLE_MS;
  let promotedFirst = false;
  let tries = opts.overRunner ? CLAIM_TRIES : 1;
  // A runner that wrote its last record (`promoted`, `failed`) before this read writes no more:
  // nothing to look for, and a release rolled back long after its end costs no extra request.
  const looking = opts.overRunner && !isRunnerDone(current);
  for (;;) {
    const left = settledAt - deps.clock.elapsedMs();
    const last = !looking || left <= CLAIM_LOOK_MS;
    await deps.clock.sleep(last ? Math.max(0, left) : CLAIM_LOOK_MS);
    let seen: DeploymentRecord | undefined;
    try {
      seen = await deps.store.read(target.functionName, target.alias);
    } catch (error) {
      // A look that failed decides nothing; the last read is the claim's read-back.
      if (!last) continue;
      throw new ClaimUnreadError(error);
    }
    if (seen && seen.id === claim.id && seen.owner === owner) {
      if (last) return { kind: 'claimed', record: seen, before, ...(promotedFirst ? { promotedFirst } : {}) };
      continue;
    }
    if (tries > 1 && isRunnerOverClaim(before, seen, owner)) {
      tries--;
      before = seen;
      const overSentAt = sentAt;
      sentAt = deps.clock.elapsedMs();
      claim = await writeClaim(deps, target, before, owner, opts.rollbackTo);
      // Back later than the runner may have read: it may have said promoted before seeing it.
      if (seen.phase === 'promoted' && deps.clock.elapsedMs() - overSentAt >= PROMOTION_SETTLE_MS)
        promotedFirst = true;
      settledAt = deps.clock.elapsedMs() + CHECK_CLAIM_SETTLE_MS;
      continue;
    }
    return {
      kind: 'lost',
      why: seen
        ? describeRival(seen, deps.clock.now())
        : 'the deployment record disappeared while claiming it',
      ...(seen ? { seen } : {}),
    };
  }
}

async function writeClaim(
  deps: { store: StateStore; clock: Clock },
  target: { functionName: string; alias: string },
  current: DeploymentRecord,
  owner: string,
  rollbackTo: string | undefined,
): Promise<DeploymentRecord> {
  // The claim names where its claimer sends the traffic (`rt=`), for the runner it stops
  // (taker-follow.ts followRollbackOf); a mark read with the record is an earlier close's.
  const { rollbackTo: _earlier, ...rest } = current;
  const claim: DeploymentRecord = {
    ...rest,
    phase: 'rolling-back',
    owner,
    heartbeatAt: deps.clock.now(),
    ...(rollbackTo === undefined ? {} : { rollbackTo }),
  };
  await deps.store.write(target.functionName, target.alias, claim);
  return claim;
}

function isRunnerDone(record: DeploymentRecord): boolean {
  return record.phase === 'promoted' || record.phase === 'failed' || record.phase === 'rolled-back';
}

/**
 * `seen` is `claimed`'s deployment as a runner of it writes it over this claim — its own runner
 * (a step, a heartbeat, `promoted`: its read came just before the claim landed), or a `deploy
 * --resume` taking it over (release-resume-promoted.ts) — not another claimer's claim.
 */
export function isRunnerOverClaim(
  claimed: DeploymentRecord,
  seen: DeploymentRecord | undefined,
  owner: string,
): seen is DeploymentRecord {
  return (
    seen !== undefined &&
    seen.id === claimed.id &&
    seen.owner !== owner &&
    seen.phase !== 'rolling-back' &&
    seen.phase !== 'rolled-back'
  );
}

/**
 * Why a claim failed (claimRollback threw), in the words a check's row says after its reason —
 * or a person's `rollback --release` (`claimer: 'rollback'`), which is no check (found by a
 * pass: its error said "owner this check").
 */
export function describeClaimFailure(error: unknown, claimer: 'check' | 'rollback' = 'check'): string {
  if (!(error instanceof ClaimUnreadError))
    return `could not claim its record before rolling back: ${describeError(error)}`;
  const unread = `claimed its record (\`rolling-back\`, owner this ${claimer}) but could not read the claim back (${describeError(error.readError)}), so it did not roll back: the claim may stand`;
  return claimer === 'check'
    ? `${unread}, and other checks leave it to this one until it is older than --stale-after plus 1 minute`
    : `${unread}, and a \`lshift check\` leaves it alone until it is older than --stale-after plus 1 minute; run the same rollback again from this machine to finish it (it takes over its own earlier claim)`;
}

/**
 * Another check's claim (or its finished rollback) on the same deployment: the words a loser
 * reports; undefined when `current` is not another check's doing. A claim unchanged since this
 * check judged it (`planned`, found stale: that check died mid-rollback) is not acting any
 * more: this check finishes it.
 */
export function describeRivalCheck(
  planned: DeploymentRecord,
  current: DeploymentRecord | undefined,
  owner: string,
  now: number,
): string | undefined {
  if (!current || current.id !== planned.id) return undefined;
  const unchanged =
    current.phase === planned.phase &&
    current.owner === planned.owner &&
    current.heartbeatAt === planned.heartbeatAt;
  if (unchanged && current.phase === 'rolling-back') return undefined;
  return describeCheckAt(current, owner, now);
}

/** `current` is another check's claim or rollback: the words a loser reports (else undefined). */
export function describeCheckAt(current: DeploymentRecord, owner: string, now: number): string | undefined {
  if (current.owner === owner || !isCheckOwner(current.owner)) return undefined;
  if (current.phase !== 'rolling-back' && current.phase !== 'rolled-back') return undefined;
  return describeRival(current, now);
}

function describeRival(current: DeploymentRecord, now: number): string {
  if (!isCheckOwner(current.owner) && current.phase === 'rolling-back')
    return `being rolled back by ${current.owner || 'an unknown owner'} (${describeAge(now, current.heartbeatAt)} ago), so this one left it alone`;
  if (!isCheckOwner(current.owner))
    return `the deployment record changed while claiming it (now ${current.phase}, by ${current.owner || 'an unknown owner'}), so it was left alone`;
  // When: since its claim (the heartbeat it keeps fresh), or when its rollback ended.
  const doing =
    current.phase === 'rolled-back'
      ? `rolled it back ${describeAge(now, current.endedAt ?? current.heartbeatAt)} ago`
      : current.phase === 'rolling-back'
        ? `is rolling it back (claimed ${describeAge(now, current.heartbeatAt)} ago)`
        : `wrote it (${current.phase}, ${describeAge(now, current.heartbeatAt)} ago)`;
  return `another check is acting: ${current.owner} ${doing}, so this one left it alone`;
}

/**
 * A check whose rollback failed puts the record back as it was before its claim (best effort):
 * left `rolling-back` under the check's fresh heartbeat, the next check would skip it as being
 * rolled back (exit 0) for `--stale-after`; put back, the next check judges it as this one did —
 * and a rollback refused because someone moved the alias is still seen as that.
 */
export async function releaseClaim(
  deps: { store: StateStore },
  target: { functionName: string; alias: string },
  claimed: DeploymentRecord,
  before: DeploymentRecord,
): Promise<void> {
  try {
    const seen = await deps.store.read(target.functionName, target.alias);
    if (!seen || seen.id !== claimed.id || seen.owner !== claimed.owner || seen.phase !== 'rolling-back')
      return;
    await deps.store.write(target.functionName, target.alias, before);
  } catch {
    // The claim stays: once its heartbeat is stale, the next check finishes the rollback.
  }
}

/**
 * The heartbeat of a claim while its rollback waits for a service to put the alias back
 * (CodeDeploy's own rollback deployment: minutes), called at the driver's polls: without it the
 * claim looks abandoned after `--stale-after` plus the skew margin, and another check or person
 * finishes the same rollback beside this one. At most every HEARTBEAT_INTERVAL_MS, and only
 * while the store still holds this very claim (same id, owner, phase, the heartbeat it last
 * wrote); a failure leaves the claim to go stale, as before.
 */
export function keepClaimFresh(
  deps: { store: StateStore; clock: Clock },
  target: { functionName: string; alias: string },
  claimed: DeploymentRecord,
): () => Promise<void> {
  let last = claimed;
  // One beat at a time: a driver's poll and a beat beside its hung call (beating-driver.ts) both
  // ask; two in flight would each write, and the one that lands last may not be `last`.
  let beating: Promise<void> | undefined;
  const beat = async () => {
    if (deps.clock.now() - last.heartbeatAt < HEARTBEAT_INTERVAL_MS) return;
    try {
      const seen = await deps.store.read(target.functionName, target.alias);
      if (!seen || !isSameClaim(seen, last)) return;
      const fresh = { ...seen, heartbeatAt: deps.clock.now() };
      await deps.store.write(target.functionName, target.alias, fresh);
      last = fresh;
    } catch {
      // Best effort: the rollback goes on; its claim may go stale and be finished by another.
    }
  };
  return () => {
    beating ??= beat().finally(() => {
      beating = undefined;
    });
    return beating;
  };
}

/** Its phase is the claim's own: `rolling-back` for a rollback's, `paused` for a wait's late-start claim (follow-late-start.ts). */
function isSameClaim(seen: DeploymentRecord, claim: DeploymentRecord): boolean {
  return (
    seen.id === claim.id &&
    seen.owner === claim.owner &&
    seen.phase === claim.phase &&
    seen.heartbeatAt === claim.heartbeatAt
  );
}
