/**
 * Will the credentials outlast the deployment? Once the alias is split, every later write — the
 * next step, the rollback — needs them. Credentials that cannot renew themselves (access keys
 * in environment variables or a profile, as CI jobs export them after assuming a role for 1 h by
 * default) and expire mid-shift leave the alias split with nothing able to restore it.
 * docs/configuration.md#credentials-that-expire
 */
import { formatDuration } from './duration.js';
import type { HookSpec } from './hook-spec.js';
import type { ReleaseProgram, ReleaseTarget } from './release-program.js';

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
  /**
   * Keys in environment variables: the only ones whose expiry the SDK reads from
   * AWS_CREDENTIAL_EXPIRATION (a profile's keys carry none it reads).
   */
  fromEnvironment?: boolean;
  /** AWS_CREDENTIAL_EXPIRATION as given when it is set but is not a date (the expiry is then unknown). */
  unreadableExpiry?: string;
}

/**
 * A rollback after the last moment of the plan: the reads that decide it and a few writes,
 * each bounded by LSHIFT_AWS_TIMEOUT (≤ 15 s) times the SDK's attempts.
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

/** One hook spec's longest run; `target` is the function a per-function hook runs for. */
export type HookSeconds = (spec: HookSpec, target?: ReleaseTarget) => number;

/**
 * The longest a deployment can run, not counting an operator's pause: every step of the program
 * it runs — holds, each settle wait's maximum (before the promote, and again after a bake), the
 * bake, each hook's timeout where the program runs it (a release's own hooks, a staggered
 * release's step hooks once per function) — then a rollback with its hooks.
 */
export function longestRun(
  program: ReleaseProgram,
  hookSeconds: HookSeconds,
  rollbackHooks: readonly number[],
): LongestRun {
  let shift = 0;
  let settle = 0;
  let bake = 0;
  let hookCount = rollbackHooks.length;
  let hooks = rollbackHooks.reduce((sum, seconds) => sum + seconds, 0);
  for (const step of program.steps) {
    if (step.kind === 'hold') shift += step.seconds;
    else if (step.kind === 'settle') settle += step.maxSeconds;
    else if (step.kind === 'bake') bake += step.seconds;
    else if (step.kind === 'hook') {
      hookCount += step.specs.length;
      hooks += step.specs.reduce((sum, spec) => sum + hookSeconds(spec, step.target), 0);
    }
  }
  const items: [string, number][] = [
    ['shift', shift],
    ['settle up to', settle],
    ['bake', bake],
    [`${hookCount} hook${hookCount === 1 ? '' : 's'} up to`, hooks],
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
