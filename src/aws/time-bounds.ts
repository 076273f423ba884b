/**
 * Every AWS call lshift makes ends in a bounded time (docs/exit-codes.md, "Time bounds").
 *
 * - One attempt (one HTTP request) gets `attemptMs` from the start to the response headers
 *   (NodeHttpHandler `requestTimeout` with `throwOnRequestTimeout`; without it the SDK only logs
 *   a warning). The SDK's connection timeout alone lets an endpoint that accepts and never
 *   answers hang a deploy forever.
 * - One call (the SDK's retries included, whatever AWS_MAX_ATTEMPTS says, and a body that
 *   stalls after the headers) is cut off after `callMs` = 3 × attemptMs + 1 s: the SDK's
 *   standard mode makes 3 attempts with sub-second backoff for timeouts.
 * - Exceptions, each with its own bound: UpdateFunctionCode uploads a zip of up to 50 MB
 *   (`uploadMs` per attempt), paginated listings get `callMs` per 50-item page budget
 *   (`listMs`), and a hook's synchronous Invoke is bounded by that hook's own timeout (a Lambda
 *   may run up to 15 minutes: https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html).
 *
 * `LSHIFT_AWS_TIMEOUT` (e.g. `10s`, `2500ms`, `1m`) sets attemptMs; the others follow from it.
 * One call's deadline is kept by ./call-deadline.ts (boundedCall).
 *
 * A deploy whose endpoint stalls mid-shift therefore ends (exit 3, or 4 with the fix command)
 * within B + L × (P + 3B) + 14B + 3.5 s, B = callMs, L = --health-error-limit, P = --interval:
 * the call in flight, L unreadable polls (health read + heartbeat read/write), then the
 * rollback's record read/write, 4 alias writes each with a confirming re-read, 3 re-reads, 3.5 s
 * of waits and the final record write. Defaults: ≈ 778 s. Derivation: docs/exit-codes.md#time-bounds.
 */
import { DURATION_UNITS, unitSeconds } from '../domain/duration.js';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';

export interface TimeBounds {
  /** TCP connect (part of an attempt). */
  connectMs: number;
  /** One HTTP request: to the response headers, and the longest socket idle while reading. */
  attemptMs: number;
  /** One control-plane call including the SDK's retries. */
  callMs: number;
  /** One UpdateFunctionCode attempt (uploads a zip). */
  uploadMs: number;
  /** A paginated listing (all pages). */
  listMs: number;
}

export const DEFAULT_ATTEMPT_MS = 10_000;
/** The SDK's standard retry mode makes this many attempts. */
export const SDK_ATTEMPTS = 3;
/** Retry backoff of the SDK's standard mode for transient errors stays well under a second. */
const BACKOFF_ALLOWANCE_MS = 1_000;

export function timeBounds(attemptMs = DEFAULT_ATTEMPT_MS): TimeBounds {
  return {
    connectMs: Math.min(5_000, attemptMs),
    attemptMs,
    callMs: SDK_ATTEMPTS * attemptMs + BACKOFF_ALLOWANCE_MS,
    uploadMs: Math.max(300_000, attemptMs),
    listMs: 4 * (SDK_ATTEMPTS * attemptMs + BACKOFF_ALLOWANCE_MS),
  };
}

/**
 * `LSHIFT_AWS_TIMEOUT`'s range. Below 100 ms no request to AWS can answer. Above 15 s, one call
 * hung until its bound (3 × T + 1 s, 46 s at 15 s) could leave a live runner's record unchanged
 * for longer than the 120 s after which `lshift check` takes it for abandoned and rolls it back
 * under it: a poll-driven heartbeat comes at most 60 s after the last one (a 30 s spacing written
 * at polls no more than a 1-minute --interval apart; a release's whole polls at most 60 s apart),
 * and the heartbeat's own record read or write hung adds its bound: 60 + 46 = 106 s, 14 s left
 * for the calls that answer. The alias writes and a poll's reads beat beside themselves
 * (src/engine/beating-driver.ts, health-monitor.ts). Derivation:
 * docs/exit-codes.md#time-bounds.
 */
export const MIN_ATTEMPT_MS = 100;
export const MAX_ATTEMPT_MS = 15_000;

/** Bounds from `LSHIFT_AWS_TIMEOUT` (or the defaults); a malformed value is a usage error. */
export function timeBoundsFromEnv(env: NodeJS.ProcessEnv = process.env): TimeBounds {
  const raw = env['LSHIFT_AWS_TIMEOUT']?.trim();
  if (!raw) return timeBounds();
  // A bare number is refused: `1` may mean 1 s or 1 ms, and the two are a thousand times apart.
  if (/^\d+(?:\.\d+)?$/.test(raw)) throw timeoutError(raw, describeMissingUnit(raw));
  const ms = readMs(raw.toLowerCase());
  if (!Number.isFinite(ms)) {
    throw timeoutError(
      raw,
      `is not a duration: a number with a unit (ms, ${DURATION_UNITS}) such as 10s, 2500ms or 1m`,
    );
  }
  if (ms > MAX_ATTEMPT_MS) throw timeoutError(raw, describeTooLong(ms));
  if (ms < MIN_ATTEMPT_MS) {
    throw timeoutError(raw, `is outside ${formatMs(MIN_ATTEMPT_MS)} to ${formatMs(MAX_ATTEMPT_MS)}`);
  }
  return timeBounds(Math.round(ms));
}

/**
 * `2500ms`, `10s`, `1m`, `1m 30s` in ms, or NaN: the units of lshift's other durations
 * (../domain/duration.ts) plus `ms`, which only a request timeout needs.
 */
function readMs(text: string): number {
  const part = /(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*/y;
  let total = 0;
  while (part.lastIndex < text.length) {
    const m = part.exec(text);
    if (!m) return Number.NaN;
    const unitMs = m[2] === 'ms' ? 1 : (unitSeconds(m[2]!) ?? Number.NaN) * 1000;
    total += Number(m[1]) * unitMs;
  }
  return total;
}

/** `has no unit: write 1s` (or `500ms`): only a reading inside the range is offered. */
function describeMissingUnit(number: string): string {
  const n = Number(number);
  const fits = (ms: number) => ms >= MIN_ATTEMPT_MS && ms <= MAX_ATTEMPT_MS;
  const readings = [...(fits(n * 1000) ? [`${number}s`] : []), ...(fits(n) ? [`${number}ms`] : [])];
  return readings.length === 0
    ? `has no unit, and is outside ${formatMs(MIN_ATTEMPT_MS)} to ${formatMs(MAX_ATTEMPT_MS)} in ms or s`
    : `has no unit: write ${readings.join(' or ')}`;
}

/** Why a request timeout above the range is refused: what one call could then take. */
function describeTooLong(ms: number): string {
  const callMs = timeBounds(ms).callMs;
  return `is longer than ${formatMs(MAX_ATTEMPT_MS)}: one AWS call may take 3 × its request timeout + 1 s with its retries (${formatMs(callMs)}), and a running deployment waiting that long for one call can go 2 minutes without a heartbeat, which lshift check takes for an abandoned deployment and rolls back`;
}

function timeoutError(raw: string, problem: string): UsageError {
  return new UsageError('INVALID_DURATION', `LSHIFT_AWS_TIMEOUT=${echoInput(raw)} ${problem}.`, {
    hint: 'It is one AWS request’s timeout, 100ms to 15s, e.g. LSHIFT_AWS_TIMEOUT=10s (the default); or unset it.',
  });
}

/** `10 s`, `2.5 s`, `500 ms`: for messages. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
