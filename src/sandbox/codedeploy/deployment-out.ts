/**
 * DeploymentInfo and the Lambda target as GetDeployment and GetDeploymentTarget return them.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_LambdaTarget.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_LambdaFunctionInfo.html
 */
import type { Sandbox } from '../sandbox.js';
import { effectiveRollback, groupOf } from './finish.js';
import { type Input, seconds } from './input.js';
import type { DeploymentData } from './types.js';

export function deploymentOut(sb: Sandbox, d: DeploymentData): Input {
  return {
    applicationName: d.applicationName,
    deploymentGroupName: groupOf(sb, d)?.name,
    deploymentConfigName: d.configName,
    deploymentId: d.id,
    revision: { revisionType: 'AppSpecContent', appSpecContent: d.appSpec },
    status: d.status,
    ...(d.errorInformation ? { errorInformation: d.errorInformation } : {}),
    createTime: seconds(d.createMs),
    startTime: seconds(d.startMs),
    completeTime: seconds(d.completeMs),
    deploymentOverview: overview(d),
    description: d.description,
    creator: d.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: effectiveRollback(sb, d),
    updateOutdatedInstancesOnly: false,
    ...(d.rollbackInfo ? { rollbackInfo: d.rollbackInfo } : {}),
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    instanceTerminationWaitTimeStarted: false,
    computePlatform: 'Lambda',
  };
}

/** The one target's status, counted the way DeploymentOverview counts targets. */
export function targetStatus(d: DeploymentData): string {
  if (d.status === 'Created' || d.status === 'Queued') return 'Pending';
  if (d.status === 'Succeeded') return 'Succeeded';
  if (d.status === 'Failed' || d.status === 'Stopped') return 'Failed';
  return 'InProgress';
}

function overview(d: DeploymentData): Input {
  const counts: Record<string, number> = {
    Pending: 0,
    InProgress: 0,
    Succeeded: 0,
    Failed: 0,
    Skipped: 0,
    Ready: 0,
  };
  counts[targetStatus(d)]! += 1;
  return counts;
}

/**
 * "For deployments that use the AWS Lambda compute platform, the target IDs are the names of
 * Lambda functions" (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BatchGetDeploymentTargets.html).
 */
export function targetId(d: DeploymentData): string {
  return d.target.functionName;
}

export function lambdaTargetOut(sb: Sandbox, d: DeploymentData): Input {
  const { target } = d;
  return {
    deploymentId: d.id,
    targetId: targetId(d),
    targetArn: sb.functionArn(target.functionName, target.alias),
    status: targetStatus(d),
    lastUpdatedAt: seconds(Math.max(target.lastUpdatedMs, d.completeMs ?? 0, d.startMs ?? 0)),
    lifecycleEvents: d.events.map((e) => ({
      lifecycleEventName: e.name,
      status: e.status,
      ...(e.startMs === undefined ? {} : { startTime: seconds(e.startMs) }),
      ...(e.endMs === undefined ? {} : { endTime: seconds(e.endMs) }),
      ...(e.errorCode
        ? {
            diagnostics: {
              errorCode: e.errorCode,
              scriptName: d.hooks[e.name as 'BeforeAllowTraffic'],
              message: e.message,
            },
          }
        : {}),
    })),
    lambdaFunctionInfo: {
      functionName: target.functionName,
      functionAlias: target.alias,
      currentVersion: target.currentVersion,
      targetVersion: target.targetVersion,
      // "The percentage of production traffic that the target version … receives": 0–100.
      targetVersionWeight: Math.round(target.weight * 10_000) / 100,
    },
  };
}
