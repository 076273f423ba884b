/**
 * CreateDeployment, GetDeployment, ListDeployments, StopDeployment for Lambda deployments.
 * One active deployment per group: a second CreateDeployment fails with
 * DeploymentLimitExceededException ("The Deployment Group '…' already has an active Deployment '…'").
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeployment.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BatchGetDeployments.html
 */
import { own, setOwn } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import { applicationName } from './applications.js';
import { readRevision } from './appspec.js';
import { requireConfig } from './configs.js';
import { deploymentOut } from './deployment-out.js';
import { codeDeployErrors } from './errors.js';
import { end, syncGroup } from './finish.js';
import { readAutoRollbackInput } from './groups.js';
import { type Input, optionalObject, optionalString } from './input.js';
import {
  codeDeployOf,
  DEPLOYMENT_ID,
  newDeploymentId,
  requireApplication,
  requireDeployment,
  requireGroup,
} from './state.js';
import type { DeploymentData, DeploymentStatus } from './types.js';

const ACTIVE: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
const STATUSES: DeploymentStatus[] = [...ACTIVE, 'Succeeded', 'Failed', 'Stopped'];
const PAGE = 100;

export function createDeployment(sb: Sandbox, input: Input): Input {
  const app = requireApplication(sb, applicationName(input));
  const groupName = optionalString(input, 'deploymentGroupName');
  if (!groupName) {
    throw codeDeployErrors.make(
      'DeploymentGroupNameRequiredException',
      'The deployment group name is required.',
    );
  }
  const group = requireGroup(sb, app.name, groupName);
  const appSpec = readRevision(input.revision);
  const configName = optionalString(input, 'deploymentConfigName') ?? group.deploymentConfigName;
  requireConfig(sb, configName);
  const description = optionalString(input, 'description');
  if (description !== undefined && description.length > 100) {
    throw codeDeployErrors.make(
      'DescriptionTooLongException',
      'The description is longer than 100 characters.',
    );
  }
  const autoRollback = readAutoRollbackInput(optionalObject(input, 'autoRollbackConfiguration'));
  const running = Object.values(codeDeployOf(sb).deployments).find(
    (d) => d.groupId === group.id && ACTIVE.includes(d.status),
  );
  if (running) {
    throw codeDeployErrors.make(
      'DeploymentLimitExceededException',
      `The Deployment Group '${group.name}' already has an active Deployment '${running.id}'`,
    );
  }
  const now = sb.simNow();
  const d: DeploymentData = {
    id: newDeploymentId(sb),
    applicationName: app.name,
    groupId: group.id,
    configName,
    ...(description === undefined ? {} : { description }),
    creator: 'user',
    status: 'Created',
    createMs: now,
    appSpec: { content: appSpec.content, sha256: appSpec.sha256 },
    hooks: appSpec.hooks,
    target: {
      functionName: appSpec.functionName,
      alias: appSpec.alias,
      currentVersion: appSpec.currentVersion,
      targetVersion: appSpec.targetVersion,
      weight: 0,
      lastUpdatedMs: now,
    },
    events: [
      { name: 'BeforeAllowTraffic', status: 'Pending' },
      { name: 'AllowTraffic', status: 'Pending' },
      { name: 'AfterAllowTraffic', status: 'Pending' },
    ],
    phase: { kind: 'created' },
    ...(autoRollback ? { autoRollback } : {}),
    hookExecutions: [],
  };
  setOwn(codeDeployOf(sb).deployments, d.id, d);
  syncGroup(sb, d);
  sb.markDirty();
  return { deploymentId: d.id };
}

export function getDeployment(sb: Sandbox, input: Input): Input {
  return { deploymentInfo: deploymentOut(sb, requireDeployment(sb, input.deploymentId)) };
}

/** Up to 25 ids; ids of no deployment are left out of the answer. */
export function batchGetDeployments(sb: Sandbox, input: Input): Input {
  const ids = input.deploymentIds;
  if (!Array.isArray(ids) || ids.length === 0) {
    throw codeDeployErrors.make(
      'DeploymentIdRequiredException',
      'deploymentIds must list at least one deployment id.',
    );
  }
  if (ids.length > 25) {
    throw codeDeployErrors.make(
      'BatchLimitExceededException',
      `At most 25 deployment ids per call (${ids.length} given).`,
    );
  }
  const found = ids.map((id) => {
    if (typeof id !== 'string' || !DEPLOYMENT_ID.test(id)) {
      throw codeDeployErrors.make(
        'InvalidDeploymentIdException',
        `The deployment id ${JSON.stringify(id)} is not valid.`,
      );
    }
    return own(codeDeployOf(sb).deployments, id);
  });
  return { deploymentsInfo: found.filter((d) => d !== undefined).map((d) => deploymentOut(sb, d)) };
}

