/**
 * Lambda service limits worth checking before a deploy, so a doomed upload fails in
 * milliseconds with a clear message instead of after a slow request.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
import { formatDurationCompact, type ParseDurationOptions, parseDuration } from './duration.js';
import { echoInput } from './echo.js';
import { UsageError } from './errors.js';
import { describeUnprintable } from './printable.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const LAMBDA_LIMITS = {
  memoryMinMb: 128,
  memoryMaxMb: 10_240,
  timeoutMaxSeconds: 900,
  /** Direct upload (UpdateFunctionCode ZipFile); larger archives must go through S3. */
  zipUploadBytes: 50 * MiB,
  /** Deployment package unzipped, layers included. */
  unzippedBytes: 250 * MiB,
  imageBytes: 10 * GiB,
  syncPayloadBytes: 6 * MiB,
  asyncPayloadBytes: 256 * 1024,
  ephemeralStorageDefaultMb: 512,
  ephemeralStorageMaxMb: 10_240,
  /** PublishVersion `Description`: https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html */
  versionDescriptionChars: 256,
} as const;

/** `52428800` → `50.0 MB` (binary megabytes, as the Lambda console and docs count them). */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

/** Throws UsageError `ZIP_TOO_LARGE` when a zip cannot be uploaded directly. */
export function checkZipSize(bytes: number, fileName = 'the zip'): void {
  if (bytes <= LAMBDA_LIMITS.zipUploadBytes) return;
  throw new UsageError(
    'ZIP_TOO_LARGE',
    `${fileName} is ${formatBytes(bytes)} (${bytes} bytes); Lambda accepts at most ` +
      `${formatBytes(LAMBDA_LIMITS.zipUploadBytes)} (${LAMBDA_LIMITS.zipUploadBytes} bytes) for a direct upload.`,
    { hint: 'Upload the zip to S3 and deploy with --s3-bucket and --s3-key instead of --zip.' },
  );
}

/**
 * Throws UsageError `ZIP_UNZIPPED_TOO_LARGE` when a zip declares more than Lambda unzips: S3
 * does not help there (the limit is the same), and the function's layers count on top.
 */
export function checkUnzippedSize(bytes: number, fileName = 'the zip'): void {
  const max = LAMBDA_LIMITS.unzippedBytes;
  if (bytes <= max) return;
  throw new UsageError(
    'ZIP_UNZIPPED_TOO_LARGE',
    `${fileName} unzips to ${formatBytes(bytes)} (${bytes} bytes, as its central directory declares); ` +
      `Lambda takes a package of at most ${formatBytes(max)} (${max} bytes) unzipped, the function's layers included.`,
    {
      hint: 'Leave out what the function does not need at run time (tests, dev dependencies, data files), move large dependencies to a layer within the same limit, or deploy a container image (--image-uri, up to 10 GB).',
    },
  );
}

/**
 * Throws UsageError `DESCRIPTION_TOO_LONG` for a version description Lambda would refuse
 * (a ValidationException only after the upload it follows).
 */
export function checkVersionDescription(description: string | undefined, source = '--description'): void {
  // An empty one is not "no description": PublishVersion's Description overrides the function's
  // (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html), so `''` silently
  // published a version with none where leaving the flag out keeps the function's.
  if (description !== undefined && description.trim() === '') {
    throw new UsageError(
      'INVALID_FLAG',
      `${source} is ${description === '' ? 'empty' : 'only white space'}.`,
      {
        hint: `Give the version a description, or leave ${source} out: the version then takes the function's own description.`,
      },
    );
  }
  // Found by a hostile pass: `--description $'\e[2J…'` was published, and every later listing of
  // the version (the console, `aws lambda list-versions-by-function`) carried it.
  if (description !== undefined) refuseControlCharacters(source, description);
  const max = LAMBDA_LIMITS.versionDescriptionChars;
  // Lambda counts characters (code points), not UTF-16 units or bytes.
  const length = description === undefined ? 0 : [...description].length;
  if (length <= max) return;
  throw new UsageError(
    'DESCRIPTION_TOO_LONG',
    `${source} is ${length} characters; Lambda takes a version description of at most ${max} characters.`,
    { hint: `Shorten ${source} to ${max} characters or fewer.` },
  );
}

/** Returns a problem description, or undefined when the memory size is allowed. */
export function checkMemorySize(mb: number): string | undefined {
  if (Number.isInteger(mb) && mb >= LAMBDA_LIMITS.memoryMinMb && mb <= LAMBDA_LIMITS.memoryMaxMb) {
    return undefined;
  }
  return `memory ${mb} MB is outside ${LAMBDA_LIMITS.memoryMinMb}–${LAMBDA_LIMITS.memoryMaxMb} MB`;
}

