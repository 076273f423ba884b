/**
 * The words of a deployment that did not finish forward and whose rollback is not in question:
 * rolled back (by itself, after a failure or Ctrl-C, or by someone else), taken over, left where
 * it was (--on-interrupt leave, or handed to AWS CodeDeploy), or its alias moved underneath it.
 * Part of describe-outcome.ts, which picks the words by cause code.
 */
import type { DeployResult } from '../domain/events.js';
import type { OutcomeCause } from '../domain/outcome.js';
import { buildStatusCommand, formatWeight } from '../engine/deploy-result.js';
import { type CauseWith, isoSeconds, type ReasonPlace } from './reason-parts.js';
import { describeSplitLeftWayBack } from './split-left.js';

/** Rolled back (or stopped) by another lshift's rollback, or replaced by a later deployment. */
export function describeRolledBackByOther(
  result: DeployResult,
  cause: CauseWith<'ROLLED_BACK_BY_OTHER'>,
  where: string,
): string {
  if (cause.data.successor) return describeReplaced(result, cause.data.successor, cause.data.owner, where);
  const by = `${cause.data.owner} ${where}, while this lshift still ran it (${describeFinishedAt(result)})`;
  const goal = describeClaimGoalMissed(result, cause.data);
  return result.trafficMoved === false
    ? `stopped by the rollback of ${by}: all traffic is still on version ${result.fromVersion}${goal}`
    : `rolled back by ${by}: all traffic is on version ${result.fromVersion}${goal}`;
}

/**
 * The runner followed a `lshift rollback --to N` (N not the stable version: "following it until
 * alias live is all on version N") that stopped; someone else finished it on the stable version,
 * as a check and a plain `lshift rollback` do (engine/follow-claim-goal.ts). Said, so the end
 * does not read as the follow line's promise kept or broken without a reason.
 */
function describeClaimGoalMissed(
  result: DeployResult,
  data: CauseWith<'ROLLED_BACK_BY_OTHER'>['data'],
): string {
  const { claimedTo: to, claimer } = data;
  if (to === undefined || claimer === undefined) return '';
  const command = `lshift rollback ${result.functionName} --alias ${result.alias} --to ${to}`;
  return `, its stable version — not on version ${to}, where the \`${command}\` of ${claimer} that this lshift followed was sending it: that rollback stopped before it finished, and ${data.owner} finished it on the stable version, as \`lshift check\` and a plain \`lshift rollback\` finish a stopped rollback`;
}

/** The record was lost to another lshift (a conflict): this runner wrote nothing more. */
export function describeTakenOver(
  result: DeployResult,
  cause: CauseWith<'TAKEN_OVER'>,
  { where, state }: ReasonPlace,
): string {
  // Read when this runner stopped (settle.ts, stopTakenOver): the new owner (a rollback, a
  // resume) may move the alias a moment later, so it is not said to be where the alias "is now".
  // Not "the new owner": after `lshift alias` (moved by hand) there is none.
  const now = state
    ? `; when it stopped, alias ${result.alias} was at ${state} (it may have been moved since)`
    : '';
  // A person's `lshift rollback --to` its new version (engine/rollback-to-taker.ts): not a
  // stranger's move, and the version was not judged by this run past where it stopped.
  const { promotedBy, to, overRollback, noAlarms } = cause.data;
  if (promotedBy !== undefined && to !== undefined) {
    const promoted = `deployment ${result.deploymentId} was promoted ${where} by \`lshift rollback ${result.functionName} --alias ${result.alias} --to ${to}\` of ${promotedBy}, which put all traffic on version ${to}`;
    // Over this deploy's own rollback: it had judged the version bad, and a person overrode that.
    if (overRollback !== undefined) {
      const why = overRollback === '' ? '' : `, because ${overRollback}`;
      // Rolling back for a hook, or Ctrl-C, with no alarm watched: no check rolls it back (h4, session 70).
      const check = noAlarms
        ? `this deploy watched no alarm, so no \`lshift check\` rolls version ${to} back for one of its alarms: version ${to} stays, as that rollback chose`
        : `\`lshift check\` within its --window rolls version ${to} back while an alarm of this deployment is in ALARM`;
      return `${promoted} while this deploy was rolling it back${why}; that rollback overrode this deploy's verdict, and this deploy wrote nothing more; ${check}${now}`;
    }
    return `${promoted}; this deploy's remaining steps, alarms and hooks did not run, so lshift did not judge version ${to} past that point, and it wrote nothing more${now}`;
  }
  return `${cause.detail ?? 'the deployment was taken over'} (${where}); lshift wrote nothing more${now}`;
}