export function listDeployments(sb: Sandbox, input: Input): Input {
  const appName = optionalString(input, 'applicationName');
  const groupName = optionalString(input, 'deploymentGroupName');
  if (groupName !== undefined && appName === undefined) {
    throw codeDeployErrors.make(
      'ApplicationNameRequiredException',
      'A deploymentGroupName needs its applicationName.',
    );
  }
  if (appName !== undefined && groupName === undefined) {
    throw codeDeployErrors.make(
      'DeploymentGroupNameRequiredException',
      'An applicationName needs a deploymentGroupName.',
    );
  }
  const groupId = appName === undefined ? undefined : requireGroup(sb, appName, groupName!).id;
  const statuses = readStatuses(input.includeOnlyStatuses);
  const range = readTimeRange(input.createTimeRange);
  const ids = Object.values(codeDeployOf(sb).deployments)
    .filter((d) => groupId === undefined || d.groupId === groupId)
    .filter((d) => statuses === undefined || statuses.includes(d.status))
    .filter((d) => d.createMs >= range.startMs && d.createMs <= range.endMs)
    .sort((a, b) => b.createMs - a.createMs)
    .map((d) => d.id);
  const start = readToken(input.nextToken);
  const next = start + PAGE < ids.length ? Buffer.from(String(start + PAGE)).toString('base64') : undefined;
  return { deployments: ids.slice(start, start + PAGE), ...(next ? { nextToken: next } : {}) };
}

/**
 * Stops at once (the reply says Succeeded). With autoRollbackEnabled true the alias goes back
 * to the current version; left out, the group's DEPLOYMENT_STOP_ON_REQUEST event decides.
 */
export function stopDeployment(sb: Sandbox, input: Input): Input {
  const d = requireDeployment(sb, input.deploymentId);
  if (!ACTIVE.includes(d.status)) {
    throw codeDeployErrors.make(
      'DeploymentAlreadyCompletedException',
      `The deployment ${d.id} has already completed (status ${d.status}).`,
    );
  }
  const rollback = input.autoRollbackEnabled;
  if (rollback !== undefined && typeof rollback !== 'boolean') {
    throw codeDeployErrors.invalidInput('autoRollbackEnabled must be true or false.');
  }
  end(sb, d, sb.simNow(), {
    status: 'Stopped',
    code: 'MANUAL_STOP',
    message: 'The deployment was stopped by a StopDeployment request.',
    trigger: 'DEPLOYMENT_STOP_ON_REQUEST',
    rollback,
  });
  return {
    status: 'Succeeded',
    statusMessage: `Deployment ${d.id} stopped${d.rollbackInfo?.rollbackDeploymentId ? ' and rolled back' : ''}.`,
  };
}

function readStatuses(raw: unknown): DeploymentStatus[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((s) => !STATUSES.includes(s as DeploymentStatus))) {
    throw codeDeployErrors.make(
      'InvalidDeploymentStatusException',
      `includeOnlyStatuses must be among ${STATUSES.join(', ')} (got ${JSON.stringify(raw)}).`,
    );
  }
  return raw as DeploymentStatus[];
}

/**
 * ListDeployments' createTimeRange: `start` and `end` in epoch seconds (the JSON protocol's
 * timestamps), either left out.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TimeRange.html
 */
function readTimeRange(raw: unknown): { startMs: number; endMs: number } {
  if (raw === undefined || raw === null) return { startMs: -Infinity, endMs: Infinity };
  const range = raw as { start?: unknown; end?: unknown };
  const bound = (value: unknown, open: number): number => {
    if (value === undefined || value === null) return open;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw codeDeployErrors.make(
        'InvalidTimeRangeException',
        'createTimeRange start and end must be timestamps.',
      );
    return value * 1000;
  };
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw codeDeployErrors.make('InvalidTimeRangeException', 'createTimeRange must be an object.');
  return { startMs: bound(range.start, -Infinity), endMs: bound(range.end, Infinity) };
}

function readToken(raw: unknown): number {
  if (raw === undefined || raw === null) return 0;
  const n = Number(Buffer.from(String(raw), 'base64').toString());
  if (!Number.isInteger(n) || n < 0)
    throw codeDeployErrors.make('InvalidNextTokenException', 'The nextToken is not valid.');
  return n;
}
