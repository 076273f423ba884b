/**
 * The flags of `lshift deploy`. The options a config file may also hold are generated from
 * CONFIG_SCHEMA (option-schema.ts): name, type, allowed values, description; only how --help
 * groups them is said here. The flags that exist only on the command line (code source,
 * --resume, --dry-run, the sandbox) are declared below. `DeployFlags` is inferred from all of it.
 */
import { Flags, type Interfaces } from '@oclif/core';
import { SANDBOX_SPEED } from '../domain/sandbox-speed.js';
import { aliasFlag, awsFlags, configFlag, progressFlags, REPEATABLE } from './flags.js';
import { CONFIG_SCHEMA, NOT_DEPLOY_FLAGS } from './option-schema.js';
import { SANDBOX_SCENARIO_NAMES } from './sandbox-session.js';

type Props = typeof CONFIG_SCHEMA.properties;
type OptionKey = Exclude<keyof Props, '$schema' | (typeof NOT_DEPLOY_FLAGS)[number]>;
type FlagOf<S> = S extends { type: 'boolean' }
  ? Interfaces.BooleanFlag<boolean>
  : S extends { type: 'integer' }
    ? Interfaces.OptionFlag<number | undefined>
    : Interfaces.OptionFlag<string | undefined>;

/** --help groups; an option not listed here shows among the plain flags. */
const HELP_GROUPS: Partial<Record<OptionKey, string>> = {
  interval: 'HEALTH',
  bake: 'HEALTH',
  settle: 'HEALTH',
  'health-error-limit': 'HEALTH',
  'ignore-initial-alarms': 'HEALTH',
  'hook-timeout': 'HOOKS',
  analysis: 'ANALYSIS',
  'max-error-rate': 'ANALYSIS',
  'max-p50': 'ANALYSIS',
  'max-p90': 'ANALYSIS',
  'max-p99': 'ANALYSIS',
  'max-throttles': 'ANALYSIS',
  'max-error-rate-increase': 'ANALYSIS',
  'max-latency-increase': 'ANALYSIS',
  confidence: 'ANALYSIS',
  'min-invocations': 'ANALYSIS',
  'on-inconclusive': 'ANALYSIS',
  'ignore-metric-errors': 'ANALYSIS',
  engine: 'ENGINE',
  application: 'ENGINE',
  'deployment-group': 'ENGINE',
};

const EXTRAS: Partial<Record<OptionKey, { char?: 's'; allowNo?: boolean }>> = {
  strategy: { char: 's' },
  analysis: { allowNo: true },
  // The config file's `stagger: true` can be switched off for one run.
  stagger: { allowNo: true },
};

interface PropertySchema {
  type?: unknown;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  description: string;
}

/** The oclif flag of one config option, from its schema. */
export function flagFromSchema<K extends OptionKey>(key: K): FlagOf<Props[K]> {
  const schema: PropertySchema = CONFIG_SCHEMA.properties[key];
  const common = { description: schema.description, helpGroup: HELP_GROUPS[key], ...EXTRAS[key] };
  if (schema.type === 'boolean') return Flags.boolean(common) as FlagOf<Props[K]>;
  if (schema.type === 'integer')
    return Flags.integer({ ...common, min: schema.minimum, max: schema.maximum }) as FlagOf<Props[K]>;
  return Flags.string({ ...common, options: schema.enum ? [...schema.enum] : undefined }) as FlagOf<Props[K]>;
}

const OPTION_KEYS = Object.keys(CONFIG_SCHEMA.properties).filter(
  (key): key is OptionKey => key !== '$schema' && !(NOT_DEPLOY_FLAGS as readonly string[]).includes(key),
);

/** Every config option that is also a plain `--<key>` flag. */
export const OPTION_FLAGS = Object.fromEntries(OPTION_KEYS.map((key) => [key, flagFromSchema(key)])) as {
  [K in OptionKey]: FlagOf<Props[K]>;
};

