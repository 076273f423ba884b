/**
 * The rollback `lshift check` carries out once it decided one (check.ts): re-read the record and
 * the alias, leave them to a rival check or a new deployment, claim the record, roll back through
 * the same rollback as `lshift rollback` (rollback.ts), and put the claim back when that failed.
 * Apart from check-decide.ts, which decides; this file acts.
 */
import type { DeploymentRecord, RecordCause } from '../domain/deployment-record.js';
import { isLshiftError } from '../domain/errors.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import {
  checkOwner,
  claimRollback,
  describeClaimFailure,
  describeRivalCheck,
  keepClaimFresh,
  releaseClaim,
} from './check-claim.js';
import { type CheckKind, RECORD_CHANGED_REFUSAL, refuseRollback } from './check-classify.js';
import { describeAliasGone, describeRefusal, entry } from './check-entry.js';
import { describeMovedAway, type MovedCandidate } from './check-moved.js';
import type { CheckDeps, CheckResult } from './check-types.js';
import { describeAliasState } from './deploy-result.js';
import { describeError } from './emit.js';
import { promotedBeforeClaim } from './promoted-before-claim.js';
import type { ListedRecord } from './record-listing.js';
import { describeUntrustedRecord, isMovedByHand } from './record-trust.js';
import { isSplit } from './record-view.js';
import { describeRollbackDone, isMovedUnderRollback, rollbackDeployment } from './rollback.js';
import { asClaimed } from './rollback-destination.js';
import { describeMovedAwayWaysOut, describeRollbackMovedAway } from './rollback-moved-away.js';
import { describeRollbackOvertaken } from './rollback-overtaken.js';
import { buildSplitRollbackCommand } from './split-left-commands.js';
import { ROLLBACK_PERSIST_MS } from './step-restore.js';

/** A record the check decided to roll back: what it is, and the version to go back to. */
export interface PlannedRollback
  extends ListedRecord,
    Pick<
      MovedCandidate,
      'releaseFunctions' | 'releaseChecked' | 'releaseMembers' | 'releasePromotedFull' | 'releaseUnresumable'
    > {
  kind: CheckKind;
  toVersion: string;
  /**
   * The alias is all on `toVersion` already and only the record is closed, with this end reason
   * (check-close-on-stable.ts): reported `skipped`, since the check moved no traffic.
   */
  closeOnly?: { endReason: string };
  /**
   * Its own gate failed while its runner ran, nobody driving, owning or deciding its release
   * (check-decide.ts failsItsRelease): the check's words for it. Found with its alias already back
   * on its stable version, the release is rolled back with it (check-release-verdict.ts).
   */
  releaseGateFailed?: string;
}

/**
 * Why the check rolls back, or, given the alias read right before the rollback (undefined before
 * it), what it says with it: a record's weight is what its runner last wrote, not always where
 * the alias is (check-decide.ts rollBackOnAlarm).
 */
export type CheckReason = string | ((alias: AliasInfo | undefined) => string);

/**
 * Re-reads the record and the alias right before writing, so a deployment that started since, or
 * an alias somebody moved by hand, is left alone rather than overwritten.
 */
