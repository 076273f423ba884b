/**
 * What lshift needs from AWS CodeDeploy (Lambda compute platform): applications, deployment
 * groups and configs for `lshift codedeploy init`, and deployments for `deploy --engine
 * codedeploy`. Implemented by src/aws/codedeploy-adapter.ts (real SDK) and fakes in tests.
 */
import type { TimeBasedRouting } from '../domain/codedeploy-plan.js';

export interface DeploymentGroupSpec {
  application: string;
  group: string;
  serviceRoleArn: string;
  /** Default config of the group; each deployment names its own anyway. */
  config: string;
  alarms: string[];
}

export interface DeploymentGroupInfo {
  application: string;
  group: string;
  serviceRoleArn?: string;
  config?: string;
  /** BLUE_GREEN + WITH_TRAFFIC_CONTROL for a Lambda group. */
  deploymentType?: string;
  deploymentOption?: string;
  alarms: string[];
  alarmsEnabled: boolean;
  /** The events that roll back automatically (DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM…). */
  autoRollbackEvents: string[];
}

/** CodeDeploy's deployment statuses (API_DeploymentInfo.html). */
export type DeploymentStatus =
  | 'Created'
  | 'Queued'
  | 'InProgress'
  | 'Baking'
  | 'Succeeded'
  | 'Failed'
  | 'Stopped'
  | 'Ready';

export interface DeploymentInfo {
  id: string;
  status: DeploymentStatus;
  application?: string;
  group?: string;
  config?: string;
  /** errorInformation: why it failed or stopped, as CodeDeploy says it. */
  error?: { code?: string; message?: string };
  /** rollbackInfo.rollbackMessage and the rollback deployment, when CodeDeploy rolled back. */
  rollback?: { deploymentId?: string; message?: string };
  /**
   * rollbackInfo.rollbackTriggeringDeploymentId: set on the deployment CodeDeploy runs to roll
   * another one back (its own rollback of that deployment, not a stranger's).
   */
  rolledBackDeploymentId?: string;
  /** The description given to CreateDeployment (lshift's carries its run token). */
  description?: string;
  createdAt?: number;
  completedAt?: number;
  /** The Lambda target its AppSpec names (revision.appSpecContent), when it could be read. */
  target?: AppSpecTarget;
}

export interface AppSpecTarget {
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
}

/** One lifecycle event of a Lambda target (BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic). */
export interface LifecycleEventInfo {
  name: string;
  /** Pending, InProgress, Succeeded, Failed, Skipped, Unknown. */
  status: string;
  /** diagnostics.message / errorCode when it failed. */
  message?: string;
  /** When it began (startTime), epoch ms; AllowTraffic's is when CodeDeploy's schedule starts. */
  startedAt?: number;
}

export interface CreateDeploymentInput {
  application: string;
  group: string;
  config: string;
  /** The AppSpec as JSON (buildAppSpec). */
  appSpec: string;
  description?: string;
}

/**
 * What a create call got: `exists` when CodeDeploy answered that one of that name exists already
 * (…AlreadyExistsException) — made by another run at the same moment, or by this run's own
 * attempt whose answer was lost and that the SDK sent again. Not written over: read it back.
 */
export type CreateAnswer = 'created' | 'exists';

export interface CodeDeployPort {
  /** Undefined when the application does not exist; `computePlatform` as CodeDeploy says. */
  getApplication(name: string): Promise<{ name: string; computePlatform?: string } | undefined>;
  createApplication(name: string): Promise<CreateAnswer>;
  getDeploymentGroup(application: string, group: string): Promise<DeploymentGroupInfo | undefined>;
  createDeploymentGroup(spec: DeploymentGroupSpec): Promise<CreateAnswer>;
  updateDeploymentGroup(spec: DeploymentGroupSpec): Promise<void>;
  /** Undefined when no config of that name exists. */
  getDeploymentConfig(name: string): Promise<{ name: string; routing?: TimeBasedRouting } | undefined>;
  createDeploymentConfig(name: string, routing: TimeBasedRouting): Promise<CreateAnswer>;
  /** Starts a deployment; returns its id (`d-…`). */
  createDeployment(input: CreateDeploymentInput): Promise<string>;
  getDeployment(id: string): Promise<DeploymentInfo>;
  /**
   * The ids of the group's deployments that have not ended (ListDeployments with
   * includeOnlyStatuses of every unfinished status), all pages.
   */
  listActiveDeployments(application: string, group: string): Promise<string[]>;
  /**
   * The ids of the group's deployments created at or after `sinceMs`, whatever their status
   * (ListDeployments with createTimeRange), all pages: after a lost CreateDeployment answer, ours
   * may already have ended.
   */
  listDeploymentsSince(application: string, group: string, sinceMs: number): Promise<string[]>;
  /**
   * `stopping`: CodeDeploy took the stop. `already-ended`: it had completed between the caller's
   * last read and the request (DeploymentAlreadyCompletedException): nothing was stopped, and
   * its next read says how it ended. A race, not a failure: a Ctrl-C a moment late meets it.
   * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html#API_StopDeployment_Errors
   */
  stopDeployment(id: string, autoRollback: boolean): Promise<StopAnswer>;
  /**
   * The lifecycle events (hook results) of a Lambda deployment's target (ListDeploymentTargets,
   * GetDeploymentTarget). Undefined when CodeDeploy has no target for it (yet).
   */
  getLifecycleEvents(deploymentId: string): Promise<LifecycleEventInfo[] | undefined>;
}

/** What StopDeployment answered (CodeDeployPort.stopDeployment). */
export type StopAnswer = 'stopping' | 'already-ended';
