/**
 * Turns deploy flags plus the config file into validated options, before anything touches
 * AWS. Every bad value becomes a UsageError (exit 2) naming the flag or config key.
 * Precedence: flag, then config file, then the documented default.
 */
import { assertExpandedAlarms, expandAlarmTemplate, fillAlias } from '../domain/alarm-templates.js';
import { type AnalysisConfig, hasAnalysisGates } from '../domain/analysis/config.js';
import { assertAlarmNames } from '../domain/aws-names.js';
import type { CodeDeployNameSources } from '../domain/codedeploy-plan.js';
import { parseDuration } from '../domain/duration.js';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { parseHookConfigEntry, parseHookSpec } from '../domain/hook-spec.js';
import { parseBoundedDuration } from '../domain/limits.js';
import { type Plan, planShift } from '../domain/plan.js';
import { checkPollInterval } from '../domain/poll-interval.js';
import type { Strategy } from '../domain/strategy.js';
import type { HookPhase, HookSpec } from '../ports/hooks.js';
import { type ConfigPlaces, comparesWithStable, resolveAnalysis, sourceOf } from './analysis-options.js';
import { type CodeChoice, type CodePlaces, resolveCodeChoice } from './code-choice.js';
import type { DeployFlags } from './deploy-flags.js';
import type { HookEntry, LshiftConfig } from './option-schema.js';
import { parseTypedStrategy } from './strategy-arg.js';

export type { DeployFlags } from './deploy-flags.js';

export const DEPLOY_DEFAULTS = {
  alias: 'live',
  strategy: 'Canary10Percent5Minutes',
  interval: '10s',
  hookTimeout: '5m',
  healthErrorLimit: 3,
};

export interface DeployOptions {
  alias: string;
  strategy: Strategy;
  plan: Plan;
  code: CodeChoice;
  alarms: string[];
  pollIntervalSeconds: number;
  bakeSeconds: number;
  healthErrorLimit: number;
  ignoreInitialAlarms: boolean;
  onInterrupt: 'rollback' | 'leave';
  warm: boolean;
  hooks: Record<HookPhase, HookSpec[]>;
  /** Where each phase's hooks came from (`--pre-hook`, the config file’s `hooks.pre`), for errors. */
  hookSources?: Partial<Record<HookPhase, string>>;
  hookTimeoutSeconds: number;
  /** Where --hook-timeout came from when it was given (flag or config file), for errors. */
  hookTimeoutSource?: string;
  analysis: AnalysisConfig;
  /**
   * The analysis settings as the flags and config file give them, when `analysis` is a release
   * function's share of them (releaseShareOf): what the record's fingerprint keeps (`jd=`).
   */
  analysisAsGiven?: AnalysisConfig;
  /**
   * A settle wait given (`--settle`, the config file's `settle`) that no gate would wait for
   * (`--no-analysis`, no absolute limit), so dropped from the plan: said as a warning
   * (settle-warning.ts), not ignored in silence.
   */
  settleIgnored?: IgnoredSettle;
  /** Who moves the traffic; `codedeploy` names the CodeDeploy application and group (undefined: defaults). */
  engine:
    | { kind: 'native' }
    | {
        kind: 'codedeploy';
        application?: string;
        group?: string;
        /** Where the names came from (a flag or the config file), for CODEDEPLOY_NAME_INVALID. */
        sources?: CodeDeployNameSources;
      };
}

/** What a dropped settle wait was given as, and what turned its gates off, as the user wrote them. */
export interface IgnoredSettle {
  seconds: number;
  settleSource: string;
  analysisSource: string;
  /**
   * Nothing to settle even with a gate: all traffic at once (no step below 100%) and no bake
   * (plan.ts adds the settle's extra minutes only behind a step below 100%).
   */
  nothingToSettle: boolean;
}

/**
 * `functionName` fills `{function}` in the alarm names (flags and config are given as written, so
 * an error names what the user typed); without it (a release's shared hooks) alarms with
 * `{function}` are left unfilled and unused.
 */