/**
 * Taken over by a rollback (`by`) that then left the alias split — it met a split someone made
 * (`by-hand`), or it failed there — unsafe, exit 4 (engine/taken-split-left.ts): that rollback's
 * process said so and exited; this runner's exit said "taken over" (5) over a split nobody drives.
 */
export function describeTakerLeftSplit(
  result: DeployResult,
  cause: CauseWith<'TAKEN_OVER'>,
  { where, state }: ReasonPlace,
): string {
  const by = cause.data.by ?? 'another lshift';
  const at = state ? ` (${state})` : '';
  const what =
    cause.data.splitLeft === 'failed'
      ? `that rollback failed and left alias ${result.alias} split${at}`
      : `that rollback found alias ${result.alias} split by someone else and left it split${at}`;
  return `deployment ${result.deploymentId} was taken over ${where} by the rollback of ${by}, and ${what}${describeSplitLeftWayBack(result)}`;
}

/**
 * Taken over by a rollback that this runner followed to the end of its bound without its record
 * answering at the end, the alias split or unreadable (engine/follow-unreadable-end.ts): unsafe,
 * exit 4. Not "taken over" (exit 5, retry later): what became of that rollback is not known.
 */
export function describeTakerUnknown(
  result: DeployResult,
  cause: CauseWith<'TAKEN_OVER'>,
  { where, state }: ReasonPlace,
): string {
  const { alias, functionName: fn } = result;
  const by = cause.data.by ? `the rollback of ${cause.data.by}` : 'another lshift';
  const now = state ? `alias ${alias} is at ${state}` : `alias ${alias} could not be read either`;
  const rollback = result.rollbackCommand ?? `lshift rollback ${fn} --alias ${alias}`;
  const stable = result.fromVersion ?? 'the stable version';
  const unknown =
    cause.data.stateUnknown === 'alias'
      ? `whose record says it ended without putting alias ${alias} back (it failed, or met a split someone made and left it), and alias ${alias} could not be read: whether it is split is not known`
      : cause.data.stateUnknown === 'alias-rolled-back'
        ? `whose record says it rolled alias ${alias} back, but alias ${alias} could not be read to confirm it (the alias is the truth, not the record): whether all traffic is on version ${stable} is not known`
        : `which this lshift followed for its whole bound without a read of its record answering at the end: whether that rollback put alias ${alias} back is not known, and ${now}`;
  return `deployment ${result.deploymentId} was taken over ${where} by ${by}, ${unknown}. Run \`${buildStatusCommand(fn, alias)}\` to see where it is and who holds it; if it is still split and nobody is rolling it back, \`${rollback}\` puts all traffic on version ${stable}`;
}

/**
 * Left running without lshift: handed to AWS CodeDeploy, or interrupted under --on-interrupt
 * leave with the weights as they are. Undefined for an interrupt that rolled back.
 */
