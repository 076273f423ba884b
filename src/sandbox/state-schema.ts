/**
 * The shape of a state file (SandboxData, ./types.ts) as a JSON schema: a file that parses but
 * holds something else (hand-edited, another program's, truncated by a bad merge) is refused at
 * start, naming its first wrong field, instead of failing requests later with a TypeError.
 * Fields the sandbox never reads are not checked; unknown fields are allowed.
 */

const str = { type: 'string' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const strList = { type: 'array', items: str } as const;
const strMap = { type: 'object', additionalProperties: str } as const;
const numList = { type: 'array', items: num } as const;

function obj(required: Record<string, object>, optional: Record<string, object> = {}): object {
  return {
    type: 'object',
    required: Object.keys(required),
    properties: { ...required, ...optional },
  };
}

const mapOf = (value: object) => ({ type: 'object', additionalProperties: value });
const listOf = (item: object) => ({ type: 'array', items: item });

/** An object whose `kind` (or another tag) picks the fields it must have. */
function tagged(tag: string, variants: Record<string, object>, base: Record<string, object> = {}): object {
  return {
    type: 'object',
    required: [...Object.keys(base), tag],
    properties: { ...base, [tag]: { enum: Object.keys(variants) } },
    allOf: Object.entries(variants).map(([value, then]) => ({
      if: { properties: { [tag]: { const: value } } },
      then,
    })),
  };
}

const dimensions = listOf(obj({ Name: str, Value: str }));

const functionConfig = obj(
  {
    version: str,
    description: str,
    role: str,
    memorySize: num,
    timeout: num,
    environment: strMap,
    codeSha256: str,
    codeSize: num,
    packageType: { enum: ['Zip', 'Image'] },
    architectures: strList,
    layers: strList,
    tracingMode: str,
    ephemeralStorage: num,
    revisionId: str,
    lastModifiedMs: num,
  },
  {
    handler: str,
    runtime: str,
    deadLetterTargetArn: str,
    imageUri: str,
    resolvedImageUri: str,
    imageConfig: obj({}, { EntryPoint: strList, Command: strList, WorkingDirectory: str }),
    optimizedAtMs: num,
  },
);

const weights = mapOf({ type: 'number', minimum: 0, maximum: 1 });

const trafficEvent = tagged(
  'kind',
  {
    alias: obj({ alias: str, version: str, weights }),
    rpm: obj({ rpm: { type: 'number', minimum: 0 } }),
    latest: obj({ environment: strMap, timeout: num }),
  },
  { at: num },
);

const functionData = obj(
  {
    name: str,
    createdAtMs: num,
    latest: functionConfig,
    status: obj({
      state: { enum: ['Pending', 'Active'] },
      lastUpdateStatus: { enum: ['InProgress', 'Successful'] },
      readsLeft: num,
      settlesAtMs: num,
    }),
    versions: mapOf(functionConfig),
    nextVersion: { type: 'integer', minimum: 1 },
    aliases: mapOf(obj({ name: str, functionVersion: str, weights, description: str, revisionId: str })),
    tags: strMap,
    history: listOf(trafficEvent),
  },
  {
    lastPublishedFingerprint: str,
    eventInvokeConfigs: mapOf(
      obj(
        { lastModifiedMs: num },
        { maximumRetryAttempts: num, maximumEventAgeInSeconds: num, onSuccess: str, onFailure: str },
      ),
    ),
    provisionedConcurrency: mapOf(
      obj({ requested: num, lastModifiedMs: num, readsLeft: num, readyAtMs: num }),
    ),
  },
);

const metricQuery = obj(
  { Id: str },
  {
    Expression: str,
    Label: str,
    ReturnData: bool,
    Period: num,
    MetricStat: obj(
      {
        Metric: obj({ Namespace: str, MetricName: str }, { Dimensions: dimensions }),
        Period: num,
        Stat: str,
      },
      { Unit: str },
    ),
  },
);

const alarm = obj(
  {
    kind: { enum: ['metric', 'composite'] },
    name: str,
    actionsEnabled: bool,
    okActions: strList,
    alarmActions: strList,
    insufficientDataActions: strList,
    stateValue: { enum: ['OK', 'ALARM', 'INSUFFICIENT_DATA'] },
    stateReason: str,
    stateUpdatedMs: num,
    stateTransitionedMs: num,
    configUpdatedMs: num,
    lastTickMs: num,
  },
  {
    description: str,
    namespace: str,
    metricName: str,
    dimensions,
    statistic: str,
    extendedStatistic: str,
    period: num,
    unit: str,
    evaluationPeriods: num,
    datapointsToAlarm: num,
    threshold: num,
    comparisonOperator: str,
    treatMissingData: str,
    metrics: listOf(metricQuery),
    alarmRule: str,
    stateReasonData: str,
    stateHistory: listOf(
      obj({
        atMs: num,
        from: { enum: ['OK', 'ALARM', 'INSUFFICIENT_DATA'] },
        to: { enum: ['OK', 'ALARM', 'INSUFFICIENT_DATA'] },
        reason: str,
      }),
    ),
  },
);

const customMetric = obj(
  {
    namespace: str,
    metricName: str,
    dimensions,
    minutes: mapOf(obj({ count: num, sum: num, min: num, max: num, values: numList })),
  },
  { unit: str },
);

const deploymentStatus = {
  enum: ['Created', 'Queued', 'InProgress', 'Baking', 'Succeeded', 'Failed', 'Stopped', 'Ready'],
};
const deploymentRef = obj({ deploymentId: str, status: deploymentStatus, createMs: num }, { endMs: num });
const autoRollback = obj({ enabled: bool, events: strList });
const hookRun = obj({
  event: { enum: ['BeforeAllowTraffic', 'AfterAllowTraffic'] },
  executionId: str,
  functionName: str,
  invokedMs: num,
  timeoutAtMs: num,
});

const codeDeploy = obj(
  {
    applications: mapOf(
      obj({
        id: str,
        name: str,
        computePlatform: { const: 'Lambda' },
        createdMs: num,
        groups: mapOf(
          obj(
            {
              id: str,
              name: str,
              deploymentConfigName: str,
              serviceRoleArn: str,
              alarmConfiguration: obj({ enabled: bool, ignorePollAlarmFailure: bool, alarms: strList }),
              autoRollback,
              deploymentType: str,
              deploymentOption: str,
            },
            { lastAttempted: deploymentRef, lastSuccessful: deploymentRef },
          ),
        ),
      }),
    ),
    configs: mapOf(
      obj({
        id: str,
        name: str,
        createdMs: num,
        trafficRouting: obj({ type: { enum: ['TimeBasedCanary', 'TimeBasedLinear', 'AllAtOnce'] } }),
      }),
    ),
    deployments: mapOf(
      obj(
        {
          id: str,
          applicationName: str,
          groupId: str,
          configName: str,
          creator: { enum: ['user', 'codeDeployRollback'] },
          status: deploymentStatus,
          createMs: num,
          appSpec: obj({ content: str, sha256: str }),
          hooks: obj({}, { BeforeAllowTraffic: str, AfterAllowTraffic: str }),
          target: obj({
            functionName: str,
            alias: str,
            currentVersion: str,
            targetVersion: str,
            weight: { type: 'number', minimum: 0, maximum: 1 },
            lastUpdatedMs: num,
          }),
          events: listOf(obj({ name: str, status: str })),
          phase: tagged('kind', {
            created: {},
            hook: obj({ run: hookRun }),
            shift: obj({ steps: listOf(obj({ atMs: num, weight: num })), next: count }),
            done: {},
          }),
          hookExecutions: strList,
        },
        { startMs: num, completeMs: num, alarmsCheckedMs: num, autoRollback },
      ),
    ),
  },
  { hookInvocations: listOf(obj({ functionName: str, event: str, atMs: num })) },
);

export const STATE_FILE_SCHEMA = obj(
  {
    format: { const: 1 },
    seed: { type: 'integer' },
    region: str,
    accountId: str,
    clock: obj({
      simOriginMs: num,
      realOriginMs: num,
      speed: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 },
    }),
    startedAtMs: num,
    counters: obj({ ids: count, api: count, invoke: count }),
    functions: mapOf(functionData),
    alarms: mapOf(alarm),
    customMetrics: mapOf(customMetric),
  },
  {
    images: strMap,
    eventSourceMappings: listOf(
      obj({
        uuid: str,
        eventSourceArn: str,
        functionArn: str,
        state: { enum: ['Enabled', 'Disabled'] },
        lastModifiedMs: num,
      }),
    ),
    codeDeploy,
  },
);
