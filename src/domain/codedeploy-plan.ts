/**
 * What `--engine codedeploy` hands to AWS CodeDeploy, decided purely: the deployment config a
 * strategy maps to, the hook functions of the AppSpec, and the AppSpec itself. Anything
 * CodeDeploy cannot express is refused here, before anything is written, naming the native
 * engine that can run it.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-lambda
 */
import { codeDeployNameProblem, MAX_CODEDEPLOY_NAME_CHARS } from './aws-names.js';
import type { CodeDeployHooks } from './codedeploy-hooks.js';
import { NATIVE_HINT, refuseForCodeDeploy as refuse } from './codedeploy-refusal.js';
import { echoInput } from './echo.js';
import { UsageError } from './errors.js';
import type { Strategy } from './strategy-shape.js';

export type TimeBasedRouting =
  | { type: 'TimeBasedCanary'; percentage: number; intervalMinutes: number }
  | { type: 'TimeBasedLinear'; percentage: number; intervalMinutes: number };

/** A predefined config passes through by name; a custom one is created once and reused by name. */
export type CodeDeployConfig =
  | { kind: 'predefined'; name: string }
  | { kind: 'custom'; name: string; routing: TimeBasedRouting };

/** The AWS-managed Lambda configs (`CodeDeployDefault.Lambda…`), by strategy shape. */
const PREDEFINED: Record<string, string> = {
  'canary:10:5': 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  'canary:10:10': 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
  'canary:10:15': 'CodeDeployDefault.LambdaCanary10Percent15Minutes',
  'canary:10:30': 'CodeDeployDefault.LambdaCanary10Percent30Minutes',
  'linear:10:1': 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
  'linear:10:2': 'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes',
  'linear:10:3': 'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
  'linear:10:10': 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
};

export const CODEDEPLOY_ALL_AT_ONCE = 'CodeDeployDefault.LambdaAllAtOnce';

/** Prefix of the custom configs lshift creates (config names are account-wide). */
export const CUSTOM_CONFIG_PREFIX = 'lshift.';

/**
 * The config a strategy maps to. CodeDeploy's Lambda configs take whole percentages and whole
 * minutes (TimeBasedCanary/TimeBasedLinear, API_TimeBasedCanary.html); no step lists, no bake.
 */
export function mapStrategyToCodeDeploy(
  strategy: Strategy,
  opts: { bakeSeconds?: number } = {},
): CodeDeployConfig {
  if ((opts.bakeSeconds ?? 0) > 0) {
    throw refuse('a bake (--bake): it has no watch window after 100%', `${NATIVE_HINT} Or drop --bake.`);
  }
  switch (strategy.kind) {
    case 'all-at-once':
      return { kind: 'predefined', name: CODEDEPLOY_ALL_AT_ONCE };
    case 'steps':
      throw refuse(`the step list ${strategy.name}: its configs are one canary step or equal linear steps`);
    case 'canary':
    case 'linear': {
      const { percent, intervalSeconds } = strategy;
      if (!Number.isInteger(percent) || percent < 1 || percent > 99) {
        throw refuse(`${strategy.name}: its configs take a whole percentage from 1 to 99, not ${percent}%`);
      }
      if (intervalSeconds % 60 !== 0 || intervalSeconds < 60) {
        throw refuse(`${strategy.name}: its configs take whole minutes, not ${intervalSeconds} seconds`);
      }
      const minutes = intervalSeconds / 60;
      const predefined = PREDEFINED[`${strategy.kind}:${percent}:${minutes}`];
      if (predefined) return { kind: 'predefined', name: predefined };
      return strategy.kind === 'canary'
        ? {
            kind: 'custom',
            name: `${CUSTOM_CONFIG_PREFIX}Canary${percent}Percent${minutes}Minutes`,
            routing: { type: 'TimeBasedCanary', percentage: percent, intervalMinutes: minutes },
          }
        : {
            kind: 'custom',
            name: `${CUSTOM_CONFIG_PREFIX}Linear${percent}PercentEvery${minutes}Minutes`,
            routing: { type: 'TimeBasedLinear', percentage: percent, intervalMinutes: minutes },
          };
    }
  }
}

/**
 * The percentages a config gives the new version, in order (canary p: p then 100; linear p: p, 2p…
 * then 100; all-at-once: 100): CodeDeploy writes no other weight while it runs. Undefined for a
 * config not known here.
 */
export function codeDeployStepPercents(config: CodeDeployConfig | undefined): number[] | undefined {
  if (!config) return undefined;
  if (config.name === CODEDEPLOY_ALL_AT_ONCE) return [100];
  const routing =
    config.kind === 'custom'
      ? config.routing
      : predefinedRouting(config.name.match(/(Canary|Linear)(\d+)Percent/));
  if (!routing || routing.percentage <= 0 || routing.percentage >= 100) return undefined;
  if (routing.type === 'TimeBasedCanary') return [routing.percentage, 100];
  const steps: number[] = [];
  for (let p = routing.percentage; p < 100 - 1e-9; p += routing.percentage) steps.push(p);
  return [...steps, 100];
}

function predefinedRouting(match: RegExpMatchArray | null): TimeBasedRouting | undefined {
  if (!match) return undefined;
  const type = match[1] === 'Canary' ? 'TimeBasedCanary' : 'TimeBasedLinear';
  return { type, percentage: Number(match[2]), intervalMinutes: 0 };
}

/**
 * The config a deployment names (GetDeployment's deploymentConfigName), as far as lshift can read
 * it from the name alone: the `CodeDeployDefault.Lambda…` ones and lshift's own `lshift.…` ones
 * (mapStrategyToCodeDeploy's names). Undefined for any other (someone's config: its weights unknown).
 */
