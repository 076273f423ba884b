/**
 * `lshift status`'s words for a deployment AWS CodeDeploy runs or ran: its engine line, and what
 * to do when CodeDeploy forgot it, left its alias split, started late or another deployment
 * drives the alias (status-text.ts picks which).
 */

import { describeLateStart, type LateCodeDeployStart } from '../../engine/codedeploy-late-start.js';
import { describeLeftSplitRollback } from '../../engine/codedeploy-left-split.js';
import { describeAliasState } from '../../engine/deploy-result.js';
import {
  describeForgottenId,
  describeUndriven,
  describeWhere,
  forgottenFix,
} from '../../engine/follow-forgotten.js';
import { isWaitOwner } from '../../engine/owner-kinds.js';
import {
  describeKeepMoveStop,
  isClosedByHand,
  isKeepMoveUnconfirmed,
  isSucceededBeforeKeepStop,
  KEEP_MOVE_STEP_OVER_REASON,
} from '../../engine/record-view.js';
import { isSplitLeftClosed } from '../../engine/split-left-closed.js';
import type { AliasStatus } from '../../engine/status.js';

/** The engine line of a record AWS CodeDeploy runs or ended (none for a forgotten one: its STALLED lines say it). */
export function describeCodeDeployEngine(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string[] {
  // lshift's rollback under way, its runner alive (status-rollback-runner.ts): nothing to do but wait.
  if (record.rollingBackByRunner) {
    const { codeDeployStatus, runner } = record.rollingBackByRunner;
    return [
      `    engine: AWS CodeDeploy, deployment ${record.codeDeployId ?? record.codeDeployIdFound ?? ''}${describeFound(record)} (${codeDeployStatus}): being rolled back by its runner ${runner}, which stops it and puts all traffic back on version ${record.stableVersion}`,
    ];
  }
  // Its run still stopping CodeDeploy without rollback, to keep a move by hand (its StopDeployment
  // not answered yet): said "rolled back by hand" and "follow it: lshift wait" (session 65).
  if (record.keepingMoveByRunner) {
    const { codeDeployStatus, runner } = record.keepingMoveByRunner;
    return [
      `    engine: AWS CodeDeploy, deployment ${record.codeDeployId ?? record.codeDeployIdFound ?? ''}${describeFound(record)} (${codeDeployStatus}): someone moved alias ${status.alias} by hand, and its runner (${runner}) is stopping it WITHOUT its rollback so that the move stays; that run exits once CodeDeploy says the stop ended (exit 5), or when it cannot stop it (exit 4)`,
    ];
  }
  // A stop without rollback (keeping a move by hand) not seen to end: nothing of lshift's watches it.
  if (record.againstKeptMove)
    return [
      `    engine: AWS CodeDeploy, deployment ${record.codeDeployId ?? record.codeDeployIdFound ?? ''}${describeFound(record)} (${describeKeptMoveEngine(record, record.againstKeptMove)})`,
    ];
  // lshift decided to roll it back: nothing to follow (a wait would finish the rollback).
  if (record.againstRollback)
    return [
      `    engine: AWS CodeDeploy, deployment ${record.codeDeployId ?? record.codeDeployIdFound ?? ''}${describeFound(record)} (${record.againstRollback}, against lshift's decision to roll it back)`,
    ];
  if (record.codeDeployEnded && !record.leftSplitByCodeDeploy && !record.splitByOtherDeployment) {
    // Ended in CodeDeploy, its alias on one version: `lshift wait` records how it ended — unless
    // the run that follows it still lives and will (found by a hostile pass, session 60).
    const id = record.codeDeployId ?? record.codeDeployIdFound ?? '';
    const closer = record.codeDeployEndedFollower
      ? `the run that follows it closes its record: ${record.codeDeployEndedFollower}`
      : `\`lshift wait ${id}\` closes its record`;
    return [
      `    engine: AWS CodeDeploy, deployment ${id}${describeFound(record)} (ended: ${record.codeDeployEnded}; ${closer})`,
    ];
  }
  if (record.engine === 'codedeploy' && !record.forgottenByCodeDeploy && !record.codeDeployEnded) {
    const lines = [describeCodeDeploy(record, status)];
    if (record.codeDeployError)
      lines.push(`    could not ask AWS CodeDeploy about it: ${record.codeDeployError}`);
    return lines;
  }
  return [];
}

/**
 * Where a deployment closed by a move by hand left its alias. Over a split it kept that nobody
 * drives (split-left-closed.ts: the STALLED line beside it), "leaving the alias where it was
 * moved" read as settled, nothing to do (h3's brief, session 69).
 */
function describeWhereLeft(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  return isSplitLeftClosed(status, record)
    ? 'and the split it met is still there: CodeDeploy no longer drives it, nor does anyone else'
    : 'leaving the alias where it was moved';
}

/**
 * `lshift wait <id>` only while the deployment runs: a promoted or rolled-back record is
 * closed, and there is nothing left to follow (a `paused` one may be a `--detach`ed deployment
 * that CodeDeploy is still running; `wait` follows it and closes the record).
 */
function describeCodeDeploy(record: NonNullable<AliasStatus['record']>, status: AliasStatus): string {
  const id = record.codeDeployId ?? record.codeDeployIdFound;
  const { phase } = record;
  const deployment = `deployment ${id}${describeFound(record)}`;
  // A runner killed right after CreateDeployment answered recorded no id, yet a deployment runs
  // (`lshift rollback` finds it by the run token in its description): never say none started.
  if (!id) {
    return phase === 'promoted' || phase === 'rolled-back'
      ? '    engine: AWS CodeDeploy (its deployment id was never recorded)'
      : `    engine: AWS CodeDeploy (no deployment id recorded yet: none started, or its runner stopped before recording it; \`lshift rollback ${status.functionName} --alias ${status.alias}\` finds it by its run token and stops it)`;
  }
  // lshift's rollback failed: it may never have stopped CodeDeploy, which keeps moving the alias.
  if (phase === 'failed')
    return (
      `    engine: AWS CodeDeploy, ${deployment}: lshift's rollback of it failed, and CodeDeploy may still be running it ` +
      `(\`aws deploy get-deployment --deployment-id ${id}\`); \`lshift rollback ${status.functionName} --alias ${status.alias}\` stops it and puts the alias back`
    );
  const ended = phase === 'promoted' || phase === 'rolled-back';
  // Closed because someone moved its alias: CodeDeploy was stopped WITHOUT its rollback (or had
  // ended): "ended: rolled-back" said a rollback that never ran (found by a hostile pass).
  if (ended && isClosedByHand(record))
    return `    engine: AWS CodeDeploy, ${deployment} (ended: ${record.endReason}; lshift ran no rollback, ${describeWhereLeft(status, record)})`;
  // CodeDeploy's console says Succeeded: "ended: rolled-back" alone read as a contradiction (session 65).
  if (ended && record.codeDeploySucceededBeforeRollback)
    return `    engine: AWS CodeDeploy, ${deployment} (ended: rolled-back by lshift; AWS CodeDeploy's own record of it says Succeeded: CodeDeploy had finished its shift, and lshift's rollback put the alias back itself, a write CodeDeploy does not show)`;
  return ended
    ? `    engine: AWS CodeDeploy, ${deployment} (ended: ${phase})`
    : `    engine: AWS CodeDeploy, ${deployment} (${describeFollowIt(record, id)})`;
}

/**
 * A `lshift wait` that claimed the record follows it while its claim is beaten (follow-late-start.ts):
 * not offered again beside it (F6, session 61).
 */
function describeFollowIt(record: NonNullable<AliasStatus['record']>, id: string): string {
  if (isWaitOwner(record.owner) && !record.stale)
    return `followed by ${record.owner}, which closes its record as CodeDeploy ends it`;
  return `follow it: \`lshift wait ${id}\``;
}

/** A deployment the record does not name, found by the run token in its description. */
function describeFound(record: NonNullable<AliasStatus['record']>): string {
  return record.codeDeployIdFound
    ? ' (found by its run token: the runner stopped before recording its id)'
    : '';
}

/** CodeDeploy no longer knows the deployment: `lshift wait`'s words, and its fix. */
export function describeForgottenDeployment(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string[] {
  const named = { functionName: status.functionName, alias: status.alias, record };
  const where = describeWhere(record, status);
  return [
    `    STALLED: ${describeForgottenId(record.codeDeployId ?? '')}: ${describeUndriven(named, where)}`,
    `    ${forgottenFix(named)}`,
  ];
}

/**
 * CodeDeploy ended the deployment (stopped without rollback, failed) and left the alias split:
 * `lshift check`'s words (check-codedeploy.ts) and its fix.
 */
export function describeLeftSplit(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string[] {
  return [
    `    STALLED: ${describeOwnStopEnd(record) ?? record.codeDeployEnded}; alias ${status.alias} routes ${describeAliasState(status)} with nobody to finish it`,
    `    ${describeLeftSplitRollback(status.functionName, status.alias, record, status)}`,
  ];
}

/**
 * Stopped by lshift's own stop without rollback (the record's keep-move mark), the move not kept:
 * it said CodeDeploy's `Stopped: The deployment was stopped by a StopDeployment request`, as if
 * someone else had stopped it (h4's pass, session 67, F1). Undefined for any other end.
 */
function describeOwnStopEnd(record: NonNullable<AliasStatus['record']>): string | undefined {
  if (!isKeepMoveUnconfirmed(record) || record.codeDeployStatus !== 'Stopped') return undefined;
  const id = record.codeDeployId ?? record.codeDeployIdFound ?? 'its deployment';
  const since =
    record.endReason === KEEP_MOVE_STEP_OVER_REASON ? '' : '; it has ended since, the move not kept';
  return `CodeDeploy deployment ${id} Stopped: someone moved the alias by hand and ${describeKeepMoveStop(record, id)}${since}`;
}

/** Its own CodeDeploy deployment started after its run ended (codedeploy-late-start.ts). */
export function describeLateStartLines(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  late: LateCodeDeployStart,
): string[] {
  const { what, fix } = describeLateStart(late, {
    functionName: status.functionName,
    alias: status.alias,
    stableVersion: record.stableVersion,
    routing: status,
  });
  return [`    ${late.running ? 'UNWATCHED' : 'MOVED SINCE'}: ${what}`, `    ${fix}`];
}

/** CodeDeploy ended ours; another deployment on the group drives the split. */
export function describeSplitByOther(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  other: string,
): string[] {
  const id = other.split(' ')[0];
  // A finished lshift deployment (of either engine) has no CodeDeploy end of its own to say.
  const ended = record.codeDeployEnded ?? `this deployment ended ${record.phase}`;
  return [
    `    ${ended}; alias ${status.alias} routes ${describeAliasState(status)}, driven by another CodeDeploy deployment on its group: ${other}`,
    // Someone else's deployment: `lshift wait`'s Ctrl-C would stop it with auto-rollback (found
    // by a hostile pass: following this advice rolled a teammate's hotfix back).
    `    follow it with \`lshift wait ${id} --on-interrupt leave\` (or \`aws deploy get-deployment --deployment-id ${id}\`); lshift writes nothing to the alias beside it`,
  ];
}

/**
 * Where a deployment AWS CodeDeploy still runs is: CodeDeploy's status and the alias as read now,
 * not lshift's step counter. A `--detach` (or a follower gone) leaves the record at the step
 * lshift handed over, and status said `paused … step 1 at 10%` while CodeDeploy had the alias at
 * 40% (found by a hostile pass, session 60, F10). Undefined when CodeDeploy was not answered as
 * running, or lshift's rollback of it has its own words.
 */
export function describeCodeDeployRunning(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string | undefined {
  // Its status is there once it ended too (beside codeDeployEnded): running only while not ended.
  const running = record.codeDeployEnded === undefined ? record.codeDeployStatus : undefined;
  const ended = record.codeDeployEnded !== undefined;
  if (record.engine !== 'codedeploy' || (!running && !ended)) return undefined;
  if (!['started', 'pre-hook', 'shifting', 'baking', 'post-hook', 'paused'].includes(record.phase))
    return undefined;
  if (record.againstRollback || record.rollingBackByRunner || record.againstKeptMove) return undefined;
  if (record.keepingMoveByRunner) return undefined;
  const id = record.codeDeployId ?? record.codeDeployIdFound ?? '';
  const step = `step ${record.stepIndex + 1} (${record.percent}%)`;
  // Ended, its record not closed yet: it read `shifting, …, step 2 at 20%` under a routing line
  // of all traffic on version 2 (found by a hand pass, session 62). Its engine line says how it
  // ended and what closes the record.
  if (!running)
    return `run by AWS CodeDeploy, whose deployment ${id} has ended, version ${record.stableVersion} → ${record.targetVersion} (${record.strategy}): ${describeTargetShare(status, record)}; lshift's record still says ${record.phase} at ${step}`;
  const counter = isWaitOwner(record.owner)
    ? `\`lshift wait\` claimed its record to follow it (${record.owner})`
    : record.phase === 'paused'
      ? `lshift's record stays at ${step}, where lshift handed it over`
      : `lshift's record says ${record.phase} at ${step}`;
  return `run by AWS CodeDeploy, deployment ${id} ${running}, version ${record.stableVersion} → ${record.targetVersion} (${record.strategy}): CodeDeploy moves the traffic on its own schedule; ${describeTargetShare(status, record)}; ${counter}`;
}

function describeTargetShare(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  const { stableVersion: stable, targetVersion: target } = record;
  const weight = status.additionalWeights[target];
  if (status.split && status.functionVersion === stable && weight !== undefined)
    return `version ${target} has ${Math.round(weight * 1000) / 10}% of the traffic as the alias routes now`;
  if (!status.split && status.functionVersion === target)
    return `all traffic is on version ${target} as the alias routes now`;
  if (!status.split && status.functionVersion === stable)
    return `no traffic on version ${target} yet: the alias routes all of it to version ${stable}`;
  return `the alias routes ${describeAliasState(status)} now`;
}

/** The engine line's status of a kept-move record's deployment, after CodeDeploy's status. */
function describeKeptMoveEngine(
  record: NonNullable<AliasStatus['record']>,
  codeDeployStatus: string,
): string {
  if (codeDeployStatus === 'Stopped')
    return "Stopped: lshift's stop without rollback for a move by hand, ended after its run stopped watching";
  if (isSucceededBeforeKeepStop(record))
    return `${codeDeployStatus} before lshift's stop without rollback for a move by hand reached it`;
  return `${codeDeployStatus}, after lshift's stop without rollback for a move by hand, not seen to end`;
}
