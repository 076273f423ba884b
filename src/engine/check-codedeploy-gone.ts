/**
 * `lshift check` over a CodeDeploy record whose deployment CodeDeploy no longer knows: GetDeployment
 * answers DeploymentDoesNotExistException. Deleting an application or a deployment group deletes
 * its deployments' details too, and nothing in CodeDeploy moves the alias for it any more
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html). Asking
 * again on the next run gets the same answer, so the check judges the record from the alias, the
 * truth about traffic: all on the stable version → nothing to roll back, the record is closed;
 * all on the target → a promotion, judged by the alarms (closed when they are OK, rolled back when
 * one fires); split → nobody will finish it: stalled (exit 4) with `lshift rollback`, which writes
 * the alias itself (codedeploy-traffic-driver.ts), or rolled back when an alarm fires.
 * Pure: check-codedeploy-reads.ts reads, check-decide.ts acts.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { echoInput } from '../domain/echo.js';
import type { Verdict } from '../domain/verdict.js';
import type { AliasInfo } from '../ports/lambda.js';
import { isOnStable } from './alias-step.js';
import { ALARMS_FAILED, type CodeDeployDecision, type CodeDeployView } from './codedeploy-check-types.js';
import { describeAliasState } from './deploy-result.js';
import { isSplit } from './record-view.js';

type Gone = Extract<CodeDeployView, { kind: 'gone' }>;
interface Checked {
  functionName: string;
  alias: string;
  record: DeploymentRecord;
}

/** `AWS CodeDeploy no longer knows deployment d-X of deployment d-1 (…), so nothing drives alias live`. */
export function describeForgotten(c: Checked, view: Gone): string {
  return (
    `AWS CodeDeploy no longer knows deployment ${echoInput(view.id)} of deployment ${c.record.id} ` +
    '(DeploymentDoesNotExistException: its application or deployment group was deleted, or it is in another region or account), ' +
    `so nothing drives alias ${c.alias} any more`
  );
}

/**
 * The decision the alias alone makes, or undefined when the alarms decide (all on the target,
 * or split). An unreadable alias leaves health unknown: `error`, nothing written.
 */
export function decideForgottenWithoutAlarms(
  c: Checked,
  view: Gone,
  now: number,
): CodeDeployDecision | undefined {
  const head = describeForgotten(c, view);
  const { alias } = view;
  if (!alias) {
    const reason = `${head}, and alias ${c.alias} could not be read: health unknown, nothing changed`;
    return { do: 'report', action: 'error', reason };
  }
  if (routesAllTo(alias, c.record.stableVersion)) {
    const reason = `${head}; alias ${c.alias} routes all traffic to version ${c.record.stableVersion}, its stable version: nothing to roll back`;
    const close = { outcome: 'rolled_back' as const, at: now, deploymentId: view.id, forgotten: true };
    return { do: 'report', action: 'skipped', reason, close };
  }
  if (routesAllTo(alias, c.record.targetVersion) || isSplit(alias.additionalWeights)) return undefined;
  const reason =
    `${head}; alias ${c.alias} routes all traffic to version ${alias.functionVersion}, neither its stable version ` +
    `${c.record.stableVersion} nor its target ${c.record.targetVersion} (moved by hand): nothing to roll back, its record was left as it is; ` +
    `\`lshift alias ${c.functionName} ${c.alias} ${alias.functionVersion}\` closes it (nothing moves)`;
  return { do: 'report', action: 'skipped', reason };
}

/** All on the target: a promotion, watched from now. Split: stalled unless an alarm fires. */
export function decideForgottenByAlarms(
  c: Checked,
  view: Gone & { alias: AliasInfo },
  verdict: Pick<Verdict, 'outcome' | 'summary'>,
  now: number,
): CodeDeployDecision {
  const head = describeForgotten(c, view);
  const failed = verdict.outcome === 'fail';
  const summary = verdict.summary.replace(/\.$/, '');
  const { record } = c;
  if (routesAllTo(view.alias, record.targetVersion)) {
    const where = `alias ${c.alias} routes all traffic to version ${record.targetVersion}, its target`;
    if (failed) {
      const reason = `lshift check: ${summary}; ${head}, and ${where}`;
      return { do: 'roll-back', reason, kind: 'recent', stalled: false, cause: ALARMS_FAILED };
    }
    // The window counts from now: when CodeDeploy finished is lost with the deployment.
    const close = { outcome: 'succeeded' as const, at: now, deploymentId: view.id, forgotten: true };
    return { do: 'report', action: 'healthy', reason: `${summary}; ${head}; ${where}`, close };
  }
  const where = `alias ${c.alias} is left at ${describeAliasState(view.alias)}`;
  if (failed) {
    const reason = `lshift check: ${summary}; ${head}, and ${where}`;
    return { do: 'roll-back', reason, kind: 'orphaned', stalled: true, cause: ALARMS_FAILED };
  }
  const reason =
    `${summary}, but ${head}: ${where} and nobody will finish it; ` +
    `\`lshift rollback ${c.functionName} --alias ${c.alias}\` puts all traffic back on version ${record.stableVersion} ` +
    '(lshift writes the alias itself: it needs no CodeDeploy deployment)';
  return { do: 'report', action: 'healthy', reason, stalled: true };
}

function routesAllTo(alias: AliasInfo, version: string): boolean {
  return isOnStable(
    { functionVersion: alias.functionVersion, additionalWeights: alias.additionalWeights },
    version,
  );
}