const HOOK_HELP = 'lambda:<fn>[:<qualifier>], http(s)://…, cmd:<command>, invoke-target:<payload.json>[x<n>]';
const HOOK_SCHEMAS = CONFIG_SCHEMA.properties.hooks.properties;
const hookFlag = (phase: keyof typeof HOOK_SCHEMAS, more = '') =>
  Flags.string({
    description: `${HOOK_SCHEMAS[phase].description} (repeatable)${more}`,
    ...REPEATABLE,
    helpGroup: 'HOOKS',
  });

/** The repeatable hook flags (config: `hooks.<phase>`), shared with `lshift plan`. */
export const hookFlags = {
  'pre-hook': hookFlag('pre', `: ${HOOK_HELP}`),
  'step-hook': hookFlag('step'),
  'post-hook': hookFlag('post'),
  'rollback-hook': hookFlag('rollback'),
};

export const DEPLOY_FLAGS = {
  ...aliasFlag,
  ...OPTION_FLAGS,
  alarm: Flags.string({
    description: `${CONFIG_SCHEMA.properties.alarms.description} (repeatable; config: alarms)`,
    ...REPEATABLE,
    helpGroup: 'HEALTH',
  }),
  ...hookFlags,
  zip: Flags.string({ description: 'zip file to upload before publishing', helpGroup: 'CODE' }),
  's3-bucket': Flags.string({ description: 'S3 bucket of the code to upload', helpGroup: 'CODE' }),
  's3-key': Flags.string({ description: 'S3 key of the code to upload', helpGroup: 'CODE' }),
  'image-uri': Flags.string({ description: 'container image URI to deploy', helpGroup: 'CODE' }),
  version: Flags.string({
    description: 'deploy this already published version instead of publishing',
    helpGroup: 'CODE',
  }),
  resume: Flags.boolean({
    description:
      'continue the deployment recorded on the alias (its runner died, or it was paused); pass the same --alarm, hook, --bake, absolute gate (--max-…) and analysis flags (or --config) as the first run: other ones are refused',
  }),
  'guards-changed': Flags.boolean({
    dependsOn: ['resume'],
    description:
      '--resume: continue although the alarms, hooks, --bake, absolute gates or analysis settings differ from those the first run recorded (an alarm deleted, a hook retired); warns and records the new ones',
  }),
  'dry-run': Flags.boolean({
    description:
      'run the read-only checks and print the release program; write nothing (no upload, publish or alias change)',
  }),
  supersede: Flags.boolean({
    description:
      'roll back a deployment in progress on the alias, then start this one (every check of this one that does not need the old one gone runs first)',
  }),
  detach: Flags.boolean({
    helpGroup: 'ENGINE',
    description:
      "--engine codedeploy: print the CodeDeploy deployment id once it started and exit 0 (from then on only the deployment group's alarms watch it; the canary analysis does not run); follow it later with `lshift wait <id>`",
  }),
  sandbox: Flags.boolean({
    description: 'run against an in-process sandbox with a demo function (no AWS account)',
    helpGroup: 'SANDBOX',
  }),
  speed: Flags.string({
    description: `sandbox time compression, ${SANDBOX_SPEED.min} to ${SANDBOX_SPEED.max}: 60 = a simulated minute per real second [default: 60]`,
    helpGroup: 'SANDBOX',
  }),
  'sandbox-scenario': Flags.string({
    description: `what the demo’s new version does: ${SANDBOX_SCENARIO_NAMES.join('|')}, or <scenario>:<function> for one function of a release (repeatable) [default: healthy]`,
    ...REPEATABLE,
    helpGroup: 'SANDBOX',
  }),
  seed: Flags.integer({
    description: 'sandbox traffic seed (same seed, same traffic)',
    helpGroup: 'SANDBOX',
  }),
  ...configFlag,
  ...awsFlags,
  ...progressFlags,
};

export type DeployFlags = Partial<Interfaces.InferredFlags<typeof DEPLOY_FLAGS>>;