export function codeDeployConfigNamed(name: string | undefined): CodeDeployConfig | undefined {
  if (!name) return undefined;
  if (name === CODEDEPLOY_ALL_AT_ONCE || /^CodeDeployDefault\.Lambda(?:Canary|Linear)\d/.test(name))
    return { kind: 'predefined', name };
  const own = name.match(/^lshift\.(Canary|Linear)(\d+)Percent(?:Every)?(\d+)Minutes$/);
  if (!own) return undefined;
  const type = own[1] === 'Canary' ? 'TimeBasedCanary' : 'TimeBasedLinear';
  return {
    kind: 'custom',
    name,
    routing: { type, percentage: Number(own[2]), intervalMinutes: Number(own[3]) },
  };
}

/**
 * The seconds between a config's steps (CodeDeploy moves one step per interval), or undefined when
 * not known here (all-at-once has one step; a config of someone else's name is not read).
 */
export function codeDeployStepSeconds(config: CodeDeployConfig | undefined): number | undefined {
  if (!config || config.name === CODEDEPLOY_ALL_AT_ONCE) return undefined;
  if (config.kind === 'custom') return config.routing.intervalMinutes * 60;
  const minutes = Number(
    config.name.match(/^CodeDeployDefault\.Lambda(?:Canary|Linear)\d+Percent(?:Every)?(\d+)Minutes?$/)?.[1],
  );
  return minutes > 0 ? minutes * 60 : undefined;
}

export interface AppSpecInput extends CodeDeployHooks {
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
}

/**
 * The AppSpec content (JSON) of a Lambda deployment: one AWS::Lambda::Function resource and the
 * optional hooks. https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html
 */
export function buildAppSpec(input: AppSpecInput): string {
  const hooks: Record<string, string>[] = [];
  if (input.beforeAllowTraffic) hooks.push({ BeforeAllowTraffic: input.beforeAllowTraffic });
  if (input.afterAllowTraffic) hooks.push({ AfterAllowTraffic: input.afterAllowTraffic });
  const spec = {
    version: 0.0,
    Resources: [
      {
        [resourceName(input.functionName)]: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Name: input.functionName,
            Alias: input.alias,
            CurrentVersion: input.currentVersion,
            TargetVersion: input.targetVersion,
          },
        },
      },
    ],
    ...(hooks.length > 0 ? { Hooks: hooks } : {}),
  };
  return JSON.stringify(spec);
}

/** The AppSpec's resource key: a logical name, letters and digits. */
function resourceName(functionName: string): string {
  const bare = functionName.split(':').at(-1) ?? functionName;
  return bare.replace(/[^A-Za-z0-9]/g, '') || 'Function';
}

/** Default names `lshift codedeploy init` and the deploy use when none are given. */
export function defaultCodeDeployNames(
  functionName: string,
  alias: string,
): { application: string; group: string } {
  const bare = functionName.split(':').at(-1) ?? functionName;
  return { application: `lshift-${bare}`, group: `${bare}-${alias}` };
}

/** Where each name came from, for the error: a flag, or the config file's key. */
export interface CodeDeployNameSources {
  application: string;
  group: string;
}

const FLAG_SOURCES: CodeDeployNameSources = { application: '--application', group: '--deployment-group' };

/**
 * The application and group a function's deployments use: the given ones, else the defaults.
 * Each is checked; a default too long (a long function name) is refused naming the flag that
 * sets it, before any AWS call.
 */
export function resolveCodeDeployNames(
  functionName: string,
  alias: string,
  given: { application?: string; group?: string },
  sources: CodeDeployNameSources = FLAG_SOURCES,
): { application: string; group: string } {
  const defaults = defaultCodeDeployNames(functionName, alias);
  return {
    application: checkName('application', given.application, defaults.application, sources.application),
    group: checkName('deployment group', given.group, defaults.group, sources.group),
  };
}

function checkName(kind: string, given: string | undefined, fallback: string, source: string): string {
  const name = given ?? fallback;
  const flag = kind === 'application' ? '--application' : '--deployment-group';
  const named =
    given === undefined
      ? `The default CodeDeploy ${kind} name \`${echoInput(name, 120)}\` (made from ${kind === 'application' ? 'the function name' : 'the function name and the alias'})`
      : `The CodeDeploy ${kind} name given by ${source} (\`${echoInput(name, 120)}\`)`;
  const fix =
    given === undefined
      ? `Name one of at most ${MAX_CODEDEPLOY_NAME_CHARS} characters with ${flag} (config file: ${flag.slice(2)}).`
      : `Give ${source} a name of 1–${MAX_CODEDEPLOY_NAME_CHARS} characters, not blank, without control characters.`;
  const problem = codeDeployNameProblem(name);
  if (problem === undefined) return name;
  throw new UsageError('CODEDEPLOY_NAME_INVALID', `${named} ${problem}.`, { hint: fix });
}

/** A deployment group watches at most 10 alarms (CodeDeploy quotas). */
export const MAX_CODEDEPLOY_ALARMS = 10;

export function checkAlarmCount(alarms: readonly string[]): void {
  // A name given twice is one alarm on the group.
  const distinct = new Set(alarms).size;
  if (distinct > MAX_CODEDEPLOY_ALARMS) {
    throw new UsageError(
      'CODEDEPLOY_TOO_MANY_ALARMS',
      `A CodeDeploy deployment group watches at most ${MAX_CODEDEPLOY_ALARMS} alarms; ${distinct} different ones were given.`,
      {
        hint: 'Combine alarms into a composite alarm (one name), or watch the rest with lshift itself (deploy --alarm with the native engine).',
      },
    );
  }
}