export function resolveDeployOptions(
  flags: DeployFlags,
  config: LshiftConfig,
  places: ConfigPlaces & CodePlaces = {},
  functionName?: string,
): DeployOptions {
  const strategy = parseTypedStrategy(flags.strategy ?? config.strategy ?? DEPLOY_DEFAULTS.strategy, {
    allowLong: flags['allow-long-shift'] ?? config['allow-long-shift'] ?? false,
    source: sourceOf(flags, config, 'strategy'),
  });
  const interval = flags.interval ?? config.interval ?? DEPLOY_DEFAULTS.interval;
  const intervalSource = sourceOf(flags, config, 'interval');
  const pollIntervalSeconds = parseDuration(interval, intervalSource);
  checkPollInterval(pollIntervalSeconds, {}, interval, intervalSource);
  const bake = flags.bake ?? config.bake;
  const onInterrupt = flags['on-interrupt'] ?? config['on-interrupt'] ?? 'rollback';
  if (onInterrupt !== 'rollback' && onInterrupt !== 'leave') {
    throw new UsageError(
      'INVALID_FLAG',
      `--on-interrupt must be "rollback" or "leave", not "${echoInput(onInterrupt)}".`,
    );
  }
  const alias = flags.alias ?? config.alias ?? DEPLOY_DEFAULTS.alias;
  // `{function}` is this function's name and `{alias}` the alias this deploy moves, as `status`
  // and `check` fill them for the same config file. Checked as written, so an error names what
  // was typed (`{function}-{nope}`, not `orders-live-{nope}`); measured once filled, naming both.
  const given = flags.alarm?.length ? flags.alarm : (config.alarms ?? []);
  const alarmsWhere = flags.alarm?.length ? '--alarm' : 'the config file’s `alarms`';
  assertAlarmNames(given, alarmsWhere, { templates: true });
  if (functionName !== undefined) assertExpandedAlarms(given, functionName, alias, alarmsWhere);
  const alarms = given.map((name) =>
    functionName === undefined ? fillAlias(name, alias) : expandAlarmTemplate(name, functionName, alias),
  );
  const options: DeployOptions = {
    alias,
    strategy,
    plan: planShift(strategy, {
      settleSeconds: resolveSettle(flags.settle ?? config.settle, sourceOf(flags, config, 'settle')),
    }),
    code: resolveCodeChoice(flags, 'deploy', places),
    alarms: dedupe(alarms),
    pollIntervalSeconds,
    bakeSeconds: bake === undefined ? 0 : parseBoundedDuration(bake, 'bake', sourceOf(flags, config, 'bake')),
    healthErrorLimit:
      flags['health-error-limit'] ?? config['health-error-limit'] ?? DEPLOY_DEFAULTS.healthErrorLimit,
    ignoreInitialAlarms: flags['ignore-initial-alarms'] ?? config['ignore-initial-alarms'] ?? false,
    onInterrupt,
    warm: flags.warm ?? config.warm ?? false,
    hooks: resolveHooks(flags, config),
    hookSources: resolveHookSources(flags),
    hookTimeoutSeconds: parseBoundedDuration(
      flags['hook-timeout'] ?? config['hook-timeout'] ?? DEPLOY_DEFAULTS.hookTimeout,
      'hookTimeout',
      sourceOf(flags, config, 'hook-timeout'),
    ),
    ...((flags['hook-timeout'] ?? config['hook-timeout'])
      ? { hookTimeoutSource: sourceOf(flags, config, 'hook-timeout') }
      : {}),
    analysis: resolveAnalysis(flags, config, places),
    engine: resolveEngine(flags, config),
  };
  refuseUnjudgeableFail(options, sourceOf(flags, config, 'on-inconclusive'));
  const asked = {
    settleSource: sourceOf(flags, config, 'settle'),
    analysisSource: flags.analysis === false ? '--no-analysis' : 'the config file’s `analysis: false`',
    nothingToSettle: options.plan.steps.length <= 1 && options.bakeSeconds === 0,
  };
  return withoutUnmeasuredSettle(options, (flags.settle ?? config.settle) === undefined ? undefined : asked);
}

/**
 * The settle wait awaits the per-version metrics the analysis reads: with no gate of it
 * (`--no-analysis` and no absolute limit) the deploy skips it (metrics-settle.ts), so the plan
 * has none either; else `--dry-run`, the warnings and the credential-lifetime check counted a
 * settle of up to 6m the deploy never runs (found by a docs pass, session 59). A settle the user
 * gave (`asked`) is kept as `settleIgnored`, to be warned of: a flag that does nothing says so.
 */
function withoutUnmeasuredSettle(
  options: DeployOptions,
  asked?: Omit<IgnoredSettle, 'seconds'>,
): DeployOptions {
  const seconds = options.plan.settleSeconds ?? 0;
  if (hasAnalysisGates(options.analysis) || seconds === 0) return options;
  return {
    ...options,
    plan: { ...options.plan, settleSeconds: 0, settleExtraMinutes: 0 },
    ...(asked ? { settleIgnored: { seconds, ...asked } } : {}),
  };
}

/**
 * `--on-inconclusive fail` asks to roll back what the analysis could not judge; AllAtOnce without a
 * bake is never judged (no step below 100%, nothing after it), so it promoted unjudged, silently
 * against that ask (found by a hostile pass: a version failing 30% of its calls, exit 0).
 */