export async function rollBack(
  deps: CheckDeps,
  c: PlannedRollback,
  reasonOf: CheckReason,
  stalled: boolean,
  /** Why, for the closed record (`y=`), when health decided it; none to finish another's rollback. */
  cause?: RecordCause,
): Promise<CheckResult> {
  const reasonWith = typeof reasonOf === 'string' ? () => reasonOf : reasonOf;
  let reason = reasonWith(undefined);
  const base = { toVersion: c.toVersion, stalled };
  let current: DeploymentRecord | undefined;
  let alias: Awaited<ReturnType<LambdaPort['getAlias']>>;
  try {
    current = await deps.store.read(c.functionName, c.alias);
    alias = await deps.lambda.getAlias(c.functionName, c.alias);
  } catch (error) {
    return entry(
      c,
      'error',
      `${reason}; but could not re-read it before rolling back: ${describeError(error)}`,
      base,
    );
  }
  if (!alias) return entry(c, 'error', `${reason}; but ${describeAliasGone(c)}`, { toVersion: c.toVersion });
  reason = reasonWith(alias);
  const owner = deps.owner ?? checkOwner('unknown');
  const rival = describeRivalCheck(c.record, current, owner, deps.clock.now());
  // Not stalled: the other check drives it now. Its doing, said plainly: this check's own
  // reason in front read as if the skip were this check's rollback.
  if (rival) return entry(c, 'skipped', rival, { toVersion: c.toVersion });
  const refusal = refuseRollback(c, current, alias);
  // Rewritten since it was read (a `deploy --resume` took it over): not known to be stalled any
  // more, so no STALLED and exit 4 (found by a hostile pass: "STALLED … no live owner" while the
  // resume ran and promoted). The next check judges it as it is.
  if (refusal === RECORD_CHANGED_REFUSAL)
    return entry(c, 'skipped', `${reason}; ${refusal}`, { toVersion: c.toVersion });
  // A release's function already back on its stable version (by hand, or by the release's own
  // rollback whose records never landed): its line gives the release's ways out, and the release's
  // resume leaves it out (check-release.ts). It offered `lshift deploy fc --resume`, which is
  // refused (ALIAS_MISMATCH; release-back-on-stable-check.test.ts).
  const back =
    refusal !== undefined &&
    current?.releaseId !== undefined &&
    describeMovedAway({ ...c, record: current }, alias);
  // Its own alarm failed during the release (not after a promotion), nobody owning or deciding
  // the release: its gate failed, and its other functions follow it back as its dead runner would
  // have (check-release-verdict.ts). They were left STALLED, one still split on the new code.
  const gateFailed = c.releaseGateFailed ? { releaseGateFailed: c.releaseGateFailed } : {};
  if (back)
    return entry(c, 'skipped', `${reason}, but ${back}`, {
      ...base,
      stalled,
      movedByHand: true,
      ...gateFailed,
    });
  if (refusal !== undefined) return entry(c, 'skipped', `${reason}; ${refusal}`, base);
  // Moved by hand since (a version of its own, or a split with one): never overwritten; said as
  // the check says it when the alarms are OK, with the ways out (check-moved.ts). A failed or
  // paused deployment's too, read as its claim would write it (rollback-destination.ts asClaimed).
  const moved =
    current &&
    isMovedByHand(asClaimed(current), deps.clock.now(), alias) &&
    describeMovedAway({ ...c, record: current }, alias);
  if (moved)
    return entry(c, 'error', `${reason}, but ${moved}`, { ...base, stalled: true, movedByHand: true });
  // A stopped rollback someone moved past since (a promotion by hand after the crash): not
  // finished over that move (rollback-overtaken.ts; session 66, F2). STALLED, as status and the
  // docs call it: labelled ERROR until session 67 (exit 4 either way).
  const overtaken = c.kind === 'unfinished-rollback' && current && describeRollbackOvertaken(current, alias);
  if (overtaken)
    return entry(
      c,
      'stalled',
      `${reason}, but ${overtaken}; the check does not write over that move. To put all traffic back on version ${c.toVersion} anyway: \`lshift rollback ${c.functionName} --alias ${c.alias}\``,
      { ...base, stalled: true, movedByHand: true },
    );
  // A stopped rollback moved since onto a version it never wrote: not a record to delete (it said
  // "does not add up … untag-resource"), the rollback's ways out (rollback-moved-away.ts).
  const movedAway =
    c.kind === 'unfinished-rollback' &&
    current &&
    describeRollbackMovedAway(current, alias, deps.clock.now());
  if (current && movedAway)
    return entry(
      c,
      'stalled',
      `${reason}, but ${movedAway}; the check does not write over that move: ${describeMovedAwayWaysOut(c.functionName, c.alias, current, alias)}`,
      { ...base, stalled: true, movedByHand: true },
    );
  const mismatch = current && describeUntrustedRecord(current, deps.clock.now(), alias);
  if (mismatch) return entry(c, 'error', describeRefusal(c, deps.clock.now(), mismatch, deps.clock), base);
  const alreadyThere = !isSplit(alias.additionalWeights) && alias.functionVersion === c.toVersion;
  const claim = await claimOrExplain(deps, c, current!, owner, reason, base);
  if ('result' in claim) return claim.result;
  let result: CheckResult;
  let splitLeft = false;
  try {
    const rollBackNow = deps.rollback ?? rollBackWith(deps);
    const onPoll = keepClaimFresh(deps, c, claim.claimed);
    const outcome = await rollBackNow(
      c.functionName,
      c.alias,
      c.toVersion,
      reason,
      onPoll,
      cause,
      c.closeOnly?.endReason,
      promotedBeforeClaim(claim.before),
    );
    // Deleted under the rollback: no split is left for anyone to fix (exit 1, not 4), and the
    // claim is not put back: a deleted function took its record with it.
    const done = c.closeOnly ? 'skipped' : 'rolled_back';
    // A split someone made under its rollback, left (closed moved by hand): nobody drives it, which
    // `lshift status` calls STALLED; "ROLLBACK FAILED" was said of it (no rollback failed).
    splitLeft = !outcome.ok && isSplitLeftUnder(outcome);
    const action = outcome.ok ? done : outcome.deleted ? 'error' : splitLeft ? 'stalled' : 'rollback_failed';
    // Nor stalled: nothing is left that anyone could drive.
    // The alias was already there: what the check did is close the record. Closing only, the
    // rollback's own words ("already routes all traffic to …") would repeat the reason; its log
    // line says the same (describe-event.ts: `CLOSING its record as rolled back`).
    const closed = 'its record is now closed as rolled back';
    const said =
      !alreadyThere || !outcome.ok ? outcome.message : c.closeOnly ? closed : `${outcome.message}; ${closed}`;
    // Its reason said the alias had moved no traffic: a runner that was only frozen may have
    // moved it since (found by a hostile pass: "moved no traffic …: conflict: … at 50%").
    const why = c.closeOnly && !outcome.ok ? `${reason} when checked, but it has changed since` : reason;
    // Exit 4 names the alias and the fix here too, not only when the rollback threw (found by a
    // hostile pass: `unsafe: NETWORK_ERROR: … did not answer lambda:UpdateAlias …` and no more).
    const fix =
      action === 'rollback_failed'
        ? `; ${describeFailedRollbackFix(c, outcome.aliasState ?? alias, outcome.errorCode, outcome.conflict)}`
        : splitLeft && outcome.aliasState
          ? `; ${describeSplitLeftFix(c, outcome.aliasState)}`
          : '';
    result = entry(
      c,
      action,
      `${why}: ${said.replace(/\.$/, '')}${fix}`,
      outcome.deleted ? { toVersion: c.toVersion } : splitLeft ? { ...base, stalled: true } : base,
    );
  } catch (error) {
    const fix = describeFailedRollbackFix(c, alias, isLshiftError(error) ? error.code : undefined);
    result = entry(
      c,
      'rollback_failed',
      `${reason}: rollback failed: ${describeError(error).replace(/\.$/, '')}; ${fix}`,
      base,
    );
  }
  // Not left `rolling-back` under this check's fresh heartbeat, which the next check would skip.
  // A claim its rollback could not close (still `rolling-back`) is put back, as before (a no-op once closed).
  if (result.action === 'rollback_failed' || splitLeft) await releaseClaim(deps, c, claim.claimed, current!);
  return result;
}

