/**
 * How a deployment ends: success, or failure/stop with CodeDeploy's automatic rollback when the
 * deployment's (or its group's) autoRollbackConfiguration names the trigger. A rollback is a new
 * deployment (creator codeDeployRollback) that routes the alias back to the current version;
 * both carry rollbackInfo pointing at each other.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_RollbackInfo.html
 */
import { own, setOwn } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import { setTargetWeight } from './alias-shift.js';
import { codeDeployOf, newDeploymentId } from './state.js';
import type { AutoRollbackData, DeploymentData, GroupData } from './types.js';

export type Trigger = 'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST';

export function groupOf(sb: Sandbox, d: DeploymentData): GroupData | undefined {
  const app = own(codeDeployOf(sb).applications, d.applicationName);
  return app ? Object.values(app.groups).find((g) => g.id === d.groupId) : undefined;
}

export function effectiveRollback(sb: Sandbox, d: DeploymentData): AutoRollbackData {
  return d.autoRollback ?? groupOf(sb, d)?.autoRollback ?? { enabled: false, events: [] };
}

export function succeed(sb: Sandbox, d: DeploymentData, at: number): void {
  d.status = 'Succeeded';
  d.completeMs = at;
  d.phase = { kind: 'done' };
  syncGroup(sb, d);
}

/**
 * Ends a deployment as Failed or Stopped. `rollback` forces the choice (StopDeployment's
 * autoRollbackEnabled); otherwise the auto-rollback configuration decides.
 */
export function end(
  sb: Sandbox,
  d: DeploymentData,
  at: number,
  how: { status: 'Failed' | 'Stopped'; code: string; message: string; trigger: Trigger; rollback?: boolean },
): void {
  for (const event of d.events) {
    if (event.status === 'InProgress') {
      event.status = 'Failed';
      event.endMs = at;
    } else if (event.status === 'Pending') {
      event.status = 'Skipped';
    }
  }
  d.status = how.status;
  d.completeMs = at;
  d.startMs ??= at;
  d.phase = { kind: 'done' };
  d.errorInformation = { code: how.code, message: how.message };
  const config = effectiveRollback(sb, d);
  const rollBack = how.rollback ?? (config.enabled && config.events.includes(how.trigger));
  syncGroup(sb, d);
  if (rollBack) rollback(sb, d, at);
  sb.markDirty();
}

function rollback(sb: Sandbox, d: DeploymentData, at: number): void {
  const id = newDeploymentId(sb);
  const { target } = d;
  const restored = setTargetWeight(sb, target, 0, at);
  const r: DeploymentData = {
    ...structuredClone(d),
    id,
    creator: 'codeDeployRollback',
    status: restored ? 'Succeeded' : 'Failed',
    createMs: at,
    startMs: at,
    completeMs: at,
    target: {
      ...target,
      currentVersion: target.targetVersion,
      targetVersion: target.currentVersion,
      weight: 1,
    },
    events: [
      { name: 'BeforeAllowTraffic', status: 'Skipped' },
      { name: 'AllowTraffic', status: restored ? 'Succeeded' : 'Failed', startMs: at, endMs: at },
      { name: 'AfterAllowTraffic', status: 'Skipped' },
    ],
    phase: { kind: 'done' },
    hookExecutions: [],
    errorInformation: restored
      ? undefined
      : {
          code: 'INVALID_LAMBDA_FUNCTION',
          message: `The alias ${target.alias} of ${target.functionName} no longer exists.`,
        },
    rollbackInfo: { rollbackTriggeringDeploymentId: d.id },
  };
  setOwn(codeDeployOf(sb).deployments, id, r);
  d.rollbackInfo = {
    rollbackDeploymentId: id,
    rollbackMessage: `Deployment ${d.id} was rolled back by deployment ${id}: alias ${target.alias} routes all traffic to version ${target.currentVersion}.`,
  };
  syncGroup(sb, r);
}

/** The group's lastAttemptedDeployment / lastSuccessfulDeployment follow each status change. */
export function syncGroup(sb: Sandbox, d: DeploymentData): void {
  const group = groupOf(sb, d);
  if (!group) return;
  const ref = { deploymentId: d.id, status: d.status, createMs: d.createMs, endMs: d.completeMs };
  if (
    !group.lastAttempted ||
    group.lastAttempted.deploymentId === d.id ||
    group.lastAttempted.createMs <= d.createMs
  ) {
    group.lastAttempted = ref;
  }
  if (d.status === 'Succeeded') group.lastSuccessful = ref;
}
