/**
 * Traffic-shifting strategies (DESIGN.md §3). Pure. `parseStrategy` accepts every documented
 * spelling and throws UsageError `STRATEGY_INVALID` naming the bad part and the accepted forms.
 */
import { formatDuration, formatDurationCompact, formatPercent } from './duration.js';
import { echoInput } from './echo.js';
import { isLshiftError, UsageError } from './errors.js';
import { DURATION_LIMITS, describeDurationLimit } from './limits.js';
import { planShift } from './plan.js';
import { formatStep, invalid, parseSteps, parseTimed } from './strategy-body.js';
import type { Strategy } from './strategy-shape.js';

export { ACCEPTED_STRATEGY_FORMS, MAX_PLAN_STEPS } from './strategy-body.js';

export type { Strategy } from './strategy-shape.js';

export interface ParseStrategyOptions {
  /** Allow a total shift time over 48 h (CodeDeploy's limit). */
  allowLong?: boolean;
  /** Where the text came from, for a hold over its limit: `--strategy`, the config file’s `strategy`. */
  source?: string;
  /**
   * Read back from a deployment record: the run that wrote it accepted it, so no limit applies
   * (a limit added since must not strand a deployment in flight).
   */
  recorded?: boolean;
  /**
   * The closest known name to a mistyped one, or undefined when nothing is close. Passed in by the
   * command line (an edit distance from an npm package; the domain imports none): without it a
   * typo gets the list of accepted forms but no "did you mean".
   */
  suggest?: NameSuggester;
}

export type NameSuggester = (typed: string, names: readonly string[]) => string | undefined;

/** CodeDeploy refuses deployments that run longer than 48 hours; lshift keeps the same default. */
export const MAX_SHIFT_SECONDS = 48 * 3600;
type Shape =
  | { kind: 'canary' | 'linear'; percent: number; intervalSeconds: number }
  | { kind: 'all-at-once' };

const CODEDEPLOY_PREFIX = 'codedeploydefault.lambda';

/** The 9 predefined CodeDeploy Lambda configurations by SAM name (the long name adds the prefix). */
const PREDEFINED_LIST: [string, Shape][] = [
  ['Canary10Percent5Minutes', canary(5)],
  ['Canary10Percent10Minutes', canary(10)],
  ['Canary10Percent15Minutes', canary(15)],
  ['Canary10Percent30Minutes', canary(30)],
  ['Linear10PercentEvery1Minute', linear(1)],
  ['Linear10PercentEvery2Minutes', linear(2)],
  ['Linear10PercentEvery3Minutes', linear(3)],
  ['Linear10PercentEvery10Minutes', linear(10)],
  ['AllAtOnce', { kind: 'all-at-once' }],
];

/** Keyed by the lower-case SAM name. */
const PREDEFINED: ReadonlyMap<string, { codeDeployName: string; shape: Shape }> = new Map(
  PREDEFINED_LIST.map(([sam, shape]) => [
    sam.toLowerCase(),
    { codeDeployName: `CodeDeployDefault.Lambda${sam}`, shape },
  ]),
);

function canary(minutes: number): Shape {
  return { kind: 'canary', percent: 10, intervalSeconds: minutes * 60 };
}

function linear(minutes: number): Shape {
  return { kind: 'linear', percent: 10, intervalSeconds: minutes * 60 };
}

/** All nine CodeDeploy names, long form (`CodeDeployDefault.LambdaCanary10Percent5Minutes`). */
export const CODEDEPLOY_PREDEFINED_NAMES: string[] = [...PREDEFINED.values()].map((p) => p.codeDeployName);

export function parseStrategy(text: string, opts: ParseStrategyOptions = {}): Strategy {
  const name = text.trim();
  if (name === '') throw invalid(name, 'the strategy is empty');
  const strategy = parseShape(name, opts.suggest);
  if (!opts.recorded) checkHolds(strategy, opts.source ?? 'the strategy');
  checkTotal(strategy, opts);
  return strategy;
}

