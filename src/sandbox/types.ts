import type { CodeDeployData } from './codedeploy/types.js';

/**
 * The sandbox's persisted world: what Lambda and CloudWatch would hold server-side, plus the
 * history the traffic model replays. Plain JSON so it can live in a state file.
 */

/** simulated time = simOriginMs + (real - realOriginMs) × speed. */
export interface ClockInfo {
  simOriginMs: number;
  realOriginMs: number;
  speed: number;
}

/** A function version's configuration (`$LATEST` or a published, immutable version). */
export interface FunctionConfig {
  version: string;
  description: string;
  role: string;
  handler?: string;
  runtime?: string;
  memorySize: number;
  /** Seconds. */
  timeout: number;
  environment: Record<string, string>;
  deadLetterTargetArn?: string;
  codeSha256: string;
  codeSize: number;
  packageType: 'Zip' | 'Image';
  imageUri?: string;
  /** The digest URI Lambda resolved imageUri to (`repo@sha256:…`). */
  resolvedImageUri?: string;
  imageConfig?: ImageConfigData;
  /** A published image version is Pending (being optimised) until this simulated time or a read. */
  optimizedAtMs?: number;
  architectures: string[];
  layers: string[];
  tracingMode: string;
  ephemeralStorage: number;
  revisionId: string;
  lastModifiedMs: number;
}

/** ImageConfig as Lambda takes and returns it. */
export interface ImageConfigData {
  EntryPoint?: string[];
  Command?: string[];
  WorkingDirectory?: string;
}

export interface EventInvokeConfigData {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  lastModifiedMs: number;
}

export interface EventSourceMappingData {
  uuid: string;
  eventSourceArn: string;
  /** The function ARN as created: qualified (`…:fn:live`, `…:fn:7`) or not. */
  functionArn: string;
  state: 'Enabled' | 'Disabled';
  lastModifiedMs: number;
}

export interface ProvisionedConcurrencyData {
  requested: number;
  lastModifiedMs: number;
  /** Allocation in progress: reads left before READY, and the simulated time it is READY anyway. */
  readsLeft: number;
  readyAtMs: number;
}

export interface UpdateStatus {
  state: 'Pending' | 'Active';
  lastUpdateStatus: 'InProgress' | 'Successful';
  reason?: string;
  reasonCode?: string;
  /** Reads (GetFunction/GetFunctionConfiguration) left before the update completes. */
  readsLeft: number;
  /** Simulated ms at which the update completes on its own. */
  settlesAtMs: number;
}

export interface AliasData {
  name: string;
  functionVersion: string;
  /** RoutingConfig.AdditionalVersionWeights. */
  weights: Record<string, number>;
  description: string;
  revisionId: string;
}

/** What the traffic model replays: every change that affects generated invocations. */
export type TrafficEvent =
  | { at: number; kind: 'alias'; alias: string; version: string; weights: Record<string, number> }
  | { at: number; kind: 'rpm'; rpm: number }
  | { at: number; kind: 'latest'; environment: Record<string, string>; timeout: number };

export interface FunctionData {
  name: string;
  createdAtMs: number;
  latest: FunctionConfig;
  status: UpdateStatus;
  versions: Record<string, FunctionConfig>;
  nextVersion: number;
  /** `$LATEST` revision the newest version was published from (PublishVersion idempotence). */
  lastPublishedFingerprint?: string;
  aliases: Record<string, AliasData>;
  tags: Record<string, string>;
  /** Event invoke configs by qualifier (`$LATEST`, a version or an alias). */
  eventInvokeConfigs?: Record<string, EventInvokeConfigData>;
  /** Provisioned concurrency by qualifier (an alias or a version). */
  provisionedConcurrency?: Record<string, ProvisionedConcurrencyData>;
  history: TrafficEvent[];
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface DimensionData {
  Name: string;
  Value: string;
}

/** A GetMetricData-style query as stored on a metric-math alarm. */
export interface MetricQueryData {
  Id: string;
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions?: DimensionData[] };
    Period: number;
    Stat: string;
    Unit?: string;
  };
}

export interface AlarmData {
  kind: 'metric' | 'composite';
  name: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  // Metric alarms.
  namespace?: string;
  metricName?: string;
  dimensions?: DimensionData[];
  statistic?: string;
  extendedStatistic?: string;
  period?: number;
  unit?: string;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  threshold?: number;
  comparisonOperator?: string;
  treatMissingData?: string;
  metrics?: MetricQueryData[];
  // Composite alarms.
  alarmRule?: string;
  // State.
  stateValue: AlarmStateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedMs: number;
  stateTransitionedMs: number;
  configUpdatedMs: number;
  /** The last minute boundary this alarm was evaluated at. */
  lastTickMs: number;
  /** Its last state changes, oldest first (DescribeAlarmHistory; alarm-history.ts). */
  stateHistory?: AlarmHistoryEntry[];
}

export interface AlarmHistoryEntry {
  atMs: number;
  from: AlarmStateValue;
  to: AlarmStateValue;
  reason: string;
}

/** PutMetricData points aggregated per metric and minute. */
export interface CustomMetricData {
  namespace: string;
  metricName: string;
  dimensions: DimensionData[];
  unit?: string;
  /** minute start ms → [count, sum, min, max, [value, weight]...] */
  minutes: Record<string, CustomMinute>;
}

export interface CustomMinute {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Flattened [value, weight, value, weight, …]. */
  values: number[];
}

export interface SandboxData {
  format: 1;
  seed: number;
  region: string;
  accountId: string;
  clock: ClockInfo;
  /** Simulated ms the sandbox first started: scenario times (`at: 5m`) count from here. */
  startedAtMs: number;
  /** Positions in the seeded random streams that depend on call order. */
  counters: { ids: number; api: number; invoke: number };
  functions: Record<string, FunctionData>;
  alarms: Record<string, AlarmData>;
  customMetrics: Record<string, CustomMetricData>;
  /** The container registry: image tag URI → `sha256:<hex>` it points at (POST /__lshift/images). */
  images?: Record<string, string>;
  eventSourceMappings?: EventSourceMappingData[];
  /** CodeDeploy applications, groups, configs and deployments (created on first use). */
  codeDeploy?: CodeDeployData;
}

export interface ResolvedVersionFault {
  function: string;
  version: string;
  fromMs: number;
  untilMs: number;
  errorRate?: number;
  p50Ms?: number;
  p99Ms?: number;
  latencyFactor?: number;
  throttleRate?: number;
}

export interface TrafficCell {
  alias: string;
  version: string;
  invocations: number;
  errors: number;
  throttles: number;
  /** Durations (ms) of the invocations, ascending. */
  durations: Float64Array;
}
