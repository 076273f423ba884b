/**
 * CreateDeploymentGroup, GetDeploymentGroup, UpdateDeploymentGroup for Lambda applications:
 * BLUE_GREEN with traffic control, a service role, up to 10 alarms, auto-rollback events.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeploymentGroup.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_UpdateDeploymentGroup.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AlarmConfiguration.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AutoRollbackConfiguration.html
 */
import { own, setOwn } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import { applicationName } from './applications.js';
import { requireConfig } from './configs.js';
import { codeDeployErrors } from './errors.js';
import { checkName, type Input, optionalObject, optionalString, requiredString, seconds } from './input.js';
import { requireApplication, requireGroup } from './state.js';
import type { AlarmConfigData, AutoRollbackData, DeploymentRef, GroupData } from './types.js';

export const MAX_ALARMS = 10;
const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** Lambda deployment groups default to this config when none is given. */
const DEFAULT_CONFIG = 'CodeDeployDefault.LambdaAllAtOnce';

export function createDeploymentGroup(sb: Sandbox, input: Input): Input {
  const app = requireApplication(sb, applicationName(input));
  const name = groupName(input, 'deploymentGroupName');
  if (own(app.groups, name)) {
    throw codeDeployErrors.make(
      'DeploymentGroupAlreadyExistsException',
      `Deployment group ${name} already exists for application ${app.name}.`,
    );
  }
  const serviceRoleArn = readRole(input.serviceRoleArn, true)!;
  const configName = optionalString(input, 'deploymentConfigName') ?? DEFAULT_CONFIG;
  requireConfig(sb, configName);
  const style = readStyle(optionalObject(input, 'deploymentStyle'));
  const group: GroupData = {
    id: sb.nextId(),
    name,
    deploymentConfigName: configName,
    serviceRoleArn,
    alarmConfiguration: readAlarms(optionalObject(input, 'alarmConfiguration')) ?? {
      enabled: false,
      ignorePollAlarmFailure: false,
      alarms: [],
    },
    autoRollback: readAutoRollback(optionalObject(input, 'autoRollbackConfiguration')) ?? {
      enabled: false,
      events: [],
    },
    ...style,
  };
  setOwn(app.groups, name, group);
  sb.markDirty();
  return { deploymentGroupId: group.id };
}

export function getDeploymentGroup(sb: Sandbox, input: Input): Input {
  const app = applicationName(input);
  const group = requireGroup(sb, app, groupName(input, 'deploymentGroupName'));
  return { deploymentGroupInfo: groupOut(app, group) };
}

/** Members left out keep their values; `newDeploymentGroupName` renames. */
export function updateDeploymentGroup(sb: Sandbox, input: Input): Input {
  const app = requireApplication(sb, applicationName(input));
  const current = groupName(input, 'currentDeploymentGroupName');
  const group = requireGroup(sb, app.name, current);
  const newName = optionalString(input, 'newDeploymentGroupName');
  if (newName !== undefined && newName !== current && own(app.groups, newName)) {
    throw codeDeployErrors.make(
      'DeploymentGroupAlreadyExistsException',
      `Deployment group ${newName} already exists for application ${app.name}.`,
    );
  }
  const configName = optionalString(input, 'deploymentConfigName');
  if (configName !== undefined) requireConfig(sb, configName);
  const role = readRole(input.serviceRoleArn, false);
  const alarms = readAlarms(optionalObject(input, 'alarmConfiguration'));
  const rollback = readAutoRollback(optionalObject(input, 'autoRollbackConfiguration'));
  const style =
    input.deploymentStyle === undefined ? undefined : readStyle(optionalObject(input, 'deploymentStyle'));
  // Everything is validated: now change it all at once.
  if (configName !== undefined) group.deploymentConfigName = configName;
  if (role !== undefined) group.serviceRoleArn = role;
  if (alarms) group.alarmConfiguration = alarms;
  if (rollback) group.autoRollback = rollback;
  if (style) Object.assign(group, style);
  if (newName !== undefined && newName !== current) {
    group.name = checkName(newName, 'InvalidDeploymentGroupNameException', 'deployment group name');
    delete app.groups[current];
    setOwn(app.groups, newName, group);
  }
  sb.markDirty();
  return { hooksNotCleanedUp: [] };
}