function refuseUnjudgeableFail(options: DeployOptions, source: string): void {
  const { analysis, plan, bakeSeconds } = options;
  if (analysis.onInconclusive !== 'fail' || !hasAnalysisGates(analysis)) return;
  if (plan.steps.some((s) => s.percent < 100) || bakeSeconds > 0) return;
  const bake =
    options.engine?.kind === 'codedeploy'
      ? ''
      : ', or add --bake 10m (the new version at 100% compared with the stable version from before)';
  const asked = source.startsWith('--') ? `${source} fail` : 'the config file’s `on-inconclusive: fail`';
  throw new UsageError(
    'ANALYSIS_FLAG_CONFLICT',
    `${asked} rolls back a version the analysis could not judge, but ${plan.strategy.name} with no --bake is never judged: every version would be promoted unjudged.`,
    { hint: `Use a canary or linear strategy${bake}; or drop ${asked} to deploy all at once unjudged.` },
  );
}

function resolveEngine(flags: DeployFlags, config: LshiftConfig): DeployOptions['engine'] {
  const engine = flags.engine ?? config.engine ?? 'native';
  const application = flags.application ?? config.application;
  const group = flags['deployment-group'] ?? config['deployment-group'];
  const sources = {
    application: flags.application === undefined ? 'the config file’s `application`' : '--application',
    group:
      flags['deployment-group'] === undefined ? 'the config file’s `deployment-group`' : '--deployment-group',
  };
  if (engine === 'codedeploy') return { kind: 'codedeploy', application, group, sources };
  if (application !== undefined || group !== undefined)
    throw codeDeployNamesWithoutEngine(application, group, sources);
  return { kind: 'native' };
}

/**
 * An application or deployment group without --engine codedeploy, named as it was given: a
 * config file's `application: ""` was "--application and --deployment-group name CodeDeploy
 * resources", naming two flags nobody typed.
 */
function codeDeployNamesWithoutEngine(
  application: string | undefined,
  group: string | undefined,
  sources: { application: string; group: string },
): UsageError {
  const given = [
    ...(application === undefined ? [] : [{ source: sources.application, value: application }]),
    ...(group === undefined ? [] : [{ source: sources.group, value: group }]),
  ];
  const named = given.map((g) => `${g.source}${g.value.trim() === '' ? ' (empty)' : ''}`);
  const problem =
    given.length === 1
      ? `${named[0]} names a CodeDeploy ${application === undefined ? 'deployment group' : 'application'}, which only applies with --engine codedeploy.`
      : `${named.join(' and ')} name CodeDeploy resources, which only apply with --engine codedeploy.`;
  const drop = given.map((g) => (g.source.startsWith('--') ? `drop ${g.source}` : `remove ${g.source}`));
  return new UsageError('CONFLICTING_FLAGS', problem, {
    hint: `Add --engine codedeploy (config file: \`engine: codedeploy\`), or ${drop.join(' and ')}.`,
  });
}

/** `--settle 6m`, `--settle 0` or `0s` (off), at most 1h; absent: the plan's default (docs/analysis.md#the-settle-wait). */
export function resolveSettle(raw: string | undefined, source = '--settle'): number | undefined {
  return raw === undefined ? undefined : parseBoundedDuration(raw, 'settle', source, { allowZero: true });
}

/** What a deploy request takes from a function's options, the same for a deploy and a release member. */
export function shiftSettingsOf(options: DeployOptions) {
  return {
    alias: options.alias,
    pollIntervalSeconds: options.pollIntervalSeconds,
    healthErrorLimit: options.healthErrorLimit,
    ignoreInitialAlarms: options.ignoreInitialAlarms,
    bakeSeconds: options.bakeSeconds,
    onInconclusive: options.analysis.onInconclusive,
    hooks: options.hooks,
    hookTimeoutSeconds: options.hookTimeoutSeconds,
    analysis: comparesWithStable(options.analysis),
    judging: options.analysisAsGiven ?? options.analysis,
  };
}

const HOOK_PHASES: HookPhase[] = ['pre', 'step', 'post', 'rollback'];

function resolveHooks(flags: DeployFlags, config: LshiftConfig): Record<HookPhase, HookSpec[]> {
  const result = { pre: [], step: [], post: [], rollback: [] } as Record<HookPhase, HookSpec[]>;
  for (const phase of HOOK_PHASES) {
    const fromFlags = flags[`${phase}-hook`] ?? [];
    const fromConfig: HookEntry[] = config.hooks?.[phase] ?? [];
    result[phase] =
      fromFlags.length > 0
        ? fromFlags.map((text) => parseHookSpec(text, `--${phase}-hook`))
        : fromConfig.map((entry, i) =>
            parseHookConfigEntry(entry, `hooks.${phase}[${i}] in the config file`),
          );
  }
  return result;
}

/** The config file's hooks of a phase are used only when no flag of that phase is given. */
function resolveHookSources(flags: DeployFlags): Record<HookPhase, string> {
  const source = (phase: HookPhase) =>
    (flags[`${phase}-hook`] ?? []).length > 0 ? `--${phase}-hook` : `the config file’s \`hooks.${phase}\``;
  return { pre: source('pre'), step: source('step'), post: source('post'), rollback: source('rollback') };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
