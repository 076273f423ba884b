/**
 * The bodies of the custom strategies (`canary:…`, `linear:…`, `steps:…`) and the refusal every
 * malformed strategy gets (STRATEGY_INVALID with the accepted forms): strategy.ts parses the name.
 */
import { formatDurationCompact, formatPercent, parseDuration, parsePercent } from './duration.js';
import { echoInput } from './echo.js';
import { isLshiftError, UsageError } from './errors.js';
import type { Strategy } from './strategy-shape.js';

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

export function parseTimed(name: string, kind: 'canary' | 'linear', body: string): Strategy {
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

export type StepSpec = { percent: number; holdSeconds: number };

export function parseSteps(name: string, body: string): StepSpec[] {
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

export function formatStep(step: StepSpec): string {
  const weight = formatPercent(step.percent);
  return step.percent === 100 && step.holdSeconds === 0
    ? weight
    : `${weight}@${formatDurationCompact(step.holdSeconds)}`;
}

/** Runs a duration/percent parser and re-throws its error as STRATEGY_INVALID for this strategy. */
export function wrap<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!isLshiftError(error)) throw error;
    throw invalid(name, error.message, error.hint);
  }
}

export function invalid(name: string, problem: string, extraHint?: string): UsageError {
  const subject = name === '' ? 'Invalid strategy' : `Invalid strategy \`${echoInput(name)}\``;
  const forms = `Accepted strategies:\n  ${ACCEPTED_STRATEGY_FORMS.join('\n  ')}`;
  return new UsageError('STRATEGY_INVALID', `${subject}: ${problem}`, {
    hint: extraHint ? `${extraHint}\n${forms}` : forms,
  });
}