export function groupOut(applicationName: string, group: GroupData): Input {
  return {
    applicationName,
    deploymentGroupId: group.id,
    deploymentGroupName: group.name,
    deploymentConfigName: group.deploymentConfigName,
    serviceRoleArn: group.serviceRoleArn,
    alarmConfiguration: {
      enabled: group.alarmConfiguration.enabled,
      ignorePollAlarmFailure: group.alarmConfiguration.ignorePollAlarmFailure,
      alarms: group.alarmConfiguration.alarms.map((name) => ({ name })),
    },
    autoRollbackConfiguration: group.autoRollback,
    deploymentStyle: { deploymentType: group.deploymentType, deploymentOption: group.deploymentOption },
    computePlatform: 'Lambda',
    ...(group.lastAttempted ? { lastAttemptedDeployment: refOut(group.lastAttempted) } : {}),
    ...(group.lastSuccessful ? { lastSuccessfulDeployment: refOut(group.lastSuccessful) } : {}),
  };
}

function refOut(ref: DeploymentRef): Input {
  return {
    deploymentId: ref.deploymentId,
    status: ref.status,
    createTime: seconds(ref.createMs),
    ...(ref.endMs === undefined ? {} : { endTime: seconds(ref.endMs) }),
  };
}

export function groupName(input: Input, member: string): string {
  const name = requiredString(input, member, 'DeploymentGroupNameRequiredException', 'deployment group name');
  return checkName(name, 'InvalidDeploymentGroupNameException', 'deployment group name');
}

function readRole(raw: unknown, required: boolean): string | undefined {
  if (raw === undefined || raw === null || raw === '') {
    if (!required) return undefined;
    throw codeDeployErrors.make(
      'RoleRequiredException',
      'The service role ARN (serviceRoleArn) is required.',
    );
  }
  if (typeof raw !== 'string' || !ROLE_ARN.test(raw)) {
    throw codeDeployErrors.make(
      'InvalidRoleException',
      `The service role ARN ${JSON.stringify(raw)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`,
    );
  }
  return raw;
}

/** Lambda deployments are always blue/green with traffic control. */
function readStyle(raw: Input | undefined): { deploymentType: string; deploymentOption: string } {
  const type = raw?.deploymentType ?? 'BLUE_GREEN';
  const option = raw?.deploymentOption ?? 'WITH_TRAFFIC_CONTROL';
  if (type !== 'BLUE_GREEN' || option !== 'WITH_TRAFFIC_CONTROL') {
    throw codeDeployErrors.make(
      'InvalidDeploymentStyleException',
      `A Lambda deployment group must use deploymentType BLUE_GREEN and deploymentOption WITH_TRAFFIC_CONTROL (got ${String(type)}, ${String(option)}).`,
    );
  }
  return { deploymentType: type, deploymentOption: option };
}

function readAlarms(raw: Input | undefined): AlarmConfigData | undefined {
  if (!raw) return undefined;
  const list = raw.alarms ?? [];
  if (!Array.isArray(list))
    throw codeDeployErrors.make('InvalidAlarmConfigException', 'alarmConfiguration.alarms must be a list.');
  if (list.length > MAX_ALARMS) {
    throw codeDeployErrors.make(
      'AlarmsLimitExceededException',
      `The maximum number of alarms for a deployment group (${MAX_ALARMS}) was exceeded: ${list.length} given.`,
    );
  }
  const names = list.map((alarm, i) => {
    const name = (alarm as Input | null)?.name;
    if (typeof name !== 'string' || name === '') {
      throw codeDeployErrors.make(
        'InvalidAlarmConfigException',
        `alarmConfiguration.alarms[${i}].name must be an alarm name.`,
      );
    }
    return name;
  });
  if (new Set(names).size !== names.length) {
    throw codeDeployErrors.make(
      'InvalidAlarmConfigException',
      'alarmConfiguration.alarms names the same alarm twice.',
    );
  }
  const enabled = raw.enabled === true;
  if (enabled && names.length === 0) {
    throw codeDeployErrors.make(
      'InvalidAlarmConfigException',
      'The alarm configuration is enabled but names no alarm.',
    );
  }
  return { enabled, ignorePollAlarmFailure: raw.ignorePollAlarmFailure === true, alarms: names };
}

function readAutoRollback(raw: Input | undefined): AutoRollbackData | undefined {
  if (!raw) return undefined;
  const events = raw.events ?? [];
  if (!Array.isArray(events) || events.some((e) => !ROLLBACK_EVENTS.includes(String(e)))) {
    throw codeDeployErrors.make(
      'InvalidAutoRollbackConfigException',
      `autoRollbackConfiguration.events must be among ${ROLLBACK_EVENTS.join(', ')} (got ${JSON.stringify(events)}).`,
    );
  }
  const enabled = raw.enabled === true;
  if (enabled && events.length === 0) {
    throw codeDeployErrors.make(
      'InvalidAutoRollbackConfigException',
      'Auto-rollback is enabled but names no event.',
    );
  }
  return { enabled, events: events.map(String) };
}

export function readAutoRollbackInput(raw: Input | undefined): AutoRollbackData | undefined {
  return readAutoRollback(raw);
}
