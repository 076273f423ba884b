/**
 * A profile's role (`role_arn` with `source_profile` or `credential_source`) that AWS STS refused
 * to let its source assume (AssumeRole: AccessDenied when the role's trust policy or the source's
 * own policy does not allow it, an expired or invalid source key). The SDK fails inside the Lambda
 * call, and lshift said `ACCESS_DENIED: the caller may not perform lambda:GetAlias … Grant
 * lambda:GetAlias to the role or user lshift runs as`: nothing was sent to Lambda, and the fix it
 * gave was the wrong one (session 67's note). Said as web identity's refusal is
 * (./credential-refused.ts): CREDENTIALS_INVALID naming STS, the role and the profiles.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
import { type LshiftError, OperationError } from '../domain/errors.js';
import { shellQuote } from '../domain/shell-quote.js';
import type { AssumedRole, CredentialSource } from './credential-source.js';
import { type AwsErrorContext, contextOf, describeTarget, readShape } from './error-shape.js';

/** STS's refusal of a profile's AssumeRole. */
export class AssumeRoleRefusedError extends Error {
  constructor(
    readonly failure: unknown,
    readonly assumeRole: AssumedRole,
  ) {
    super(readShape(failure).message || 'AWS STS refused the AssumeRole');
    this.name = 'AssumeRoleRefused';
  }
}

/**
 * The error to throw when `source` is a profile's role and `failure` is AWS STS's answer refusing
 * it (a 4xx other than throttling, from the STS client: a source profile's SSO refusing is not
 * STS's); else undefined.
 */
export function assumeRoleRefusal(failure: unknown, source: CredentialSource): Error | undefined {
  if (!source.assumeRole || !isStsError(failure) || !isRefusal(failure)) return undefined;
  return new AssumeRoleRefusedError(failure, source.assumeRole);
}

/** STS's own throttling comes as HTTP 400 (`Throttling`): it passes, and is no refusal. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** A 4xx answer that is not throttling: STS (or a token file's issuer) said no. */
export function isRefusal(failure: unknown): boolean {
  const { status, code, name } = readShape(failure);
  if (status === undefined || status < 400 || status >= 500 || status === 429) return false;
  return !THROTTLING.has(code ?? '') && !THROTTLING.has(name ?? '');
}

/** Thrown by the SDK's STS client (its exceptions derive from STSServiceException; names kept in the bundle). */
function isStsError(failure: unknown): boolean {
  for (let p = failure ? Object.getPrototypeOf(failure) : null; p; p = Object.getPrototypeOf(p))
    if (p.constructor?.name === 'STSServiceException') return true;
  return false;
}

/** CREDENTIALS_INVALID (exit 1), unsent: names STS, the role, the profile and its source. */
export function mapAssumeRoleRefused(error: AssumeRoleRefusedError, ctx: AwsErrorContext): LshiftError {
  const { role, profile, via, sourceProfile } = error.assumeRole;
  const s = readShape(error.failure);
  const said = [s.code ?? s.name, s.message.replace(/\.+$/, '')].filter(Boolean).join(': ');
  const as = sourceProfile ? ` --profile ${shellQuote(sourceProfile)}` : '';
  return new OperationError(
    'CREDENTIALS_INVALID',
    `${ctx.operation} on ${describeTarget(ctx)} was not sent: AWS STS refused to let AWS profile ${profile} assume role ${role} (its role_arn, with the credentials of ${via}; AssumeRole): ${said}.`,
    {
      context: { ...contextOf(ctx), notApplied: true },
      cause: error.failure,
      hint: `Check the role's trust policy (it must allow sts:AssumeRole for the identity of ${via}: \`aws sts get-caller-identity${as}\` shows which that is) and that identity's own policy (sts:AssumeRole on ${role}); an expired or revoked key of the source is refused the same way. \`aws sts assume-role --role-arn ${shellQuote(role)} --role-session-name check${as}\` makes the same call. To use other credentials, pick another --profile.`,
    },
  );
}