function parseShape(name: string, suggest: NameSuggester | undefined): Strategy {
  const lower = name.toLowerCase();
  const predefined = lookupPredefined(name, lower, suggest);
  if (predefined) return { ...predefined, name } as Strategy;
  if (lower === 'all-at-once') return { kind: 'all-at-once', name };
  const colon = lower.indexOf(':');
  const kind = colon < 0 ? lower : lower.slice(0, colon).trim();
  const body = colon < 0 ? '' : name.slice(colon + 1);
  if (kind === 'canary' || kind === 'linear') return parseTimed(name, kind, body);
  if (kind === 'steps') return { kind: 'steps', name, steps: parseSteps(name, body) };
  if (kind === 'all-at-once') throw invalid(name, '`all-at-once` takes no parameters');
  // `:10%:5m` has no kind before its colon: name the whole text rather than an empty one.
  const unknown = colon <= 0 ? name : name.slice(0, colon);
  const near = colon > 0 ? nearKind(name, kind, colon, suggest) : nearName(lower, suggest);
  const advice = near ? `; did you mean \`${echoInput(near)}\`?` : '';
  throw invalid(name, `\`${echoInput(unknown)}\` is not a known strategy${advice}`);
}

/** The kinds written `<kind>:…`, for a typo in one (`canry:10%:5m`). */
const KINDS_WITH_COLON: readonly string[] = ['canary', 'linear', 'steps'];

/** `canry:10%:5m` → `canary:10%:5m`: the closest kind, the rest as typed. */
function nearKind(
  name: string,
  kind: string,
  colon: number,
  suggest: NameSuggester | undefined,
): string | undefined {
  const near = suggest?.(kind, KINDS_WITH_COLON);
  return near === undefined ? undefined : near + name.slice(colon);
}

/** `Linear10PercentEvry1Minute` → `Linear10PercentEvery1Minute`, `all-at-onse` → `all-at-once`. */
function nearName(lower: string, suggest: NameSuggester | undefined): string | undefined {
  const near = suggest?.(lower, ['all-at-once', ...PREDEFINED.keys()]);
  if (near === undefined || near === 'all-at-once') return near;
  return samName(PREDEFINED.get(near)?.codeDeployName);
}

function lookupPredefined(
  name: string,
  lower: string,
  suggest: NameSuggester | undefined,
): Shape | undefined {
  const isLong = lower.startsWith('codedeploydefault.');
  const key = lower.startsWith(CODEDEPLOY_PREFIX) ? lower.slice(CODEDEPLOY_PREFIX.length) : lower;
  const found = PREDEFINED.get(key);
  if (found) return found.shape;
  // `CodeDeployDefault.Canary10Percent5Minutes`, `…ECSCanary…`: close to a Lambda name.
  const bare = isLong ? lower.replace(/^codedeploydefault\.(lambda|ecs)?/, '') : key;
  const custom = suggestCustom(bare);
  const near = isLong ? nearPredefined(bare, suggest) : undefined;
  const lookalike = PREDEFINED.get(bare)?.codeDeployName ?? custom ?? near;
  if (isLong || lookalike) {
    const refused = custom === lookalike && custom !== undefined ? refusalOf(custom) : undefined;
    const advice = refused
      ? `, nor a valid custom one: ${refused}`
      : lookalike
        ? `; did you mean \`${lookalike}\`?`
        : '';
    throw invalid(
      name,
      `\`${echoInput(name)}\` is not one of the 9 CodeDeploy predefined Lambda configurations${advice}`,
    );
  }
  return undefined;
}

/**
 * The long CodeDeploy name a typo in one is closest to
 * (`CodeDeployDefault.LambdaLinear10PercentEvry3Minutes`).
 */
function nearPredefined(bare: string, suggest: NameSuggester | undefined): string | undefined {
  const near = suggest?.(bare, [...PREDEFINED.keys()]);
  return near === undefined ? undefined : PREDEFINED.get(near)?.codeDeployName;
}

function samName(codeDeployName: string | undefined): string | undefined {
  return codeDeployName?.slice('CodeDeployDefault.Lambda'.length);
}

