/**
 * Durations and percentages as users type them on the command line (`5m`, `1h30m`, `0.5%`).
 * Pure. Errors are UsageError naming `what` (the flag or strategy part) so the user can find it.
 */
import { ECHO_MAX_CHARS, echoInput } from './echo.js';
import { UsageError } from './errors.js';

export interface ParseDurationOptions {
  /** Accept a zero duration (`0s`, or a bare `0`). Off by default: most durations must be positive. */
  allowZero?: boolean;
}

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};

/** The units every duration error names (the long spellings are in docs/strategies.md). */
export const DURATION_UNITS = 's, m, h or d';

/** Seconds in one `unit` as lshift's durations spell it (`s`, `min`, `hours`…), or undefined. */
export function unitSeconds(unit: string): number | undefined {
  return Object.hasOwn(UNIT_SECONDS, unit) ? UNIT_SECONDS[unit] : undefined;
}

const DURATION_HINT = `Write a number with a unit: ${DURATION_UNITS} (seconds, minutes, hours, days), alone or combined, e.g. \`30s\`, \`5m\`, \`1h30m\`, \`2d\`.`;
const NUMBER = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;
const COMPONENT = new RegExp(String.raw`(${NUMBER})\s*([a-z]+)\s*`, 'y');
const BARE_NUMBER = new RegExp(`^${NUMBER}$`);
/** A number followed by a capital `M` alone (not `MIN`, `Minutes`). */
const MONTHS_OR_MINUTES = /\d\s*M(?![a-zA-Z])/;

/** Parses `30s`, `5m`, `1h`, `1h30m`, `1h 30m`, `2 minutes`, `1d` into whole seconds. */
export function parseDuration(text: string, what: string, opts: ParseDurationOptions = {}): number {
  const input = text.trim().toLowerCase();
  if (input === '') {
    throw durationError(what, text, 'is empty');
  }
  if (BARE_NUMBER.test(input)) {
    if (Number(input) === 0) {
      if (opts.allowZero) return 0;
      // "has no unit" would suggest `0s`, refused in turn: say the real problem at once.
      throw durationError(what, text, 'must be greater than zero');
    }
    const hint =
      input.length > ECHO_MAX_CHARS
        ? 'Add a unit: s for seconds, m for minutes, h for hours or d for days.'
        : `Add a unit: \`${input}s\` for seconds, \`${input}m\` for minutes, \`${input}h\` for hours or \`${input}d\` for days.`;
    throw new UsageError('INVALID_DURATION', `${what} \`${echoInput(text.trim())}\` has no unit`, {
      hint,
    });
  }
  // A capital M alone is months to many (ISO 8601's P2M, `date`, spreadsheets): `--window 2M` read
  // as 2 minutes watched 2 minutes, not 2 months, silently (found by a hostile pass).
  if (MONTHS_OR_MINUTES.test(text)) {
    throw durationError(
      what,
      text,
      'uses `M`, which could mean months: write `m` for minutes (lshift has no months)',
    );
  }
  const negative = /^-\s*(\S.*)$/.exec(input);
  if (negative) {
    // `--bake -1s`: "cannot be read at `-1s`" did not say what was wrong with it.
    const magnitude = negative[1]!;
    // `-1` has no unit either: "such as 1" suggested a value refused in turn.
    const problem = BARE_NUMBER.test(magnitude)
      ? `is negative and has no unit: a duration is a length of time, such as ${echoInput(magnitude)}m`
      : `is negative: a duration is a length of time, such as ${echoInput(magnitude)}`;
    throw durationError(what, text, problem);
  }
  const seconds = sumComponents(input, text, what);
  if (!Number.isFinite(seconds)) {
    // Hundreds of digits read as Infinity: "not a whole number of seconds" said the wrong thing.
    throw durationError(what, text, 'is too large a number to be a duration');
  }
  if (!Number.isInteger(seconds)) {
    throw durationError(what, text, 'is not a whole number of seconds');
  }
  if (seconds === 0 && !opts.allowZero) {
    throw durationError(what, text, 'must be greater than zero');
  }
  return seconds;
}

/** Same as parseDuration, in milliseconds (for APIs and clocks that count in ms). */
export function parseDurationMs(text: string, what: string, opts: ParseDurationOptions = {}): number {
  return parseDuration(text, what, opts) * 1000;
}

