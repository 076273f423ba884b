/**
 * Before the first write: will the credentials outlast the deployment
 * (src/domain/credential-lifetime.ts)? A new deployment whose fixed credentials expire before its
 * longest run ends is refused (CREDENTIALS_EXPIRE_TOO_SOON, exit 2, nothing written): past that
 * moment nothing could move the alias, not even back. A `--resume` is warned instead — its alias
 * is already split, and refusing would leave it so. Temporary credentials of unknown lifetime are
 * warned about when the deployment can run longer than a default session.
 */
import {
  type CredentialLifetime,
  type CredentialVerdict,
  DEFAULT_SESSION_SECONDS,
  judgeCredentialLifetime,
  type LongestRun,
} from '../domain/credential-lifetime.js';
import { formatDuration } from '../domain/duration.js';
import { echoInput } from '../domain/echo.js';
import { PreflightError } from '../domain/errors.js';
import type { LambdaPort } from '../ports/lambda.js';
import { type CheckDeps, pass, refuse } from './preflight-checks.js';

export interface CredentialCheck {
  longest: LongestRun;
  /** An existing deployment carries on: warn, never refuse. */
  resume?: boolean;
}

const FIXES =
  'Start it with credentials that last longer (a longer role session: `role-duration-seconds` of aws-actions/configure-aws-credentials, `--duration-seconds` of `aws sts assume-role`, within the role’s MaxSessionDuration), or with a profile the SDK renews itself (`role_arn` + `source_profile`, SSO), or choose a shorter --strategy.';

/** Returns a warning to show, or undefined; throws for a new deployment that would outlive them. */
export async function checkCredentialLifetime(
  deps: CheckDeps & { lambda: Pick<LambdaPort, 'readCredentialLifetime'> },
  check: CredentialCheck,
): Promise<string | undefined> {
  const lifetime = await deps.lambda.readCredentialLifetime?.();
  if (!lifetime) return undefined;
  const verdict = judgeCredentialLifetime(lifetime, deps.clock.now(), check.longest.seconds);
  if (verdict.kind === 'outlast') {
    if (verdict.leftSeconds !== undefined) {
      const longest = formatDuration(check.longest.seconds);
      pass(
        deps,
        'credentials',
        `the credentials ${describeExpiry(lifetime, verdict)}, after the longest this deployment can run (${longest})`,
      );
    }
    return undefined;
  }
  if (verdict.kind === 'unknown-lifetime') {
    const unread = lifetime.unreadableExpiry;
    const fix = unread
      ? `AWS_CREDENTIAL_EXPIRATION \`${echoInput(unread)}\` is not a date: write it in ISO 8601 (2026-11-30T21:00:00Z) so lshift can check`
      : lifetime.fromEnvironment
        ? 'Set AWS_CREDENTIAL_EXPIRATION beside them so lshift can check, or use credentials that last longer'
        : 'A profile’s keys carry no expiry the AWS SDK reads (AWS_CREDENTIAL_EXPIRATION counts only beside keys in environment variables): export them with their expiry (`aws configure export-credentials --format env`), or use a profile the SDK renews (`role_arn` + `source_profile`, SSO)';
    return `the credentials are temporary (${lifetime.source}, with a session token) and lshift cannot tell when they expire; this deployment can run ${describeLongest(check.longest)}, longer than the ${formatDuration(DEFAULT_SESSION_SECONDS)} a role session lasts by default: if they expire before it ends, the alias stays split and cannot be rolled back. ${fix}`;
  }
  const expiry = `The AWS credentials (${lifetime.source}) ${describeExpiry(lifetime, verdict)}`;
  if (check.resume) {
    return `${expiry.replace(/^The/, 'the')}, before this deployment can end (${describeLongest(check.longest)}): if they expire while the alias is split, nothing can move it until \`lshift rollback\` or \`deploy --resume\` runs with fresh credentials`;
  }
  refuse(
    deps,
    'credentials',
    new PreflightError(
      'CREDENTIALS_EXPIRE_TOO_SOON',
      `${expiry}, but this deployment can run ${describeLongest(check.longest)}. Once they expire, lshift can neither shift nor roll back the alias, and it would stay split. Nothing was changed.`,
      { hint: FIXES },
    ),
  );
}

/** `expire in 40m (2026-…Z)`, or `expired at 2026-…Z` */
function describeExpiry(
  lifetime: CredentialLifetime,
  verdict: Extract<CredentialVerdict, { leftSeconds?: number }>,
): string {
  const at = lifetime.expiresAtMs === undefined ? '' : new Date(lifetime.expiresAtMs).toISOString();
  const left = verdict.leftSeconds ?? 0;
  return left <= 0 ? `expired at ${at}` : `expire in ${formatDuration(left)} (${at})`;
}

function describeLongest(longest: LongestRun): string {
  return `up to ${formatDuration(longest.seconds)} (${longest.parts.join(', ')})`;
}
