/**
 * Turns AWS SDK errors into the LshiftError hierarchy with stable codes. Works on the shape of
 * the error (name, `$metadata.httpStatusCode`, Node `code`) so it needs no SDK import.
 * Messages name the operation and resource; they never carry credentials or env variables.
 */

import { isLshiftError, type LshiftError, OperationError } from '../domain/errors.js';
import { shellQuote } from '../domain/shell-quote.js';
import { CredentialsTimeoutError } from './call-deadline.js';
import { mapCodeDeployError } from './codedeploy-errors.js';
import { mapConflict } from './conflict-errors.js';
import { mapCredentialHeaderError } from './credential-header-error.js';
import { CredentialsUnreachableError, mapCredentialsUnreachable } from './credential-network.js';
import { CredentialProcessError, mapCredentialProcessError } from './credential-process-failure.js';
import { mapWebIdentityRefused, WebIdentityRefusedError } from './credential-refused.js';
import { AssumeRoleRefusedError, mapAssumeRoleRefused } from './credential-role-refused.js';
import { mapCredentialsTimeout } from './credential-wait.js';
import {
  type AwsErrorContext,
  contextOf,
  describeTarget,
  type ErrorShape,
  readShape,
  withAwsMessage,
} from './error-shape.js';
import { namedProfile } from './named-profile.js';
import {
  isForeignResponse,
  isNetworkError,
  isReadOperation,
  mapForeignResponse,
  mapNetwork,
} from './transport-errors.js';

export type { AwsErrorContext } from './error-shape.js';
export { describeTarget } from './error-shape.js';
export { isNetworkError, needsEndpoint } from './transport-errors.js';

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);
const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'Forbidden',
]);
const INVALID_PARAMETER = new Set([
  'InvalidParameterValueException',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'InvalidParameterCombinationException',
  'MissingRequiredParameter',
  'MissingParameter',
  'InvalidRequestContentException',
  'ValidationException',
  'InvalidFormat',
]);
const CREDENTIALS_INVALID = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);
const IAM_HINT = 'See docs/iam-policy.md for the permissions lshift needs.';

function mapNotFound(s: ErrorShape, ctx: AwsErrorContext, error: unknown): LshiftError {
  const context = contextOf(ctx);
  const opts = { context, cause: error };
  const functionMissing = /^function not found/i.test(s.message);
  const fn = ctx.functionName ?? 'the function';
  // Lambda says "Function not found: …:fn:5" both for a missing function and a missing
  // version, and "Alias not found: …" for a missing alias.
  if (/^alias not found/i.test(s.message) || (ctx.alias && !functionMissing)) {
    return new OperationError(
      'ALIAS_NOT_FOUND',
      `Alias ${ctx.alias ?? '?'} of function ${fn} does not exist.`,
      {
        ...opts,
        hint: `Create it with \`lshift alias ${fn} ${ctx.alias ?? '<alias>'} <version> --create\`, or check --alias.`,
      },
    );
  }
  if (ctx.version && ctx.version !== '$LATEST') {
    return new OperationError(
      'VERSION_NOT_FOUND',
      `Version ${ctx.version} of function ${fn} does not exist (or the function does not exist).`,
      {
        ...opts,
        hint: `List the published versions with \`aws lambda list-versions-by-function --function-name ${fn}\`.`,
      },
    );
  }
  return new OperationError(
    'FUNCTION_NOT_FOUND',
    `Function ${fn} does not exist in this account and region (${ctx.operation}).`,
    { ...opts, hint: 'Check the function name, --region and --profile.' },
  );
}

function mapAccessDenied(s: ErrorShape, ctx: AwsErrorContext, error: unknown): LshiftError {
  return new OperationError(
    'ACCESS_DENIED',
    withAwsMessage(
      `Access denied: the caller may not perform ${ctx.operation} on ${describeTarget(ctx)}.`,
      s,
    ),
    {
      context: refusedContext(s, ctx),
      cause: error,
      hint: `Grant ${ctx.operation} to the role or user lshift runs as (or use another --profile). ${IAM_HINT}`,
    },
  );
}

