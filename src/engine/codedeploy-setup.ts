/**
 * `lshift codedeploy init`: create or reuse a CodeDeploy application (compute platform Lambda)
 * and a deployment group (BLUE_GREEN + WITH_TRAFFIC_CONTROL, the alarms, auto-rollback on
 * DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM). Idempotent: what exists is reused and
 * compared; differences are reported as drift and changed only with `update` (so groups made
 * by SAM are adopted by name untouched).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeploymentGroup.html
 */

import { checkAlarmCount } from '../domain/codedeploy-plan.js';
import { echoInput } from '../domain/echo.js';
import { OperationError, UsageError } from '../domain/errors.js';
import type { CodeDeployPort, DeploymentGroupInfo, DeploymentGroupSpec } from '../ports/codedeploy.js';

export const REQUIRED_ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'];

export interface SetupRequest {
  application: string;
  group: string;
  /** Needed to create a group, or to change its role with `update`. */
  serviceRoleArn?: string;
  /** The alarms the group watches; undefined: leave an existing group's alarms alone. */
  alarms?: string[];
  /** The group's default config (each deployment names its own). */
  config: string;
  /** Change an existing group to match (otherwise drift is only reported). */
  update: boolean;
  /**
   * Ctrl-C/SIGTERM: no call is made once it fired (AWS calls started after it are not abandoned,
   * src/aws/time-bounds.ts): INTERRUPTED, saying what this run had created so far.
   */
  signal?: AbortSignal;
  /** What this run has made so far, kept up to date for whoever reads it (a second signal's line). */
  progress?: SetupProgress;
}

/** What a run has written: each write once it was answered, and the one in flight. */
export interface SetupProgress {
  /** `created application lshift-demo`, in order. */
  done: string[];
  /** `creating deployment group demo-live`: sent, not answered yet. */
  writing?: string;
}

export interface SetupReport {
  application: { name: string; action: 'created' | 'reused' };
  group: { name: string; action: 'created' | 'reused' | 'updated' };
  /** What differs from what lshift would have created (reported, changed only with update). */
  drift: string[];
}

export async function ensureCodeDeploySetup(port: CodeDeployPort, req: SetupRequest): Promise<SetupReport> {
  if (req.alarms) checkAlarmCount(req.alarms);
  if (req.serviceRoleArn !== undefined) checkRoleArn(req.serviceRoleArn);
  const progress = req.progress ?? { done: [] };
  const next = () => stopIfInterrupted(req, progress);
  next();
  const app = await port.getApplication(req.application);
  checkLambdaApplication(req.application, app);
  next();
  // Everything is read and checked before the first write: a refusal leaves nothing half made.
  const existing = app ? await port.getDeploymentGroup(req.application, req.group) : undefined;
  if (existing) return reuseGroup(port, req, existing, 'reused', progress);
  const spec = groupSpec(req, undefined);
  next();
  const application = app
    ? 'reused'
    : await write(progress, `application ${req.application}`, 'creat', () =>
        createApplication(port, req.application, next),
      );
  next();
  const group = await write(progress, `deployment group ${req.group}`, 'creat', () =>
    port.createDeploymentGroup(spec),
  );
  if (group === 'created') {
    return {
      application: { name: req.application, action: application },
      group: { name: req.group, action: 'created' },
      drift: [],
    };
  }
  // DeploymentGroupAlreadyExistsException: made since it was read (another init at the same
  // moment, or this run's own attempt whose answer was lost and that was sent again). Read back
  // and compared with what was asked, as a group that existed before (found by a hostile pass:
  // it failed with AWS_ERROR, exit 1, although init is idempotent).
  next();
  const made = await port.getDeploymentGroup(req.application, req.group);
  if (!made) throw vanished(req);
  return reuseGroup(port, req, made, application, progress);
}

/**
 * One write, said in `progress` while in flight (`creating …`) and once answered (`created …`;
 * a write CodeDeploy answers "already exists" made nothing, and is not said to have).
 */
async function write<T>(
  progress: SetupProgress,
  what: string,
  verb: 'creat' | 'updat',
  call: () => Promise<T>,
): Promise<T> {
  progress.writing = `${verb}ing ${what}`;
  const answer = await call();
  progress.writing = undefined;
  if (answer !== 'exists' && answer !== 'reused') progress.done.push(`${verb}ed ${what}`);
  return answer;
}

/** A signal came: no other call is made (the one in flight, if any, was abandoned by the runtime). */
function stopIfInterrupted(req: SetupRequest, progress: SetupProgress): void {
  if (!req.signal?.aborted) return;
  const why = req.signal.reason instanceof Error ? req.signal.reason.message : 'interrupted';
  const done =
    progress.done.length === 0
      ? 'it had created or changed nothing'
      : `it had ${progress.done.join(' and ')}`;
  throw new OperationError(
    'INTERRUPTED',
    `${why}: lshift stopped codedeploy init before its next AWS call; ${done}.`,
    {
      hint:
        progress.done.length === 0
          ? 'Nothing was changed.'
          : 'No alias moved. Run the same `lshift codedeploy init` again: it reuses what exists and finishes the job.',
    },
  );
}