/**
 * Why a near miss's custom spelling would be refused in turn, or undefined when it parses: a
 * suggestion must work (`Linear0PercentEvery1Minute` suggested `linear:0%:1m`, itself refused).
 */
function refusalOf(spec: string): string | undefined {
  try {
    parseStrategy(spec);
    return undefined;
  } catch (error) {
    if (!isLshiftError(error)) throw error;
    // The problem without its subject ("Invalid strategy `linear:0%:1m`: "), which names the spec.
    return error.message.replace(/^[^`]*`[^`]*`:? /, '');
  }
}

/** `canary10percent7minutes` → `canary:10%:7m`: a near miss of a predefined name. */
function suggestCustom(key: string): string | undefined {
  const c = /^canary(\d+)percent(\d+)minutes?$/.exec(key);
  if (c) return `canary:${c[1]}%:${c[2]}m`;
  const l = /^linear(\d+)percentevery(\d+)minutes?$/.exec(key);
  if (l) return `linear:${l[1]}%:${l[2]}m`;
  return undefined;
}

/** Each hold at most DURATION_LIMITS.hold (14 days), --allow-long-shift or not. */
function checkHolds(strategy: Strategy, source: string): void {
  const limit = DURATION_LIMITS.hold;
  const step = planShift(strategy).steps.find((s) => s.holdSeconds > limit.maxSeconds);
  if (!step) return;
  throw new UsageError(
    'DURATION_TOO_LONG',
    `${source} \`${echoInput(strategy.name)}\`: the hold of step ${step.index + 1} (${formatPercent(step.percent)}) is ${formatDurationCompact(step.holdSeconds)}, longer than ${describeDurationLimit('hold')}, the longest ${limit.what}.`,
    { hint: `Give each step a hold of at most ${formatDurationCompact(limit.maxSeconds)}.` },
  );
}

function checkTotal(strategy: Strategy, opts: ParseStrategyOptions): void {
  const total = planShift(strategy).totalSeconds;
  if (total > MAX_SHIFT_SECONDS && !opts.allowLong) {
    throw new UsageError(
      'STRATEGY_INVALID',
      `Invalid strategy \`${echoInput(strategy.name)}\`: the shift takes ${formatDuration(total)}, over the 48-hour limit`,
      { hint: 'Shorten the holds, or pass --allow-long-shift to run a shift longer than 48 hours.' },
    );
  }
  // Not of a recorded strategy: `deploy --resume` finishes what was started, as checkHolds.
  const ceiling = DURATION_LIMITS.longShift;
  if (total > ceiling.maxSeconds && !opts.recorded) {
    throw new UsageError(
      'DURATION_TOO_LONG',
      `${opts.source ?? 'the strategy'} \`${echoInput(strategy.name)}\`: the shift takes ${formatDuration(total)}, longer than ${describeDurationLimit('longShift')}, the longest ${ceiling.what}.`,
      {
        hint: `Shorten the holds or take bigger steps: a shift may take at most ${formatDurationCompact(ceiling.maxSeconds)}.`,
      },
    );
  }
}

/** Normalised short form: `canary:10%:5m`, `linear:10%:1m`, `all-at-once`, `steps:1%@2m,10%@5m,100%`. */
export function formatStrategy(s: Strategy): string {
  switch (s.kind) {
    case 'canary':
    case 'linear':
      return `${s.kind}:${formatPercent(s.percent)}:${formatDurationCompact(s.intervalSeconds)}`;
    case 'all-at-once':
      return 'all-at-once';
    case 'steps':
      return `steps:${s.steps.map(formatStep).join(',')}`;
  }
}

/** The CodeDeploy predefined configuration name equal to this strategy, if there is one. */
export function toCodeDeployConfigName(s: Strategy): string | undefined {
  const wanted = formatStrategy(s);
  for (const { codeDeployName, shape } of PREDEFINED.values()) {
    if (formatStrategy({ ...shape, name: codeDeployName }) === wanted) return codeDeployName;
  }
  return undefined;
}