/** Its rollback met a split someone made and left it, the record closed (isMovedUnderRollback). */
function isSplitLeftUnder(outcome: {
  conflict?: boolean;
  aliasState?: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>;
}): boolean {
  return (
    outcome.conflict === true &&
    outcome.aliasState !== undefined &&
    isSplit(outcome.aliasState.additionalWeights)
  );
}

/**
 * The split as last seen and the rollback that puts it back, `--to` the stable version when a
 * plain `lshift rollback` would refuse to guess (split-left-commands.ts), as `status` offers it.
 */
function describeSplitLeftFix(
  c: PlannedRollback,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>,
): string {
  const command = buildSplitRollbackCommand(
    c,
    { stableVersion: c.toVersion, targetVersion: c.record.targetVersion },
    alias,
  );
  return `alias ${c.alias} as last seen: ${describeAliasState(alias)}; split by someone else under the check's rollback, which left it: nobody drives that split; to put all traffic back on version ${c.toVersion}: \`${command}\``;
}

/**
 * Exit 4 names the alias as last seen and the command that fixes it (docs/exit-codes.md). A
 * stable version that no longer exists (pruned since the deployment) fails the same way at every
 * check of the window: only another version, chosen by a person, fixes it (found by a hostile
 * pass: "rollback failed: VERSION_NOT_FOUND", and nothing else, at every run).
 */