/**
 * CreateApplication; `reused` when CodeDeploy answers that it exists already (made since it was
 * read), once read back and checked as one found before.
 */
async function createApplication(
  port: CodeDeployPort,
  name: string,
  next: () => void,
): Promise<'created' | 'reused'> {
  if ((await port.createApplication(name)) === 'created') return 'created';
  next();
  checkLambdaApplication(name, await port.getApplication(name));
  return 'reused';
}

function checkLambdaApplication(name: string, app: { computePlatform?: string } | undefined): void {
  if (!app?.computePlatform || app.computePlatform === 'Lambda') return;
  throw new UsageError(
    'INVALID_FLAG',
    `CodeDeploy application ${name} deploys to ${app.computePlatform}, not Lambda.`,
    {
      hint: 'Pass --application naming a Lambda application, or a new name for lshift to create.',
    },
  );
}

/** A group that exists: its drift reported, changed only with `update`. */
async function reuseGroup(
  port: CodeDeployPort,
  req: SetupRequest,
  existing: DeploymentGroupInfo,
  application: SetupReport['application']['action'],
  progress: SetupProgress,
): Promise<SetupReport> {
  const drift = findDrift(existing, req);
  const report = (action: SetupReport['group']['action']): SetupReport => ({
    application: { name: req.application, action: application },
    group: { name: req.group, action },
    drift,
  });
  if (drift.length === 0 || !req.update) return report('reused');
  const spec = groupSpec(req, existing);
  stopIfInterrupted(req, progress);
  await write(progress, `deployment group ${req.group}`, 'updat', () => port.updateDeploymentGroup(spec));
  return report('updated');
}

/** CodeDeploy said it exists, and a read right after found none (deleted in between). */
function vanished(req: SetupRequest): OperationError {
  return new OperationError(
    'CODEDEPLOY_GROUP_NOT_FOUND',
    `CodeDeploy answered that deployment group ${req.group} of application ${req.application} already exists, but reading it back found none (deleted in between?).`,
    { hint: 'Run `lshift codedeploy init` again.' },
  );
}

/**
 * A role ARN CodeDeploy would refuse is refused here, before the application is created, so a
 * typo leaves nothing half made (IAM ARN format:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
 */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

function checkRoleArn(arn: string): void {
  if (ROLE_ARN.test(arn)) return;
  throw new UsageError('INVALID_FLAG', `--role \`${echoInput(arn)}\` is not an IAM role ARN.`, {
    hint: 'Pass the ARN of the role CodeDeploy assumes, e.g. arn:aws:iam::123456789012:role/CodeDeployLambda (docs/codedeploy.md#iam-roles).',
  });
}

function groupSpec(req: SetupRequest, existing: DeploymentGroupInfo | undefined): DeploymentGroupSpec {
  const serviceRoleArn = req.serviceRoleArn ?? existing?.serviceRoleArn;
  if (!serviceRoleArn) {
    throw new UsageError(
      'CODEDEPLOY_ROLE_MISSING',
      `Deployment group ${req.group} of application ${req.application} does not exist, and creating it needs a service role.`,
      {
        hint: 'Pass --role <arn> of a role CodeDeploy may assume with the AWSCodeDeployRoleForLambda policy (docs/codedeploy.md#iam-roles).',
      },
    );
  }
  return {
    application: req.application,
    group: req.group,
    serviceRoleArn,
    config: existing?.config ?? req.config,
    // A repeated --alarm is one alarm: the group lists it once.
    alarms: req.alarms ? [...new Set(req.alarms)] : (existing?.alarms ?? []),
  };
}

/** Differences between an existing group and what lshift would create, one sentence each. */
export function findDrift(group: DeploymentGroupInfo, req: SetupRequest): string[] {
  const drift: string[] = [];
  if (group.deploymentType !== 'BLUE_GREEN' || group.deploymentOption !== 'WITH_TRAFFIC_CONTROL') {
    drift.push(
      `deployment style is ${group.deploymentType ?? '?'}/${group.deploymentOption ?? '?'}, not BLUE_GREEN/WITH_TRAFFIC_CONTROL`,
    );
  }
  if (req.serviceRoleArn && group.serviceRoleArn !== req.serviceRoleArn) {
    drift.push(`service role is ${group.serviceRoleArn ?? 'none'}, not ${req.serviceRoleArn}`);
  }
  const missingEvents = REQUIRED_ROLLBACK_EVENTS.filter((e) => !group.autoRollbackEvents.includes(e));
  if (missingEvents.length > 0) drift.push(`auto-rollback is off for ${missingEvents.join(', ')}`);
  if (req.alarms) {
    const want = [...new Set(req.alarms)].sort();
    const have = [...new Set(group.alarms)].sort();
    if (want.join('\n') !== have.join('\n')) {
      drift.push(`alarms are [${have.join(', ')}], not [${want.join(', ')}]`);
    } else if (want.length > 0 && !group.alarmsEnabled) {
      drift.push('alarm monitoring is disabled');
    }
  }
  return drift;
}
