/**
 * The one declaration of the deploy options that a config file may hold: names, types, allowed
 * values and descriptions. From it come the config type (`LshiftConfig`, json-schema-to-ts
 * `FromSchema`), the config validation (ajv), the shipped `lshift.schema.json` (editors;
 * `npm run docs:schema`), the deploy flags of those options (deploy-flags.ts) and the
 * `DeployFlags` type. Keys are the long flag names; `alarms` and `hooks` are the config forms of
 * the repeatable `--alarm` and `--<phase>-hook` flags.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { AnalysisConfigInput } from '../domain/analysis/config.js';

const HOOK_ENTRY = {
  anyOf: [
    { type: 'string' },
    {
      type: 'object',
      required: ['spec'],
      additionalProperties: false,
      properties: {
        spec: { type: 'string', description: 'the hook spec, as for the flag' },
        timeout: { type: 'string', description: 'this hook’s timeout, e.g. 10m; at most 1h' },
      },
    },
  ],
} as const;
const hookList = (description: string) => ({ type: 'array', items: HOOK_ENTRY, description }) as const;
const text = (description: string) => ({ type: 'string', description }) as const;
const textOrNumber = (description: string) => ({ type: ['string', 'number'], description }) as const;
const flag = (description: string) => ({ type: 'boolean', description }) as const;

/**
 * The canary-analysis options: spread into CONFIG_SCHEMA and, camel-cased, the domain's
 * `AnalysisConfigInput` (deploy-options.ts reads exactly these keys; the type check below fails
 * when the two name different options).
 */
const ANALYSIS_PROPERTIES = {
  'max-error-rate': textOrNumber('absolute gate: highest error rate of the new version, e.g. 1%'),
  'max-p50': text('absolute gate: highest p50 latency, e.g. 200ms'),
  'max-p90': text('absolute gate: highest p90 latency, e.g. 500ms'),
  'max-p99': text('absolute gate: highest p99 latency, e.g. 800ms'),
  'max-throttles': {
    type: 'integer',
    minimum: 0,
    description: 'absolute gate: most throttles of the new version since the deployment started',
  },
  'max-error-rate-increase': textOrNumber(
    'relative gate: allowed error-rate increase over stable in percentage points, or off [default: 0.5pp]',
  ),
  'max-latency-increase': textOrNumber(
    'relative gate: allowed p99 latency increase over stable, e.g. 20% or 20%@p90, or off [default: 20%]',
  ),
  confidence: textOrNumber('confidence of the relative gates’ tests [default: 99%]'),
  'min-invocations': {
    type: 'integer',
    minimum: 0,
    // MAX_MIN_INVOCATIONS (src/domain/analysis/config.ts): a 14-day bake at 50,000 requests a minute.
    maximum: 1_000_000_000,
    description:
      'invocations of the new version (in the minutes compared with stable, over the whole deployment) before the relative gates can judge, at most 1000000000 [default: 100]',
  },
  'on-inconclusive': {
    enum: ['continue', 'fail'],
    description: 'when a step could not be judged: continue (default) or fail',
  },
  'ignore-metric-errors': flag('do not roll back when the metrics API keeps failing'),
} as const;

