/**
 * Traffic-shifting strategies (DESIGN.md §3). Pure. `parseStrategy` accepts every documented
 * spelling and throws UsageError `STRATEGY_INVALID` naming the bad part and the accepted forms.
 */
import {
  formatDuration,
  formatDurationCompact,
  formatPercent,
  parseDuration,
  parsePercent,
} from './duration.js';
import { echoInput } from './echo.js';
import { isLshiftError, UsageError } from './errors.js';
import { DURATION_LIMITS, describeDurationLimit } from './limits.js';
import { planShift } from './plan.js';
import type { Strategy } from './strategy-shape.js';

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
/** Each step is an alias write and a health check; more than this is a typo (`linear:0.01%:1m`). */
export const MAX_PLAN_STEPS = 1000;

export const ACCEPTED_STRATEGY_FORMS: string[] = [
  'canary:<percent>:<duration>          e.g. canary:10%:5m (10% for 5 minutes, then 100%)',
  'linear:<percent>:<duration>          e.g. linear:10%:1m (10%, 20%, … one step a minute, then 100%)',
  'all-at-once                          100% at once',
  'steps:<percent>@<duration>,…,100%    e.g. steps:1%@2m,10%@5m,50%@10m,100%',
  'CodeDeployDefault.LambdaCanary10Percent{5,10,15,30}Minutes',
  'CodeDeployDefault.LambdaLinear10PercentEvery{1Minute,2Minutes,3Minutes,10Minutes}',
  'CodeDeployDefault.LambdaAllAtOnce',
  'SAM names without the prefix, e.g. Canary10Percent5Minutes, Linear10PercentEvery1Minute, AllAtOnce',
  'Names are case-insensitive; durations like 30s, 5m, 1h, 1h30m, 1d; the % sign is optional.',
];

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

function parseTimed(name: string, kind: 'canary' | 'linear', body: string): Strategy {
  const parts = body.split(':');
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) {
    throw invalid(name, `${kind} needs a percentage and an interval: \`${kind}:<percent>:<duration>\``);
  }
  const percent = wrap(name, () => parsePercent(parts[0]!, `${kind} percentage`));
  const said = describeKeptPercent(parts[0]!, percent);
  if (percent <= 0 || percent >= 100) {
    const fix = percent >= 100 ? ' (use all-at-once to move everything at once)' : '';
    throw invalid(name, `${kind} percentage ${said} must be above 0% and below 100%${fix}`);
  }
  if (kind === 'linear' && percent < 100 / MAX_PLAN_STEPS) {
    const least = formatPercent(100 / MAX_PLAN_STEPS);
    throw invalid(name, `linear percentage ${said} is below ${least} (at most ${MAX_PLAN_STEPS} steps)`);
  }
  // A strategy's case does not matter (docs/strategies.md): `CANARY:10%:5M` is 5 minutes, where a
  // flag's lone `M` is refused as possibly months (duration.ts).
  const intervalSeconds = wrap(name, () => parseDuration(parts[1]!.toLowerCase(), `${kind} interval`));
  return { kind, name, percent, intervalSeconds };
}

/**
 * The percentage as judged: as typed, or — typed with more digits than lshift keeps — as kept
 * (`\`99.99999999999%\` (100% to the 9 decimal places lshift keeps)`), so "100% must be below
 * 100%" does not read as nonsense beside what was typed.
 */
function describeKeptPercent(typed: string, kept: number): string {
  const digits = typed.trim().replace(/\s*%$/, '');
  if (Number(digits) === kept) return formatPercent(kept);
  return `\`${echoInput(typed.trim())}\` (${formatPercent(kept)} to the 9 decimal places lshift keeps)`;
}

type StepSpec = { percent: number; holdSeconds: number };

function parseSteps(name: string, body: string): StepSpec[] {
  if (body.trim() === '') throw invalid(name, 'steps needs a list such as `steps:10%@5m,50%@5m,100%`');
  const tokens = body.split(',').map((t) => t.trim());
  if (tokens.length > MAX_PLAN_STEPS) throw invalid(name, `the list has more than ${MAX_PLAN_STEPS} steps`);
  const steps: StepSpec[] = [];
  tokens.forEach((token, i) => {
    steps.push(parseStep(name, token, i, tokens.length, steps.at(-1)));
  });
  if (steps.at(-1)!.percent !== 100) {
    throw invalid(
      name,
      `the last step \`${echoInput(tokens.at(-1) ?? '')}\` must be \`100%\`; add \`,100%\` at the end`,
    );
  }
  return steps;
}

function parseStep(name: string, token: string, i: number, count: number, previous?: StepSpec): StepSpec {
  const label = `step ${i + 1}`;
  if (token === '') throw invalid(name, `${label} is empty`);
  const at = token.split('@');
  if (at.length > 2) throw invalid(name, `${label} \`${echoInput(token)}\` has more than one @`);
  const percent = wrap(name, () => parsePercent(at[0]!, `${label} \`${echoInput(token)}\` weight`));
  const isLast = i === count - 1;
  if (percent === 100) {
    if (!isLast)
      throw invalid(name, `${label} \`${echoInput(token)}\` reaches 100%, which must be the last step`);
    if (at.length === 2) {
      throw invalid(
        name,
        `${label} \`${echoInput(token)}\`: the final 100% step has no hold; write \`100%\``,
      );
    }
    // Every earlier weight is below 100 (checked as it was parsed), so 100% here is increasing.
    return { percent, holdSeconds: 0 };
  }
  if (percent <= 0) throw invalid(name, `${label} \`${echoInput(token)}\` must be above 0%`);
  if (previous !== undefined && percent <= previous.percent) {
    const prev = formatPercent(previous.percent);
    throw invalid(name, `${label} \`${echoInput(token)}\` is not above the previous weight ${prev}`);
  }
  if (at.length < 2) {
    throw invalid(
      name,
      `${label} \`${echoInput(token)}\` needs a hold, e.g. \`${formatPercent(percent)}@5m\``,
    );
  }
  const holdSeconds = wrap(name, () =>
    parseDuration(at[1]!.toLowerCase(), `${label} \`${echoInput(token)}\` hold`),
  );
  return { percent, holdSeconds };
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

/** Runs a duration/percent parser and re-throws its error as STRATEGY_INVALID for this strategy. */
function wrap<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!isLshiftError(error)) throw error;
    throw invalid(name, error.message, error.hint);
  }
}

function invalid(name: string, problem: string, extraHint?: string): UsageError {
  const subject = name === '' ? 'Invalid strategy' : `Invalid strategy \`${echoInput(name)}\``;
  const forms = `Accepted strategies:\n  ${ACCEPTED_STRATEGY_FORMS.join('\n  ')}`;
  return new UsageError('STRATEGY_INVALID', `${subject}: ${problem}`, {
    hint: extraHint ? `${extraHint}\n${forms}` : forms,
  });
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

function formatStep(step: StepSpec): string {
  const weight = formatPercent(step.percent);
  return step.percent === 100 && step.holdSeconds === 0
    ? weight
    : `${weight}@${formatDurationCompact(step.holdSeconds)}`;
}

/** The CodeDeploy predefined configuration name equal to this strategy, if there is one. */
export function toCodeDeployConfigName(s: Strategy): string | undefined {
  const wanted = formatStrategy(s);
  for (const { codeDeployName, shape } of PREDEFINED.values()) {
    if (formatStrategy({ ...shape, name: codeDeployName }) === wanted) return codeDeployName;
  }
  return undefined;
}