function describeFailedRollbackFix(
  c: PlannedRollback,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>,
  errorCode: string | undefined,
  conflict = false,
): string {
  const state = `alias ${c.alias} as last seen: ${describeAliasState(alias)}`;
  const command = `lshift rollback ${c.functionName} --alias ${c.alias}`;
  if (errorCode === 'VERSION_NOT_FOUND')
    return `${state}; its stable version ${c.toVersion} no longer exists: put traffic on a version that does with \`${command} --to <version>\``;
  // Someone else moved it under the rollback: look before overwriting their move.
  if (conflict)
    return `${state}; it changed under the rollback: look at it with \`lshift status ${c.functionName} --alias ${c.alias}\`, then \`${command}\` if it is still split`;
  return `${state}; fix: \`${command}\``;
}

/**
 * The end reasons of a record a check closed because its alias was all on its stable version
 * with no live owner (check-close-on-stable.ts): `status` and `history` said only "rolled-back"
 * and the check's owner (found by a hostile pass). Not "by hand": a live runner that reads an end
 * reason with it says the alias was moved with `lshift alias` (recorder-loss.ts).
 */
export const ABANDONED_BEFORE_TRAFFIC = 'abandoned before any traffic moved';
export const FOUND_BACK_ON_STABLE = 'found back on its stable version with no live owner';

/**
 * The claim that makes this check the only one acting (check-claim.ts): the claimed record,
 * or the result to report — `skipped` when another check won, `error` when the store failed.
 */
async function claimOrExplain(
  deps: CheckDeps,
  c: PlannedRollback,
  current: DeploymentRecord,
  owner: string,
  reason: string,
  base: Pick<CheckResult, 'toVersion' | 'stalled'>,
): Promise<{ claimed: DeploymentRecord; before: DeploymentRecord } | { result: CheckResult }> {
  try {
    // Its destination on the claim (`rt=`): the runner it stops says where it follows it to.
    const to = base.toVersion === undefined ? {} : { rollbackTo: base.toVersion };
    const end = await claimRollback(deps, c, current, owner, to);
    if (end.kind === 'claimed') return { claimed: end.record, before: end.before };
    // Not stalled: whoever won the claim drives it now (said as theirs, as above).
    return { result: entry(c, 'skipped', end.why, { toVersion: base.toVersion }) };
  } catch (error) {
    const why = `${reason}; but ${describeClaimFailure(error)}`;
    return { result: entry(c, 'error', why, base) };
  }
}

/** What is left of the run's time for retrying failures that pass (CheckDeps.rollbackPersist). */
function persistLeft(deps: CheckDeps): { persistMs?: number } {
  const shared = deps.rollbackPersist;
  if (!shared) return {};
  shared.untilMs ??= deps.clock.elapsedMs() + ROLLBACK_PERSIST_MS;
  return { persistMs: Math.max(0, shared.untilMs - deps.clock.elapsedMs()) };
}

function rollBackWith(deps: CheckDeps): NonNullable<CheckDeps['rollback']> {
  return async (functionName, alias, to, reason, onPoll, cause, endReason, promoted) => {
    const req = {
      functionName,
      alias,
      to,
      reason,
      onPoll,
      ...(cause ? { cause } : {}),
      // Given only when the check closes the record of an alias already on its stable version.
      ...(endReason ? { endReason, closeOnly: true as const } : {}),
      // A promoted one closes "rolled back to version 1: after it was promoted", as `lshift
      // rollback` closes it; it closed with no end reason ("stopped at step 10" in status).
      ...promoted,
      ...persistLeft(deps),
    };
    const result = await rollbackDeployment(deps, req);
    const ok = result.status === 'rolled_back' || result.status === 'nothing_to_deploy';
    const deleted = result.cause?.code === 'ROLLBACK_TARGET_DELETED';
    const failed = result.cause?.code === 'ROLLBACK_FAILED' ? result.cause.data : undefined;
    return {
      ok,
      message: describeRollbackDone(result),
      ...(deleted ? { deleted } : {}),
      ...(ok || deleted || !result.aliasState ? {} : { aliasState: result.aliasState }),
      ...(failed?.errorCode ? { errorCode: failed.errorCode } : {}),
      // A split someone made under it is left as a conflict's (unsafe since session 67: exit 4).
      ...(isMovedUnderRollback(result) ? { conflict: true } : {}),
    };
  };
}
