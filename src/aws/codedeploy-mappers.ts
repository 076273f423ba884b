/**
 * CodeDeploy SDK shapes ↔ the port's shapes (src/ports/codedeploy.ts).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentGroupInfo.html
 */
import type {
  CreateDeploymentGroupInput,
  LifecycleEvent,
  DeploymentInfo as SdkDeploymentInfo,
  DeploymentGroupInfo as SdkGroupInfo,
  TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import type { TimeBasedRouting } from '../domain/codedeploy-plan.js';
import { echoAwsMessage } from '../domain/echo.js';
import { maskOutputLine } from '../domain/output-secrets.js';
import type {
  AppSpecTarget,
  DeploymentGroupInfo,
  DeploymentGroupSpec,
  DeploymentInfo,
  DeploymentStatus,
  LifecycleEventInfo,
} from '../ports/codedeploy.js';

/** A Lambda group rolls back on its own when a deployment fails or an alarm stops it. */
export const AUTO_ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] as const;

/** The group a Lambda deployment needs: blue/green with traffic control, alarms, auto-rollback. */
export function toGroupInput(spec: DeploymentGroupSpec): CreateDeploymentGroupInput {
  return {
    applicationName: spec.application,
    deploymentGroupName: spec.group,
    serviceRoleArn: spec.serviceRoleArn,
    deploymentConfigName: spec.config,
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    alarmConfiguration: {
      enabled: spec.alarms.length > 0,
      ignorePollAlarmFailure: false,
      alarms: spec.alarms.map((name) => ({ name })),
    },
    autoRollbackConfiguration: { enabled: true, events: [...AUTO_ROLLBACK_EVENTS] },
  };
}

export function fromGroupInfo(info: SdkGroupInfo): DeploymentGroupInfo {
  const rollback = info.autoRollbackConfiguration;
  return {
    application: info.applicationName ?? '',
    group: info.deploymentGroupName ?? '',
    serviceRoleArn: info.serviceRoleArn,
    config: info.deploymentConfigName,
    deploymentType: info.deploymentStyle?.deploymentType,
    deploymentOption: info.deploymentStyle?.deploymentOption,
    alarms: (info.alarmConfiguration?.alarms ?? []).flatMap((a) => (a.name ? [a.name] : [])),
    alarmsEnabled: info.alarmConfiguration?.enabled ?? false,
    autoRollbackEvents: rollback?.enabled ? [...(rollback.events ?? [])] : [],
  };
}

export function toTrafficRouting(routing: TimeBasedRouting): TrafficRoutingConfig {
  return routing.type === 'TimeBasedCanary'
    ? {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: routing.percentage, canaryInterval: routing.intervalMinutes },
      }
    : {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: routing.percentage, linearInterval: routing.intervalMinutes },
      };
}

export function fromTrafficRouting(config: TrafficRoutingConfig | undefined): TimeBasedRouting | undefined {
  if (config?.type === 'TimeBasedCanary' && config.timeBasedCanary) {
    return {
      type: 'TimeBasedCanary',
      percentage: config.timeBasedCanary.canaryPercentage ?? 0,
      intervalMinutes: config.timeBasedCanary.canaryInterval ?? 0,
    };
  }
  if (config?.type === 'TimeBasedLinear' && config.timeBasedLinear) {
    return {
      type: 'TimeBasedLinear',
      percentage: config.timeBasedLinear.linearPercentage ?? 0,
      intervalMinutes: config.timeBasedLinear.linearInterval ?? 0,
    };
  }
  return undefined;
}

const STATUSES: ReadonlySet<string> = new Set([
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Succeeded',
  'Failed',
  'Stopped',
  'Ready',
]);

export function fromDeploymentInfo(id: string, info: SdkDeploymentInfo | undefined): DeploymentInfo {
  // A status this client does not know is kept as in progress: never read as finished.
  const status = (STATUSES.has(info?.status ?? '') ? info?.status : 'InProgress') as DeploymentStatus;
  const out: DeploymentInfo = { id: info?.deploymentId ?? id, status };
  if (info?.applicationName) out.application = info.applicationName;
  if (info?.deploymentGroupName) out.group = info.deploymentGroupName;
  if (info?.deploymentConfigName) out.config = info.deploymentConfigName;
  if (info?.errorInformation) {
    out.error = { code: info.errorInformation.code, message: awsText(info.errorInformation.message) };
  }
  const rollback = info?.rollbackInfo;
  if (rollback?.rollbackDeploymentId || rollback?.rollbackMessage) {
    out.rollback = {
      deploymentId: rollback.rollbackDeploymentId,
      message: awsText(rollback.rollbackMessage),
    };
  }
  if (rollback?.rollbackTriggeringDeploymentId) {
    out.rolledBackDeploymentId = rollback.rollbackTriggeringDeploymentId;
  }
  if (info?.description !== undefined) out.description = info.description;
  if (info?.createTime) out.createdAt = info.createTime.getTime();
  if (info?.completeTime) out.completedAt = info.completeTime.getTime();
  const target = readAppSpecTarget(info?.revision?.appSpecContent?.content);
  if (target) out.target = target;
  return out;
}

/** The function, alias and versions of an AppSpec (JSON or its YAML-free JSON subset); undefined when unreadable. */
export function readAppSpecTarget(content: string | undefined): AppSpecTarget | undefined {
  if (!content) return undefined;
  try {
    const spec = JSON.parse(content) as {
      Resources?: Record<string, { Properties?: Record<string, unknown> }>[];
    };
    const props = Object.values(spec.Resources?.[0] ?? {})[0]?.Properties ?? {};
    const [functionName, alias, currentVersion, targetVersion] = [
      props['Name'],
      props['Alias'],
      props['CurrentVersion'],
      props['TargetVersion'],
    ].map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined));
    if (!functionName || !alias || !currentVersion || !targetVersion) return undefined;
    return { functionName, alias, currentVersion, targetVersion };
  } catch {
    // A YAML AppSpec (made by another tool): lshift reads only the JSON it writes.
    return undefined;
  }
}

function awsText(text: string | undefined): string | undefined {
  return text === undefined ? undefined : echoAwsMessage(text);
}

export function fromLifecycleEvents(events: LifecycleEvent[] | undefined): LifecycleEventInfo[] {
  return (events ?? []).map((e) => {
    const out: LifecycleEventInfo = { name: e.lifecycleEventName ?? '?', status: e.status ?? 'Unknown' };
    const message = e.diagnostics?.message ?? e.diagnostics?.errorCode;
    // A hook's diagnostics carry what the hook function put there: printed, so never raw, and
    // masked as a lambda: hook's response is (domain/output-secrets.ts).
    if (message) out.message = echoAwsMessage(maskOutputLine(message));
    if (e.startTime) out.startedAt = e.startTime.getTime();
    return out;
  });
}
