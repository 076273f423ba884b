/**
 * `lshift status`'s words for a CodeDeploy deployment running or ended against what lshift decided:
 * against its rollback (AGAINST LSHIFT'S ROLLBACK), or against its stop without rollback to keep a
 * person's move (NOT STOPPED, KEPT BY HAND, OVERRIDDEN). Moved out of status-codedeploy-text.ts as is.
 */
import { buildStopKeepingCommand, describeAliasState } from '../../engine/deploy-result.js';
import { describeKeptMoveWays, isAtLaterStepOfRecord } from '../../engine/kept-move-landed.js';
import { describeKeepMoveStop, describeSucceededOverKeptMove } from '../../engine/record-view.js';
import type { AliasStatus } from '../../engine/status.js';

/**
 * lshift decided to roll the deployment back (`rolling-back`, `failed`), yet AWS CodeDeploy runs it
 * on, or ended it off the stable version (status-codedeploy.ts againstRollback): it said exit 0 and
 * "follow it: lshift wait", which closed it promoted (found by a hostile pass, session 60).
 */
export function describeAgainstRollback(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  codeDeployStatus: string,
): string[] {
  const id = record.codeDeployId ?? record.codeDeployIdFound ?? '';
  const routing = status.split
    ? describeAliasState(status)
    : `all traffic to version ${status.functionVersion}`;
  const routes = `alias ${status.alias} routes ${routing}`;
  // A person's split under it is not CodeDeploy "shifting traffic towards" (session 66's note).
  const byHand = codeDeployStatus === 'InProgress' ? record.againstRollbackByHand : undefined;
  const doing = byHand
    ? `AWS CodeDeploy deployment ${id} is InProgress against that decision, and ${byHand}`
    : codeDeployStatus === 'InProgress'
      ? `AWS CodeDeploy deployment ${id} is InProgress, shifting traffic towards version ${record.targetVersion} against that decision (${routes} now)`
      : `AWS CodeDeploy ended deployment ${id} ${codeDeployStatus} against that decision: ${routes}`;
  const over = byHand ? ", over that person's move" : '';
  return [
    `    AGAINST LSHIFT'S ROLLBACK: lshift decided to roll back deployment ${record.id} (${record.phase}), but ${doing}`,
    `    \`lshift rollback ${status.functionName} --alias ${status.alias}\` finishes that rollback (stops the deployment with auto-rollback if it still runs, and puts all traffic back on version ${record.stableVersion}${over}); so do \`lshift wait ${id}\` and the next \`lshift check\``,
  ];
}

/**
 * Someone moved the alias by hand and lshift stopped CodeDeploy WITHOUT its rollback to keep the
 * move, but did not see the stop end (refused, lost, or its run exited on a second signal): found by
 * a hostile pass (session 64), status said exit 0 and "follow it: lshift wait", and once CodeDeploy
 * moved the alias over the move, "all traffic is on version 2" (wait and history: promoted).
 */
export function describeAgainstKeptMove(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  codeDeployStatus: string,
): string[] {
  const id = record.codeDeployId ?? record.codeDeployIdFound ?? '';
  const routes = `alias ${status.alias} routes ${status.split ? describeAliasState(status) : `all traffic to version ${status.functionVersion}`}`;
  // A stop CodeDeploy refused because it had Succeeded is said so, not "not seen to end" (session 65's note).
  const what = `someone moved alias ${status.alias} by hand and ${describeKeepMoveStop(record, id)}`;
  const head = `    NOT STOPPED: ${what}`;
  // CodeDeploy has ended: "NOT STOPPED" no longer says it (h2's pass, session 64); the person's own
  // move is not recorded, so lshift does not say the rollback restores it (it may have been a split).
  // Its stop landed after its run died, the move kept (engine/kept-move-landed.ts): the rollback
  // alone was offered, which undoes the person's move (found by a hostile pass, session 65).
  if (codeDeployStatus === 'Stopped')
    return [
      `    KEPT BY HAND: ${what}; that stop has since ended (CodeDeploy Stopped, no rollback) and the move was kept: ${routes}; nobody has closed its record`,
      `    Fix: ${describeKeptMoveWays(status.functionName, status.alias, id, record)}`,
    ];
  // Moved again since CodeDeploy left it all on the new version: "moving the alias over that move:
  // alias routes 50/50" read as CodeDeploy's doing (session 65's note). What was seen is said.
  const movedSince = status.split || status.functionVersion !== record.targetVersion;
  if (codeDeployStatus === 'Succeeded' && movedSince)
    return [
      `    OVERRIDDEN: ${what}; ${describeSucceededOverKeptMove(record)}; the alias has been moved again since (CodeDeploy left all traffic on version ${record.targetVersion}): ${routes} now`,
      `    a human must decide where traffic goes: \`lshift rollback ${status.functionName} --alias ${status.alias}\` puts all traffic back on version ${record.stableVersion}, where it was before this deployment, and closes its record`,
    ];
  if (codeDeployStatus === 'Succeeded')
    return [
      `    OVERRIDDEN: ${what}; ${describeSucceededOverKeptMove(record)}: ${routes}`,
      `    a human must decide where traffic goes: \`lshift rollback ${status.functionName} --alias ${status.alias}\` puts all traffic back on version ${record.stableVersion}, where it was before this deployment (the person's own move is not recorded)`,
    ];
  const rollback = `\`lshift rollback ${status.functionName} --alias ${status.alias}\` (stops it with its rollback: all traffic back on version ${record.stableVersion})`;
  // At one of CodeDeploy's own later steps: the move may be gone, the stop would freeze that split.
  if (isAtLaterStepOfRecord(record, status))
    return [
      `${head}: it is ${codeDeployStatus} with nobody watching it, and ${routes} now, one of its own later steps: it may already have moved the alias over that move`,
      `    Fix: ${rollback}, or \`${buildStopKeepingCommand(id)}\` (keeps the alias as it is now: CodeDeploy's split if the move is gone)`,
    ];
  return [
    `${head}: it is ${codeDeployStatus} with nobody watching it, and may move the alias over that move on its own schedule (${routes} now)`,
    `    Fix: \`${buildStopKeepingCommand(id)}\` (keeps the alias as it is), or ${rollback}`,
  ];
}