const UNIT_SHORT_NAME: Record<number, string> = { 1: 's', 60: 'm', 3600: 'h', 86400: 'd' };

function sumComponents(input: string, original: string, what: string): number {
  let total = 0;
  // `1d1d` summed to 2 days and `30s5m` to 5m30s: a unit said twice or out of order is a typo
  // (formatDuration writes each unit once, largest first), so refuse it rather than guess.
  let previousUnit: number | undefined;
  COMPONENT.lastIndex = 0;
  while (COMPONENT.lastIndex < input.length) {
    const at = COMPONENT.lastIndex;
    const match = COMPONENT.exec(input);
    if (!match) {
      const rest = input.slice(at).trim();
      const problem = BARE_NUMBER.test(rest)
        ? `has no unit after \`${echoInput(rest)}\``
        : `cannot be read at \`${echoInput(rest)}\``;
      throw durationError(what, original, problem);
    }
    const unit = UNIT_SECONDS[match[2]!];
    if (unit === undefined) {
      throw durationError(
        what,
        original,
        `has an unknown unit \`${echoInput(match[2]!)}\` (use ${DURATION_UNITS})`,
      );
    }
    checkUnitOrder(previousUnit, unit, what, original);
    previousUnit = unit;
    total += Number(match[1]) * unit;
  }
  // Decimal components (`1.5m`) may leave float noise; a whole-second result is still exact.
  return Math.round(total * 1000) / 1000;
}

function checkUnitOrder(previous: number | undefined, unit: number, what: string, text: string): void {
  if (previous === undefined || unit < previous) return;
  const name = UNIT_SHORT_NAME[unit]!;
  const problem =
    unit === previous
      ? `says \`${name}\` twice`
      : `has \`${name}\` after \`${UNIT_SHORT_NAME[previous]!}\`: write the larger unit first`;
  throw durationError(what, text, problem);
}

function durationError(what: string, text: string, problem: string): UsageError {
  return new UsageError('INVALID_DURATION', `${what} \`${echoInput(text.trim())}\` ${problem}`, {
    hint: DURATION_HINT,
  });
}

/** The units a duration is said in, largest first: the ones parseDuration reads back. */
const SAID_UNITS: readonly [string, number][] = [
  ['d', 86400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/**
 * `0s`, `45s`, `9m`, `1h 30m`, `1d 12h`, `2d 2h 5s`: days, hours, minutes, seconds, zero parts
 * left out — the units a user types (`--bake 2d`), never `36h` for a day and a half.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of SAID_UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return sign + parts.join(' ');
}

/** Compact form without spaces (`1h30m`, `1d12h`), as used inside strategy strings. */
export function formatDurationCompact(seconds: number): string {
  return formatDuration(seconds).replaceAll(' ', '');
}

const PERCENT = new RegExp(`^(${NUMBER})\\s*%?$`);

/** Parses `1%`, `0.5%`, `1` into the number of percent (1, 0.5, 1). Accepts 0 to 100. */
export function parsePercent(text: string, what: string): number {
  const input = text.trim();
  const match = PERCENT.exec(input);
  if (!match) {
    throw new UsageError('INVALID_PERCENT', `${what} \`${echoInput(input)}\` is not a percentage`, {
      hint: 'Write a number from 0 to 100, optionally followed by %, e.g. `10%`, `0.5%` or `25`.',
    });
  }
  // What lshift keeps and writes (formatPercent): every check is made on it, not on the digits
  // typed. `canary:99.99999999999%:1m` passed "below 100%" and was recorded as `canary:100%:1m`,
  // a record lshift then refused to read — rollback, resume and check with it (hostile pass).
  const value = roundPercent(Number(match[1]));
  if (value > 100) {
    throw new UsageError('INVALID_PERCENT', `${what} \`${echoInput(input)}\` is above 100%`, {
      hint: 'A percentage of traffic is between 0 and 100.',
    });
  }
  return value;
}

/**
 * `10%`, `0.5%`, `33.333%`: no trailing zeros, no float noise, and never an exponent (`1e-7%`
 * read back as "not a percentage").
 */
export function formatPercent(percent: number): string {
  const rounded = roundPercent(percent);
  const digits = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(9).replace(/0+$/, '');
  return `${digits}%`;
}

/** Rounds away float noise (0.1 * 3 = 0.30000000000000004) while keeping any precision a user can type. */
export function roundPercent(percent: number): number {
  return Math.round(percent * 1e9) / 1e9;
}