export function describeLeftRunning(
  result: DeployResult,
  cause: CauseWith<'DETACHED' | 'INTERRUPTED'>,
  { where, state }: ReasonPlace,
): string | undefined {
  const { alias, functionName: fn } = result;
  if ((cause.code === 'DETACHED' || cause.data.left) && result.codeDeploy) {
    const id = result.codeDeploy.deploymentId;
    return `handed to AWS CodeDeploy as deployment ${id} ${where}; follow it with \`lshift wait ${id}\``;
  }
  if (cause.code === 'INTERRUPTED' && cause.data.left) {
    const inFlight = cause.data.writeInFlight;
    const mayLand =
      inFlight === undefined
        ? ''
        : ` A weight write to ${formatWeight(inFlight)} was in flight when interrupted and may still land (\`lshift status ${fn} --alias ${alias}\` reads where it is).`;
    return (
      `interrupted ${where}; weights left as they are (--on-interrupt leave): ${state ?? 'unknown'}.${mayLand} ` +
      `Run \`${result.rollbackCommand ?? `lshift rollback ${fn} --alias ${alias}`}\` to undo.`
    );
  }
  return undefined;
}

/** A conflict: someone else moved the alias (a 412, or a read that found it moved). */
export function describeMovedUnderneath(
  result: DeployResult,
  cause: OutcomeCause,
  { where, state }: ReasonPlace,
): string {
  const { alias, functionName: fn } = result;
  const now = state ? `; it is now ${state}` : '';
  // Seen by a read of the alias, not a 412: a hold's (engine/alias-step.ts describeAliasMovedSince)
  // or the promotion read-back's (engine/promotion-settle.ts), which said "RevisionId mismatch" too.
  // A driver's conflict comes with its code before it (`ALIAS_CHANGED: a read found …`, the
  // CodeDeploy follow's): no 412 either (found by a hostile pass).
  // Said where it was seen, inside the sentence: "it is now version 1 (45%) + version 2 (55%). (a
  // read …)" put a stop mid-way through a release's Reason line, which goes on after it (session 70).
  const read = /^(?:ALIAS_CHANGED: )?a read /.test(cause.detail ?? '');
  const how = read ? cause.detail : `RevisionId mismatch: ${cause.detail ?? cause.code}`;
  // Found before its first weight landed (a `--stagger` function still waiting for its turn):
  // "no more" would say some of its traffic had moved.
  const stopped =
    result.trafficMoved === false
      ? 'lshift moved none of its traffic'
      : 'lshift stopped and moved no more traffic';
  return `alias ${alias} of function ${fn} changed underneath ${where}: someone else moved it (${how}); ${stopped}${now}`;
}

/**
 * Someone else finished this runner's rollback while it retried (engine/rollback-finished-by.ts):
 * say who, as their record says, so the rollback is not taken for this runner's own.
 */
export function describeFinisher(result: DeployResult): string {
  const by = result.finishedBy;
  if (!by || result.cause?.code === 'ROLLED_BACK_BY_OTHER') return '';
  // Still rolling back as their record says: they took it over (this run's call was in flight
  // past the stale limit) and their run closes it; this one wrote nothing over their claim.
  if (by.phase === 'rolling-back')
    return `; ${by.owner} took the rollback over while this lshift was still on it (${describeFinishedAt(result)}) and closes the record: all traffic is on version ${result.fromVersion}`;
  return `; ${by.owner} finished the rollback while this lshift was still on it (${describeFinishedAt(result)}): all traffic is on version ${result.fromVersion}`;
}

/**
 * Rolled back and replaced before this runner looked (`deploy --supersede`): the record is the
 * later deployment's, so when the rollback happened is not known — only that it came first.
 */
function describeReplaced(result: DeployResult, successor: string, owner: string, where: string): string {
  const started = result.finishedBy ? ` (${successor} started at ${isoSeconds(result.finishedBy.at)})` : '';
  return `rolled back and replaced by deployment ${successor} of ${owner} ${where}, while this lshift still ran it${started}: version ${result.toVersion} carries no traffic; alias ${result.alias} is that deployment's now, from version ${result.fromVersion}`;
}

