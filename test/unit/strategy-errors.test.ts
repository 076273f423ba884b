import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../src/domain/errors.js';
import { ACCEPTED_STRATEGY_FORMS, parseStrategy } from '../../src/domain/strategy.js';

function errorOf(text: string, opts?: { allowLong?: boolean }): UsageError {
  try {
    parseStrategy(text, opts);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`parseStrategy accepted \`${text}\``);
}

const BAD: { text: string; fragment: string }[] = [
  { text: '', fragment: 'the strategy is empty' },
  { text: '   ', fragment: 'the strategy is empty' },
  { text: 'blue-green', fragment: '`blue-green` is not a known strategy' },
  { text: 'rolling:10%', fragment: '`rolling` is not a known strategy' },
  {
    text: '::error::pwn',
    fragment: 'Invalid strategy `::error::pwn`: `::error::pwn` is not a known strategy',
  },
  { text: ':10%:5m', fragment: '`:10%:5m` is not a known strategy' },
  { text: 'all-at-once:now', fragment: '`all-at-once` takes no parameters' },
  // Near misses of predefined names: named, with the custom spelling that works.
  {
    text: 'CodeDeployDefault.LambdaCanary10Percent7Minutes',
    fragment: 'not one of the 9 CodeDeploy predefined Lambda configurations; did you mean `canary:10%:7m`?',
  },
  { text: 'Canary20Percent5Minutes', fragment: 'did you mean `canary:20%:5m`?' },
  { text: 'Linear10PercentEvery1Minutes', fragment: 'did you mean `linear:10%:1m`?' },
  { text: 'Linear10PercentEvery5Minute', fragment: 'did you mean `linear:10%:5m`?' },
  {
    text: 'CodeDeployDefault.ECSAllAtOnce',
    fragment:
      'is not one of the 9 CodeDeploy predefined Lambda configurations; did you mean `CodeDeployDefault.LambdaAllAtOnce`?',
  },
  {
    text: 'CodeDeployDefault.Canary10Percent5Minutes',
    fragment: 'did you mean `CodeDeployDefault.LambdaCanary10Percent5Minutes`?',
  },
  { text: 'CodeDeployDefault.LambdaCanary10Percent45Minutes', fragment: 'did you mean `canary:10%:45m`?' },
  { text: 'CodeDeployDefault.OneAtATime', fragment: 'is not one of the 9 CodeDeploy predefined' },
  // canary / linear shape
  { text: 'canary', fragment: 'canary needs a percentage and an interval: `canary:<percent>:<duration>`' },
  { text: 'canary:10%', fragment: 'canary needs a percentage and an interval' },
  { text: 'linear:10%:1m:5', fragment: 'linear needs a percentage and an interval' },
  { text: 'linear::1m', fragment: 'linear needs a percentage and an interval' },
  { text: 'canary:ten:5m', fragment: 'canary percentage `ten` is not a percentage' },
  { text: 'canary:-5%:5m', fragment: 'canary percentage `-5%` is not a percentage' },
  { text: 'canary:0%:5m', fragment: 'canary percentage 0% must be above 0% and below 100%' },
  { text: 'canary:100%:5m', fragment: 'must be above 0% and below 100% (use all-at-once' },
  { text: 'linear:100:1m', fragment: 'linear percentage 100% must be above 0% and below 100%' },
  // Judged as recorded (to 1e-9): these passed and were recorded as `canary:100%:1m`,
  // `canary:0%:10m` — records lshift then refused to read (rollback, resume, check: hostile pass).
  {
    text: 'canary:99.99999999999%:1m',
    fragment:
      'canary percentage `99.99999999999%` (100% to the 9 decimal places lshift keeps) must be above 0% and below 100%',
  },
  {
    text: 'canary:0.00000000001%:10m',
    fragment: 'canary percentage `0.00000000001%` (0% to the 9 decimal places lshift keeps) must be above 0%',
  },
  { text: 'linear:150%:1m', fragment: 'linear percentage `150%` is above 100%' },
  { text: 'linear:0.05%:1m', fragment: 'linear percentage 0.05% is below 0.1% (at most 1000 steps)' },
  { text: 'canary:10%:5', fragment: 'canary interval `5` has no unit' },
  { text: 'canary:10%:0m', fragment: 'canary interval `0m` must be greater than zero' },
  { text: 'canary:10%:5w', fragment: 'canary interval `5w` has an unknown unit `w` (use s, m, h or d)' },
  { text: 'linear:10%:1d', fragment: 'the shift takes 9d, over the 48-hour limit' },
  { text: 'linear:10%:1h30', fragment: 'linear interval `1h30` has no unit after `30`' },
  { text: 'linear:10%:1.5s', fragment: 'linear interval `1.5s` is not a whole number of seconds' },
  // step lists
  { text: 'steps:', fragment: 'steps needs a list such as `steps:10%@5m,50%@5m,100%`' },
  { text: 'steps:10%@1m,,100%', fragment: 'step 2 is empty' },
  { text: 'steps:10%@1m,5%@1m,100%', fragment: 'step 2 `5%@1m` is not above the previous weight 10%' },
  { text: 'steps:10%@1m,10%@1m,100%', fragment: 'step 2 `10%@1m` is not above the previous weight 10%' },
  {
    text: 'steps:50%@1m,50.0000000000001%@1m,100%',
    fragment: 'step 2 `50.0000000000001%@1m` is not above the previous weight 50%',
  },
  {
    text: 'steps:99.99999999999%@1m,100%',
    fragment: 'step 1 `99.99999999999%@1m` reaches 100%, which must be the last step',
  },
  { text: 'steps:10%@1m,50%@2m', fragment: 'the last step `50%@2m` must be `100%`; add `,100%` at the end' },
  { text: 'steps:10%,100%', fragment: 'step 1 `10%` needs a hold, e.g. `10%@5m`' },
  { text: 'steps:10%@5m,100%@5m', fragment: 'step 2 `100%@5m`: the final 100% step has no hold' },
  { text: 'steps:10%@5m,100%,100%', fragment: 'step 2 `100%` reaches 100%, which must be the last step' },
  { text: 'steps:0%@5m,100%', fragment: 'step 1 `0%@5m` must be above 0%' },
  { text: 'steps:10%@5m@6m,100%', fragment: 'step 1 `10%@5m@6m` has more than one @' },
  { text: 'steps:120%@5m,100%', fragment: 'step 1 `120%@5m` weight `120%` is above 100%' },
  { text: 'steps:10%@5,100%', fragment: 'step 1 `10%@5` hold `5` has no unit' },
  { text: 'steps:10%@0s,100%', fragment: 'step 1 `10%@0s` hold `0s` must be greater than zero' },
  { text: 'steps:x@5m,100%', fragment: 'step 1 `x@5m` weight `x` is not a percentage' },
  // 48 h limit
  { text: 'canary:10%:48h1s', fragment: 'the shift takes 2d 1s, over the 48-hour limit' },
  { text: 'linear:10%:6h', fragment: 'the shift takes 2d 6h, over the 48-hour limit' },
  { text: 'steps:10%@24h,50%@24h,90%@1m,100%', fragment: 'the shift takes 2d 1m, over the 48-hour limit' },
];