/** Returns a problem description, or undefined when the timeout is allowed. */
export function checkTimeout(seconds: number): string | undefined {
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= LAMBDA_LIMITS.timeoutMaxSeconds) {
    return undefined;
  }
  return `timeout ${seconds} s is outside 1–${LAMBDA_LIMITS.timeoutMaxSeconds} s`;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export interface DurationLimit {
  /** The longest value allowed, in seconds. */
  maxSeconds: number;
  /** What it is, for `…, the longest <what>`. */
  what: string;
}

/**
 * The longest value of every duration a user can give (flags and the config file). A typo such
 * as `--bake 1000h` would otherwise hold a deployment, its heartbeat and its alias lock for weeks;
 * an `--interval 9999h` would sleep past everything. docs/configuration.md#duration-limits
 * lists them. The deploy poll period (`--interval`, 1s–1m) has its own check and reason
 * (poll-interval.ts: the heartbeat rides on it).
 */
export const DURATION_LIMITS = {
  /** One step's hold (canary/linear interval, a `steps:` hold), even with --allow-long-shift. */
  hold: { maxSeconds: 14 * DAY, what: 'step hold' },
  /**
   * A whole shift with --allow-long-shift (without it, 48 hours: strategy.ts MAX_SHIFT_SECONDS).
   * The flag lifted every bound: `linear:0.1%:14d` was accepted as 13986 days, and a `1d` typed
   * for `1m` in a shared config with the flag, `linear:1%:1d`, a 99-day shift (found by a hostile
   * pass). 30 days is the longest rollout a person plans (a month); a longer one is a typo.
   */
  longShift: { maxSeconds: 30 * DAY, what: 'shift, even with --allow-long-shift' },
  bake: { maxSeconds: 14 * DAY, what: 'bake' },
  /** `lshift check --window`: how far back finished deployments are checked. */
  window: { maxSeconds: 14 * DAY, what: 'check window' },
  /** `lshift check --stale-after`: a heartbeat this old means its runner died. */
  staleAfter: { maxSeconds: 14 * DAY, what: 'stale limit' },
  settle: { maxSeconds: HOUR, what: 'settle wait' },
  /**
   * A hook's timeout. CodeDeploy gives its lifecycle hooks 1 hour; a `lambda:` hook cannot run
   * longer than Lambda's own 15-minute function timeout anyway:
   * https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
   */
  hookTimeout: { maxSeconds: HOUR, what: 'hook timeout' },
  /** `lshift status --watch --interval`: how often the picture is refreshed. */
  watchInterval: { maxSeconds: 5 * 60, what: 'refresh period' },
  /** `lshift promote|pause|resume|abort --wait`: how long to wait for the deployment to answer. */
  operatorWait: { maxSeconds: HOUR, what: 'wait for an answer' },
} as const satisfies Record<string, DurationLimit>;

export type DurationKind = keyof typeof DURATION_LIMITS;

/** `14d`, `1h`, `5m`: the limit as messages show it, in the units it is typed in. */
export function describeDurationLimit(kind: DurationKind): string {
  return formatDurationCompact(DURATION_LIMITS[kind].maxSeconds);
}

/**
 * Throws UsageError `DURATION_TOO_LONG` (exit 2) when `seconds` is over the limit of `kind`.
 * `source` names where the value came from (`--bake`, `the config file’s \`bake\``); `given` is
 * the text typed, echoed in the message.
 */
export function checkDurationLimit(
  kind: DurationKind,
  seconds: number,
  source: string,
  given?: string,
): void {
  const limit = DURATION_LIMITS[kind];
  if (seconds <= limit.maxSeconds) return;
  const shown = given === undefined ? formatDurationCompact(seconds) : `\`${echoInput(given)}\``;
  throw new UsageError(
    'DURATION_TOO_LONG',
    `${source} ${shown} is longer than ${describeDurationLimit(kind)}, the longest ${limit.what}.`,
    { hint: `Give ${source} a value of at most ${formatDurationCompact(limit.maxSeconds)}.` },
  );
}

/** parseDuration, then checkDurationLimit: the value's text names `source` in both errors. */
export function parseBoundedDuration(
  text: string,
  kind: DurationKind,
  source: string,
  opts: ParseDurationOptions = {},
): number {
  const seconds = parseDuration(text, source, opts);
  checkDurationLimit(kind, seconds, source, text);
  return seconds;
}

/** A text lshift prints (on a terminal, in a CI log) must be one line of plain text (--reason, --description). */
export function refuseControlCharacters(flag: string, text: string): void {
  const unprintable = describeUnprintable(text);
  if (unprintable === undefined) return;
  throw new UsageError('INVALID_FLAG', `${flag} may not hold control characters (found ${unprintable}).`, {
    hint: 'It is printed on terminals and in CI logs: write it on one line, in plain text.',
  });
}
