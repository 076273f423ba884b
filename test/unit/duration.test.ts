import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatDurationCompact,
  formatPercent,
  parseDuration,
  parseDurationMs,
  parsePercent,
} from '../../src/domain/duration.js';
import { ExitCode, UsageError } from '../../src/domain/errors.js';

function errorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseDuration', () => {
  const good: [string, number][] = [
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['1h30m', 5400],
    ['1h 30m', 5400],
    ['1h30m15s', 5415],
    ['90s', 90],
    ['2MIN', 120],
    [' 10m ', 600],
    ['1.5m', 90],
    ['0.5h', 1800],
    ['.5m', 30],
    ['2 minutes', 120],
    ['1 hour 5 mins', 3900],
    ['45sec', 45],
    ['3hrs', 10800],
    ['1minute', 60],
    ['1d', 86_400],
    ['2D', 172_800],
    ['1d12h', 129_600],
    ['1 day 2 hours', 93_600],
    ['3days', 259_200],
    ['0.5d', 43_200],
  ];
  it.each(good)('%s → %i s', (text, seconds) => {
    expect(parseDuration(text, '--interval')).toBe(seconds);
  });

  it('has a millisecond variant', () => {
    expect(parseDurationMs('1m30s', '--timeout')).toBe(90_000);
  });

  const bad: [string, string][] = [
    ['30', '--interval `30` has no unit'],
    ['0.5', '--interval `0.5` has no unit'],
    ['', '--interval `` is empty'],
    ['5w', '--interval `5w` has an unknown unit `w` (use s, m, h or d)'],
    ['500ms', '--interval `500ms` has an unknown unit `ms` (use s, m, h or d)'],
    ['1h30', '--interval `1h30` has no unit after `30`'],
    ['m5', '--interval `m5` cannot be read at `m5`'],
    ['-5m', '--interval `-5m` is negative: a duration is a length of time, such as 5m'],
    ['- 1s', '--interval `- 1s` is negative: a duration is a length of time, such as 1s'],
    // Not "such as 1": `1` has no unit and is refused in turn.
    ['-1', '--interval `-1` is negative and has no unit: a duration is a length of time, such as 1m'],
    ['-0.5', '--interval `-0.5` is negative and has no unit: a duration is a length of time, such as 0.5m'],
    [`${'9'.repeat(400)}s`, 'is too large a number to be a duration'],
    ['5m!', '--interval `5m!` cannot be read at `!`'],
    // `1d1d` read as 2 days: a unit said twice is a typo, not a sum.
    ['1d1d', '--interval `1d1d` says `d` twice'],
    ['5m 5m', '--interval `5m 5m` says `m` twice'],
    ['1 hour 1h', '--interval `1 hour 1h` says `h` twice'],
    ['2 minutes 3min', '--interval `2 minutes 3min` says `m` twice'],
    // `30s5m`: the larger unit comes first, as formatDuration writes it.
    ['30s5m', '--interval `30s5m` has `m` after `s`: write the larger unit first'],
    ['1h2d', '--interval `1h2d` has `d` after `h`: write the larger unit first'],
    ['1.5s', '--interval `1.5s` is not a whole number of seconds'],
    ['0s', '--interval `0s` must be greater than zero'],
    // Not "has no unit": its hint suggested `0s`, refused in turn as not greater than zero.
    ['0', '--interval `0` must be greater than zero'],
    ['0.0', '--interval `0.0` must be greater than zero'],
    // Months to many: `--window 2M` was 2 minutes.
    ['2M', '--interval `2M` uses `M`, which could mean months: write `m` for minutes'],
    ['1h 30M', '--interval `1h 30M` uses `M`'],
  ];
  it.each(bad)('%s → %s', (text, fragment) => {
    const error = errorOf(() => parseDuration(text, '--interval'));
    expect(error.code).toBe('INVALID_DURATION');
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toContain(fragment);
    expect(error.hint).toBeTruthy();
  });

  it.each(bad)('%s: the hint lists every unit (s, m, h, d)', (text) => {
    const hint = errorOf(() => parseDuration(text, '--interval')).hint ?? '';
    for (const unit of ['s', 'm', 'h', 'd']) expect(hint).toMatch(new RegExp(`\\b\\d*${unit}\\b`));
  });

  it('names the units in its hint', () => {
    expect(errorOf(() => parseDuration('5w', '--bake')).hint).toBe(
      'Write a number with a unit: s, m, h or d (seconds, minutes, hours, days), alone or combined, e.g. `30s`, `5m`, `1h30m`, `2d`.',
    );
  });

  it('suggests the units for a bare number', () => {
    expect(errorOf(() => parseDuration('30', '--bake')).hint).toBe(
      'Add a unit: `30s` for seconds, `30m` for minutes, `30h` for hours or `30d` for days.',
    );
    expect(errorOf(() => parseDuration('1'.repeat(300), '--bake')).hint).toBe(
      'Add a unit: s for seconds, m for minutes, h for hours or d for days.',
    );
  });

  it('accepts zero only when allowed', () => {
    expect(parseDuration('0s', '--bake', { allowZero: true })).toBe(0);
    expect(parseDuration('0', '--bake', { allowZero: true })).toBe(0);
    expect(parseDuration('0m', '--bake', { allowZero: true })).toBe(0);
    expect(errorOf(() => parseDuration('0m', '--bake')).message).toContain('must be greater than zero');
  });
});