/**
 * AWS checks the signature and the caller's permissions before it acts, and the SDK does not
 * retry these refusals: on a single attempt the request was certainly not applied. After
 * several attempts an earlier one (a timeout) may have been.
 */
function refusedContext(s: ErrorShape, ctx: AwsErrorContext) {
  return (s.attempts ?? 1) <= 1 ? { ...contextOf(ctx), notApplied: true } : contextOf(ctx);
}

function isCredentialsMissing(s: ErrorShape): boolean {
  return (
    s.name === 'CredentialsProviderError' ||
    /could not load credentials/i.test(s.message) ||
    isBrokenSsoProfile(s)
  );
}

/**
 * The SDK's SSO provider reading a profile whose `sso_session` names no `[sso-session …]`
 * section throws a bare TypeError ("Cannot read properties of undefined (reading 'sso_region')"),
 * which read as an AWS error with "Read the AWS message above" (found by a hostile pass).
 */
function isBrokenSsoProfile(s: ErrorShape): boolean {
  return s.name === 'TypeError' && /reading 'sso_/.test(s.message);
}

/**
 * What the SDK said when it is more than "no provider had any" (a profile that names a missing
 * source_profile, a cycle, keys without a secret): the one line that says what to fix.
 */
function describeProviderFailure(s: ErrorShape): string {
  if (isBrokenSsoProfile(s))
    return ': the profile’s SSO settings are incomplete (does its sso_session name an [sso-session …] section of ~/.aws/config?)';
  if (!s.message || /could not load credentials from any providers/i.test(s.message)) return '';
  return `: ${s.message.replace(/\.+$/, '')}`;
}