/** `recorded rolled back at …` or `rolling back since …`, as the finisher's record says. */
function describeFinishedAt(result: DeployResult): string {
  const by = result.finishedBy;
  if (!by) return 'as its record says';
  const at = isoSeconds(by.at);
  return by.phase === 'rolled-back' ? `recorded rolled back at ${at}` : `rolling back since ${at}`;
}

/** A deployment rolled itself back: after a failure, or after Ctrl-C. */
export function describeRolledBack(result: DeployResult, cause: OutcomeCause, where: string): string {
  const moved = result.trafficMoved ?? true;
  // Ctrl-C abandoned CodeDeploy's CreateDeployment and no deployment of this run was found:
  // CodeDeploy may still take it (it said "alias … unchanged", exit 3: found by a hostile pass).
  if (cause.code === 'INTERRUPTED' && cause.data.startUnanswered && cause.detail) {
    return `interrupted ${where}; ${describeStartUnanswered(result, cause.detail)}`;
  }
  // Its CodeDeploy stop found the alias moved by hand a moment before: the detail says how.
  // …or its CodeDeploy stop failed and CodeDeploy had ended Succeeded meanwhile: the detail says so.
  if (cause.code === 'INTERRUPTED' && (cause.data.movedByHand || cause.data.stopOutran) && cause.detail) {
    return `interrupted ${where}; ${cause.detail}`;
  }
  if (cause.code === 'INTERRUPTED') {
    const before = result.position?.kind === 'before-traffic';
    // A CodeDeploy deployment that had shifted nothing yet: stopped, nothing came back.
    const id = result.codeDeploy?.deploymentId;
    const stopped = before && id ? `CodeDeploy deployment ${id} was stopped; ` : '';
    if (!moved) {
      return `interrupted ${before ? where : 'before any traffic moved'}; ${stopped}alias ${result.alias} unchanged`;
    }
    return `interrupted ${where}; ${stopped}all traffic is back on version ${result.fromVersion}`;
  }
  const detail = cause.detail ?? cause.code;
  if (moved) return `rolled back ${where}: ${detail}`;
  // `--resume` finished a rollback a killed run left: its own run moved no traffic forward, but
  // the rollback put aliases back (found by a hostile pass: "…left unfinished; no traffic was moved").
  if (cause.code === 'ROLLBACK_UNFINISHED')
    return `rolled back ${where}: ${detail}, and this run finished it: all traffic is on version ${result.fromVersion}`;
  // CodeDeploy ended (its BeforeAllowTraffic hook failed, someone stopped it) before it shifted any.
  const id = result.codeDeploy?.deploymentId;
  if (result.position?.kind === 'before-traffic' && result.position.during?.startsWith('codedeploy') && id) {
    return `CodeDeploy deployment ${id} ended ${where}: ${detail}; alias ${result.alias} unchanged`;
  }
  // Only a write AWS refused outright (credentials, permission) leaves no traffic moved.
  // No answer and no deployment of this run found: nothing is known refused (found by a hostile pass).
  if (cause.code === 'WEIGHT_WRITE_FAILED' && cause.data.error === 'CODEDEPLOY_START_UNANSWERED') {
    return describeStartUnanswered(result, detail);
  }
  if (cause.code === 'WEIGHT_WRITE_FAILED') {
    return `not started: the first weight write (${formatWeight(cause.data.percent)}) was refused: ${detail}; no traffic was moved`;
  }
  return `${detail}; no traffic was moved`;
}

/** CODEDEPLOY_START_UNANSWERED's words (`detail`), where the alias was and what tells a late start. */
function describeStartUnanswered(result: DeployResult, detail: string): string {
  return `${detail.replace(/\.$/, '')}; alias ${result.alias} was on version ${result.fromVersion} at lshift's last look, and \`${buildStatusCommand(result.functionName, result.alias)}\` says whether a deployment of this run has started since`;
}