describe('formatDuration', () => {
  const cases: [number, string, string][] = [
    [0, '0s', '0s'],
    [45, '45s', '45s'],
    [60, '1m', '1m'],
    [540, '9m', '9m'],
    [90, '1m 30s', '1m30s'],
    [3600, '1h', '1h'],
    [5400, '1h 30m', '1h30m'],
    [3605, '1h 5s', '1h5s'],
    [3661, '1h 1m 1s', '1h1m1s'],
    [23 * 3600 + 59 * 60 + 59, '23h 59m 59s', '23h59m59s'],
    // A day or more is said in days, the unit `--bake 2d` or `--window 14d` is typed in (not 48h, 336h).
    [86400, '1d', '1d'],
    [36 * 3600, '1d 12h', '1d12h'],
    [48 * 3600, '2d', '2d'],
    [54 * 3600 + 60, '2d 6h 1m', '2d6h1m'],
    [86400 + 5, '1d 5s', '1d5s'],
    [14 * 86400, '14d', '14d'],
    [400 * 3600, '16d 16h', '16d16h'],
    [59.6, '1m', '1m'],
    [-90, '-1m 30s', '-1m30s'],
    [-36 * 3600, '-1d 12h', '-1d12h'],
  ];
  it.each(cases)('%d → %s / %s', (seconds, spaced, compact) => {
    expect(formatDuration(seconds)).toBe(spaced);
    expect(formatDurationCompact(seconds)).toBe(compact);
  });

  it.each([45, 540, 5400, 3661, 86400, 129600, 172800, 14 * 86400 + 3661])(
    'round-trips %d s through parseDuration',
    (seconds) => {
      expect(parseDuration(formatDuration(seconds), 'x')).toBe(seconds);
      expect(parseDuration(formatDurationCompact(seconds), 'x')).toBe(seconds);
    },
  );
});

describe('parsePercent', () => {
  const good: [string, number][] = [
    ['1%', 1],
    ['0.5%', 0.5],
    ['1', 1],
    ['10 %', 10],
    [' 33.3% ', 33.3],
    ['.5', 0.5],
    ['0', 0],
    ['100%', 100],
    // Kept as formatPercent writes it (to 1e-9): the checks see what is recorded.
    ['99.99999999999%', 100],
    ['0.00000000001%', 0],
    ['50.0000000000001', 50],
  ];
  it.each(good)('%s → %d', (text, value) => {
    expect(parsePercent(text, '--max-error-rate')).toBe(value);
  });

  const bad: [string, string][] = [
    ['ten', '--max-error-rate `ten` is not a percentage'],
    ['', '--max-error-rate `` is not a percentage'],
    ['-1%', '--max-error-rate `-1%` is not a percentage'],
    ['5%%', '--max-error-rate `5%%` is not a percentage'],
    ['1e2', '--max-error-rate `1e2` is not a percentage'],
    ['100.5%', '--max-error-rate `100.5%` is above 100%'],
  ];
  it.each(bad)('%s → %s', (text, fragment) => {
    const error = errorOf(() => parsePercent(text, '--max-error-rate'));
    expect(error.code).toBe('INVALID_PERCENT');
    expect(error.message).toContain(fragment);
    expect(error.hint).toBeTruthy();
  });
});

describe('formatPercent', () => {
  it.each([
    [10, '10%'],
    [0.5, '0.5%'],
    [0.1 * 3, '0.3%'],
    [100, '100%'],
    // Not `1e-7%`, which parsePercent refuses.
    [1e-7, '0.0000001%'],
    [0.000000001, '0.000000001%'],
    [12.5e-8, '0.000000125%'],
  ])('%d → %s', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });
});