export type AnalysisOptionKey = keyof typeof ANALYSIS_PROPERTIES;
export const ANALYSIS_OPTION_KEYS = Object.keys(ANALYSIS_PROPERTIES) as AnalysisOptionKey[];

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'lshift config file (lshift.config.json|yaml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: text(
      'the JSON schema of this file, for editors (e.g. ./node_modules/lshift/lshift.schema.json)',
    ),
    alias: text('alias to act on [default: live]'),
    region: text('AWS region (default: AWS_REGION or the profile’s region)'),
    profile: text('named profile from the AWS config files'),
    'endpoint-url': text('send AWS requests to this endpoint (LocalStack, a sandbox)'),
    strategy: text('strategy (see `lshift plan --help`) [default: Canary10Percent5Minutes]'),
    alarms: {
      type: 'array',
      items: { type: 'string' },
      description:
        'CloudWatch alarms to watch; `{function}` stands for the function’s name and `{alias}` for the alias; `{{` and `}}` are a literal brace; any other `{` or `}` is refused (exit 2)',
    },
    interval: text('health poll period, 1s to 1m; each poll also writes the heartbeat [default: 10s]'),
    bake: text('keep watching for this long after 100% (e.g. 10m), at most 14d'),
    settle: text(
      'longest wait before 100% (2 more minutes held at the last weight, and their metrics awaited) and at the end of a bake; 0 = off, at most 1h [default: 6m]',
    ),
    'health-error-limit': {
      type: 'integer',
      minimum: 1,
      // Unreadable health is never healthy: a huge limit would shift blind to the end.
      maximum: 10,
      description: 'roll back after this many consecutive unreadable health polls, 1 to 10 [default: 3]',
    },
    'ignore-initial-alarms': flag('start even if an alarm is already in ALARM'),
    warm: flag(
      'before any traffic moves, put temporary provisioned concurrency on the new version (sized like the stable version’s × the first weight), wait until READY, remove it when the deployment ends',
    ),
    'allow-long-shift': flag('allow a strategy longer than 48 hours, up to 30 days'),
    'on-interrupt': {
      enum: ['rollback', 'leave'],
      description: 'on Ctrl-C/SIGTERM: rollback (default) or leave the weights and pause',
    },
    'hook-timeout': text(
      'timeout of each hook, at most 1h, in real time (also against a sped-up sandbox: hooks are real programs and servers) [default: 5m]',
    ),
    hooks: {
      type: 'object',
      additionalProperties: false,
      description: 'hooks by phase: hook specs, or {spec, timeout}',
      properties: {
        pre: hookList('before any traffic moves'),
        step: hookList('before each weight increase after the first'),
        post: hookList('after 100% (and after the bake)'),
        rollback: hookList('after a rollback; never blocks'),
      },
    },
    engine: {
      enum: ['native', 'codedeploy'],
      description:
        'who moves the traffic: native (lshift writes the alias weights) or codedeploy (AWS CodeDeploy runs the shift; docs/codedeploy.md) [default: native]',
    },
    application: text('--engine codedeploy: the CodeDeploy application [default: lshift-<function>]'),
    'deployment-group': text('--engine codedeploy: the deployment group [default: <function>-<alias>]'),
    ...ANALYSIS_PROPERTIES,
    stagger: flag(
      'a release of several functions: shift one function after the other (canary first, in the order given) instead of all in lockstep',
    ),
    functions: {
      type: 'array',
      minItems: 1,
      description:
        'a release: the functions `lshift deploy` with no function argument deploys as one (names, or objects with per-function settings)',
      items: {
        anyOf: [
          { type: 'string' },
          {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: text('function name or ARN'),
              alias: text('this function’s alias [default: the release’s]'),
              alarms: {
                type: 'array',
                items: { type: 'string' },
                description: 'this function’s alarms (instead of the release’s)',
              },
              hooks: {
                type: 'object',
                additionalProperties: false,
                description: 'this function’s own hooks by phase (run for it alone)',
                properties: {
                  pre: hookList('before any traffic moves'),
                  step: hookList('before each weight increase after the first'),
                  post: hookList('after 100% (and after the bake)'),
                  rollback: hookList('after a rollback; never blocks'),
                },
              },
              // A number, as --version: `abc` was refused as "--version", naming no entry (hostile pass).
              version: {
                ...text('deploy this already published version (a number)'),
                pattern: '^[1-9][0-9]{0,9}$',
              },
              zip: text('zip file to upload before publishing'),
              's3-bucket': text('S3 bucket of the code to upload'),
              's3-key': text('S3 key of the code to upload'),
              'image-uri': text('container image URI to deploy'),
              // This function's canary-analysis gates (instead of the release's; flags still win).
              ...ANALYSIS_PROPERTIES,
            },
          },
        ],
      },
    },
    analysis: flag(
      'compare the new version with the stable one (on by default; --no-analysis turns the relative gates off)',
    ),
  },
} as const;

/** A config file's content as validated by CONFIG_SCHEMA (`$schema` is for editors only). */
export type LshiftConfig = Omit<FromSchema<typeof CONFIG_SCHEMA>, '$schema'>;

export type HookEntry = NonNullable<NonNullable<LshiftConfig['hooks']>['pre']>[number];

export type FunctionEntry = NonNullable<LshiftConfig['functions']>[number];

export type ConfigKey = keyof LshiftConfig;

/** The config keys that are not plain `--<key>` deploy flags (AWS flags are shared; lists are repeatable flags). */
export const NOT_DEPLOY_FLAGS = [
  'region',
  'profile',
  'endpoint-url',
  'alias',
  'alarms',
  'hooks',
  'functions',
] as const;

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
/** `max-p99` → `maxP99`: the domain's name of an analysis option. */
export function analysisInputKey<K extends AnalysisOptionKey>(key: K): CamelCase<K> {
  return key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as CamelCase<K>;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AssertTrue<T extends true> = T;
/** Fails to compile when the schema's analysis options and `AnalysisConfigInput` differ. */
export type AnalysisOptionsMatch = AssertTrue<Same<CamelCase<AnalysisOptionKey>, keyof AnalysisConfigInput>>;