/** Maps any error thrown by an SDK call (or by the SDK's credential/region providers). */
export function mapAwsError(error: unknown, ctx: AwsErrorContext): LshiftError {
  if (isLshiftError(error)) return error;
  const s = readShape(error);
  const context = contextOf(ctx);
  const target = describeTarget(ctx);
  if (s.name === 'CallInterrupted') {
    return new OperationError('INTERRUPTED', `${ctx.operation} on ${target} was abandoned: ${s.message}.`, {
      context,
      cause: error,
      // A read changed nothing (found by a hostile pass: a preflight read said "may have been applied").
      hint: isReadOperation(ctx.operation)
        ? 'It only read: nothing was changed.'
        : 'The request may still have been applied; run `lshift status` to see the alias.',
    });
  }
  if (error instanceof CredentialsTimeoutError) return mapCredentialsTimeout(error, ctx);
  if (error instanceof CredentialProcessError) return mapCredentialProcessError(error, ctx);
  if (error instanceof CredentialsUnreachableError) return mapCredentialsUnreachable(error, ctx);
  if (error instanceof WebIdentityRefusedError) return mapWebIdentityRefused(error, ctx);
  if (error instanceof AssumeRoleRefusedError) return mapAssumeRoleRefused(error, ctx);
  if (isForeignResponse(error)) return mapForeignResponse(s, ctx, error);
  if (isCredentialsMissing(s)) {
    return new OperationError(
      'CREDENTIALS_MISSING',
      `No AWS credentials were found for ${ctx.operation} on ${target}${describeProviderFailure(s)}.`,
      {
        context: { ...context, notApplied: true },
        cause: error,
        hint: credentialsMissingHint(),
      },
    );
  }
  const badHeader = mapCredentialHeaderError(s, ctx, error);
  if (badHeader) return badHeader;
  if (/region is missing/i.test(s.message)) {
    return new OperationError('REGION_MISSING', `No AWS region is configured for ${ctx.operation}.`, {
      context,
      cause: error,
      hint: 'Pass --region or set AWS_REGION / AWS_DEFAULT_REGION (or add `region = …` to your AWS profile).',
    });
  }
  if (CREDENTIALS_INVALID.has(s.name)) {
    return new OperationError(
      'CREDENTIALS_INVALID',
      withAwsMessage(`AWS rejected the credentials for ${ctx.operation} on ${target} (${s.name})`, s),
      {
        context: refusedContext(s, ctx),
        cause: error,
        hint: 'Refresh them (`aws sso login`, new session token) or pick another --profile.',
      },
    );
  }
  const codeDeploy = mapCodeDeployError(s, ctx, error);
  if (codeDeploy) return codeDeploy;
  if (
    s.name === 'PreconditionFailedException' ||
    s.status === 412 ||
    s.name === 'ResourceConflictException'
  ) {
    return mapConflict(s, ctx, error);
  }
  if (s.name === 'ResourceNotFoundException' || s.name === 'ResourceNotFound' || s.status === 404) {
    return mapNotFound(s, ctx, error);
  }
  if (ACCESS_DENIED.has(s.name) || s.status === 403) return mapAccessDenied(s, ctx, error);
  if (THROTTLING.has(s.name) || s.status === 429) {
    const attempts = s.attempts ? ` after ${s.attempts} attempt${s.attempts === 1 ? '' : 's'}` : '';
    return new OperationError('THROTTLED', `AWS throttled ${ctx.operation} on ${target}${attempts}.`, {
      context,
      cause: error,
      hint: 'Retry later, or allow more attempts with --max-attempts / AWS_MAX_ATTEMPTS.',
    });
  }
  if (INVALID_PARAMETER.has(s.name)) {
    return new OperationError(
      'INVALID_PARAMETER',
      withAwsMessage(`AWS rejected a parameter of ${ctx.operation} on ${target}`, s),
      { context, cause: error, hint: 'Check the values passed on the command line or in lshift.config.' },
    );
  }
  if (isNetworkError(error)) return mapNetwork(s, ctx, error);
  return new OperationError(
    'AWS_ERROR',
    `${ctx.operation} on ${target} failed: ${s.name}: ${s.message || 'no message'}`,
    {
      context,
      cause: error,
      hint:
        s.status !== undefined && s.status >= 500
          ? 'AWS had an internal error; retry shortly.'
          : 'Read the AWS message above; retry once the cause is fixed.',
    },
  );
}

/**
 * Keys in the environment and still no credentials: either half of the pair is missing, or a
 * named profile took precedence (the SDK skips the environment's keys then), so "set
 * AWS_ACCESS_KEY_ID" would send the user in a circle. Never prints a value.
 */
function credentialsMissingHint(): string {
  const id = Boolean(process.env['AWS_ACCESS_KEY_ID']?.trim());
  const secret = Boolean(process.env['AWS_SECRET_ACCESS_KEY']?.trim());
  if (id !== secret) {
    return `${id ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is set but ${id ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not: set both (and AWS_SESSION_TOKEN for temporary keys).`;
  }
  // The clients' profile (--profile, the config file's), else AWS_PROFILE: "Pass --profile" was
  // said to someone who had passed it (the SDK gets it as client config, not AWS_PROFILE).
  const profile = namedProfile();
  if (profile && !id) {
    // "Set AWS_PROFILE" to someone who had: the profile itself is what to look at.
    const quoted = shellQuote(profile);
    return `Profile ${profile} (AWS_PROFILE, --profile or the config file’s profile) gave no credentials: check its section in ~/.aws/config and ~/.aws/credentials (source_profile, sso_session, keys), \`aws configure list --profile ${quoted}\`, or \`aws sso login --profile ${quoted}\` for SSO.`;
  }
  if (id) {
    return 'A named profile (--profile, AWS_PROFILE or the config file’s profile) wins over AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and gave no credentials: add credentials to the profile (`aws sso login --profile <name>` for SSO), or unset AWS_PROFILE / drop --profile to use the keys in the environment.';
  }
  return 'Pass --profile (run `aws sso login --profile <name>` first for SSO), set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an IAM role is available.';
}
