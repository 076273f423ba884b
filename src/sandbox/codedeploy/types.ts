/**
 * What CodeDeploy holds server-side for the sandbox (Lambda compute platform only): applications
 * with their deployment groups, custom deployment configs, and deployments with their one Lambda
 * target. Plain JSON so it lives in the state file with the rest of the world.
 */

export interface AlarmConfigData {
  enabled: boolean;
  ignorePollAlarmFailure: boolean;
  alarms: string[];
}

export interface AutoRollbackData {
  enabled: boolean;
  events: string[];
}

export interface DeploymentRef {
  deploymentId: string;
  status: DeploymentStatus;
  createMs: number;
  endMs?: number;
}

export interface GroupData {
  id: string;
  name: string;
  deploymentConfigName: string;
  serviceRoleArn: string;
  alarmConfiguration: AlarmConfigData;
  autoRollback: AutoRollbackData;
  deploymentType: string;
  deploymentOption: string;
  lastAttempted?: DeploymentRef;
  lastSuccessful?: DeploymentRef;
}

export interface ApplicationData {
  id: string;
  name: string;
  computePlatform: 'Lambda';
  createdMs: number;
  groups: Record<string, GroupData>;
}

/** TrafficRoutingConfig as the API takes and returns it. */
export interface TrafficRoutingData {
  type: 'TimeBasedCanary' | 'TimeBasedLinear' | 'AllAtOnce';
  timeBasedCanary?: { canaryPercentage: number; canaryInterval: number };
  timeBasedLinear?: { linearPercentage: number; linearInterval: number };
}

export interface DeploymentConfigData {
  id: string;
  name: string;
  createdMs: number;
  trafficRouting: TrafficRoutingData;
}

export type DeploymentStatus =
  | 'Created'
  | 'Queued'
  | 'InProgress'
  | 'Baking'
  | 'Succeeded'
  | 'Failed'
  | 'Stopped'
  | 'Ready';

export type EventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';

export type LifecycleEventName = 'BeforeAllowTraffic' | 'AllowTraffic' | 'AfterAllowTraffic';

export interface LifecycleEventData {
  name: LifecycleEventName;
  status: EventStatus;
  startMs?: number;
  endMs?: number;
  /** Diagnostics of a failed hook (LifecycleErrorCode and message). */
  errorCode?: 'ScriptMissing' | 'ScriptFailed' | 'ScriptTimedOut';
  message?: string;
}

/** One hook function call waiting for its PutLifecycleEventHookExecutionStatus. */
export interface HookRunData {
  event: 'BeforeAllowTraffic' | 'AfterAllowTraffic';
  executionId: string;
  functionName: string;
  invokedMs: number;
  timeoutAtMs: number;
  /** Set once reported (by the hook function's sandbox behaviour or a PutLifecycleEventHookExecutionStatus call). */
  reportAtMs?: number;
  reportStatus?: 'Succeeded' | 'Failed';
}

export interface LambdaTargetData {
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  /** Share of traffic on the target version, 0–1. */
  weight: number;
  lastUpdatedMs: number;
}

/** Where a deployment is: its phase and, while shifting, the schedule and the next step. */
export type PhaseData =
  | { kind: 'created' }
  | { kind: 'hook'; run: HookRunData }
  | { kind: 'shift'; steps: { atMs: number; weight: number }[]; next: number }
  | { kind: 'done' };

export interface DeploymentData {
  id: string;
  applicationName: string;
  /** Groups can be renamed (UpdateDeploymentGroup): the id finds it. */
  groupId: string;
  configName: string;
  description?: string;
  creator: 'user' | 'codeDeployRollback';
  status: DeploymentStatus;
  createMs: number;
  startMs?: number;
  completeMs?: number;
  appSpec: { content: string; sha256: string };
  hooks: { BeforeAllowTraffic?: string; AfterAllowTraffic?: string };
  target: LambdaTargetData;
  events: LifecycleEventData[];
  phase: PhaseData;
  /** Overrides the group's auto-rollback (CreateDeployment autoRollbackConfiguration). */
  autoRollback?: AutoRollbackData;
  /** The last simulated time the group's alarms were checked. */
  alarmsCheckedMs?: number;
  /** Every hook execution id handed out (PutLifecycleEventHookExecutionStatus checks them). */
  hookExecutions: string[];
  errorInformation?: { code: string; message: string };
  rollbackInfo?: {
    rollbackDeploymentId?: string;
    rollbackTriggeringDeploymentId?: string;
    rollbackMessage?: string;
  };
}

/** A hook function call as the function received it (GET /__lshift/hook-invocations). */
export interface HookInvocationData {
  functionName: string;
  event: 'BeforeAllowTraffic' | 'AfterAllowTraffic';
  atMs: number;
  payload: { DeploymentId: string; LifecycleEventHookExecutionId: string };
}

export interface CodeDeployData {
  applications: Record<string, ApplicationData>;
  configs: Record<string, DeploymentConfigData>;
  deployments: Record<string, DeploymentData>;
  /** The newest hook invocations (at most 100). */
  hookInvocations?: HookInvocationData[];
}
