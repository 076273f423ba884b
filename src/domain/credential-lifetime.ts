/**
 * Will the credentials outlast the deployment? Once the alias is split, every later write — the
 * next step, the rollback — needs them. Credentials that cannot renew themselves (access keys
 * in environment variables or a profile, as CI jobs export them after assuming a role for 1 h by
 * default) and expire mid-shift leave the alias split with nothing able to restore it.
 * docs/configuration.md#credentials-that-expire
 */
import { formatDuration } from './duration.js';
import type { Plan } from './plan.js';

export interface CredentialLifetime {
  /**
   * The SDK fetches new credentials before these expire (SSO, an assumed role of a profile,
   * web identity, container or instance roles, `credential_process`).
   */
  renews: boolean;
  /** When they stop working (ms since the epoch), if the provider says. */
  expiresAtMs?: number;
  /** A session token: temporary credentials, whose lifetime may be unknown. */
  temporary: boolean;
  /** Where they come from, for messages (`environment variables`, `a profile's access keys`). */
  source: string;
  /** AWS_CREDENTIAL_EXPIRATION as given when it is set but is not a date (the expiry is then unknown). */
  unreadableExpiry?: string;
}

/**
 * A rollback after the last moment of the plan: the reads that decide it and a few writes,
 * each bounded by LSHIFT_AWS_TIMEOUT (≤ 60 s) times the SDK's attempts.
 */
export const ROLLBACK_ALLOWANCE_SECONDS = 300;

/**
 * Temporary credentials of unknown lifetime last at least this long when they were just made:
 * AssumeRole's default DurationSeconds and the default of aws-actions/configure-aws-credentials
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). Longer deployments
 * get a warning.
 */
export const DEFAULT_SESSION_SECONDS = 3600;

export interface LongestRun {
  seconds: number;
  /** What adds up to it, for the message: `shift 1 h 30 m`, `settle up to 7 m`… */
  parts: string[];
}

export interface RunShape {
  plan: Plan;
  bakeSeconds: number;
  /** How many hooks run (step hooks once per step), and for how long at most, all together. */
  hookCount: number;
  hookSeconds: number;
}

/** The longest a deployment of this shape can run, not counting an operator's pause. */
export function longestRun(shape: RunShape): LongestRun {
  const settle = shape.plan.settleSeconds ?? 0;
  const hooks = shape.hookSeconds;
  const items: [string, number][] = [
    ['shift', shape.plan.totalSeconds],
    ['settle up to', settle],
    ['bake', shape.bakeSeconds],
    [`${shape.hookCount} hook${shape.hookCount === 1 ? '' : 's'} up to`, hooks],
    ['a rollback', ROLLBACK_ALLOWANCE_SECONDS],
  ];
  const kept = items.filter(([, seconds]) => seconds > 0);
  return {
    seconds: kept.reduce((sum, [, seconds]) => sum + seconds, 0),
    parts: kept.map(([label, seconds]) => `${label} ${formatDuration(seconds)}`),
  };
}

export type CredentialVerdict =
  | { kind: 'outlast'; leftSeconds?: number }
  | { kind: 'expire-first'; leftSeconds: number }
  | { kind: 'unknown-lifetime' };

export function judgeCredentialLifetime(
  lifetime: CredentialLifetime,
  nowMs: number,
  neededSeconds: number,
): CredentialVerdict {
  if (lifetime.renews) return { kind: 'outlast' };
  if (lifetime.expiresAtMs !== undefined) {
    const leftSeconds = Math.floor((lifetime.expiresAtMs - nowMs) / 1000);
    return leftSeconds < neededSeconds
      ? { kind: 'expire-first', leftSeconds }
      : { kind: 'outlast', leftSeconds };
  }
  if (lifetime.temporary && neededSeconds > DEFAULT_SESSION_SECONDS) return { kind: 'unknown-lifetime' };
  return { kind: 'outlast' };
}

/**
 * A release's longest run: its functions move in lockstep (the longest of them), or with
 * `--stagger` one after the other (their shifts add up); one rollback allowance either way.
 */
export function longestReleaseRun(runs: readonly LongestRun[], staggered: boolean): LongestRun {
  if (!staggered || runs.length < 2) {
    return runs.reduce((a, b) => (b.seconds > a.seconds ? b : a), { seconds: 0, parts: [] });
  }
  const walks = runs.reduce((sum, r) => sum + r.seconds - ROLLBACK_ALLOWANCE_SECONDS, 0);
  return {
    seconds: walks + ROLLBACK_ALLOWANCE_SECONDS,
    parts: [
      `${runs.length} functions one after the other ${formatDuration(walks)}`,
      `a rollback ${formatDuration(ROLLBACK_ALLOWANCE_SECONDS)}`,
    ],
  };
}