describe('parseStrategy errors', () => {
  it.each(BAD)('`$text` → $fragment', ({ text, fragment }) => {
    const error = errorOf(text);
    expect(error.code).toBe('STRATEGY_INVALID');
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toContain(fragment);
    expect(error.hint).toBeTruthy();
  });

  it.each(BAD.filter((b) => b.text.trim() !== ''))('`$text` names the strategy as written', ({ text }) => {
    expect(errorOf(text).message).toContain(`Invalid strategy \`${text.trim()}\``);
  });

  it('lists the accepted forms in the hint', () => {
    const hint = errorOf('blue-green').hint!;
    for (const line of ACCEPTED_STRATEGY_FORMS) expect(hint).toContain(line);
  });

  it('keeps the unit advice of a bad duration and adds the accepted forms', () => {
    const hint = errorOf('canary:10%:5').hint!;
    expect(hint).toContain(
      'Add a unit: `5s` for seconds, `5m` for minutes, `5h` for hours or `5d` for days.',
    );
    expect(hint).toContain('canary:<percent>:<duration>');
  });

  it('points at --allow-long-shift when the shift is over 48 h', () => {
    expect(errorOf('canary:10%:49h').hint).toContain('--allow-long-shift');
  });

  it('still validates shape when allowLong is set', () => {
    expect(errorOf('steps:10%@72h,5%@1m,100%', { allowLong: true }).message).toContain(
      'step 2 `5%@1m` is not above the previous weight 10%',
    );
  });

  it('accepted forms mention every kind and the CodeDeploy names', () => {
    const all = ACCEPTED_STRATEGY_FORMS.join('\n');
    for (const word of [
      'canary:',
      'linear:',
      'all-at-once',
      'steps:',
      'CodeDeployDefault.Lambda',
      'AllAtOnce',
    ]) {
      expect(all).toContain(word);
    }
  });

  // Seen in a hostile pass: `lshift plan Linear0PercentEvery1Minute` suggested `linear:0%:1m`,
  // itself refused. Every suggestion printed must parse; a near miss whose custom spelling would
  // be refused says why instead.
  it.each([
    'Linear0PercentEvery1Minute',
    'Canary0Percent5Minutes',
    'Linear100PercentEvery1Minute',
    'Canary100Percent5Minutes',
    'Canary10Percent0Minutes',
    'Linear10PercentEvery0Minutes',
    'Linear10PercentEvery1000Minutes',
    'CodeDeployDefault.LambdaCanary10Percent30000Minutes',
    'Canary20Percent5Minutes',
    'Linear5PercentEvery2Minutes',
    'CodeDeployDefault.ECSAllAtOnce',
    'CodeDeployDefault.Canary10Percent5Minutes',
  ])('%s: every suggestion it prints parses', (text) => {
    const { message, hint } = errorOf(text);
    const suggested = [...`${message}\n${hint}`.matchAll(/did you mean `([^`]+)`/g)].map((m) => m[1]!);
    for (const spec of suggested) expect(() => parseStrategy(spec), spec).not.toThrow();
    if (suggested.length === 0) expect(message).toMatch(/nor a valid custom one: \S/);
  });

  it('a near miss whose custom spelling is refused says why, without printing that spelling', () => {
    const { message } = errorOf('Linear0PercentEvery1Minute');
    expect(message).toBe(
      'Invalid strategy `Linear0PercentEvery1Minute`: `Linear0PercentEvery1Minute` is not one of the 9 CodeDeploy predefined Lambda configurations, nor a valid custom one: linear percentage 0% must be above 0% and below 100%',
    );
    expect(message).not.toContain('linear:0%:1m');
    expect(errorOf('Linear100PercentEvery1Minute').message).toContain(
      'nor a valid custom one: linear percentage 100% must be above 0% and below 100% (use all-at-once to move everything at once)',
    );
  });
});
