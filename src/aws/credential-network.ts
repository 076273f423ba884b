/**
 * A call whose credentials could not be fetched over the network — the web identity exchange at
 * AWS STS (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN: CI with OIDC, EKS), a profile's role,
 * the SSO portal, the instance metadata endpoint — is said so, naming what was being fetched. The
 * SDK fetches them inside the call, before its first request: with STS unreachable the error was
 * NETWORK_ERROR "Could not reach https://lambda.… for lambda:GetAlias … Check --endpoint-url",
 * blaming an endpoint never asked (session 65's notes). The credential wrapper
 * (./credential-wait.ts) marks the failure as its own; it is mapped here.
 */
import { type LshiftError, OperationError } from '../domain/errors.js';
import { isTimeout } from './call-deadline.js';
import type { CredentialSource } from './credential-source.js';
import { type AwsErrorContext, contextOf, describeTarget, readShape } from './error-shape.js';

/** A network failure of the credential provider, with what it was fetching. */
export class CredentialsUnreachableError extends Error {
  constructor(
    readonly failure: unknown,
    readonly source: CredentialSource,
  ) {
    super(readShape(failure).message || 'the credentials could not be fetched');
    this.name = 'CredentialsUnreachable';
  }
}

/**
 * NETWORK_ERROR (exit 1), unsent: what could not be reached is where the credentials come from.
 * CREDENTIALS_TIMEOUT when it did not answer in time (an STS that accepts and never answers: the
 * SDK's own attempts at it time out just before the call's deadline, which is CREDENTIALS_TIMEOUT
 * too; h3's pass, session 66, found NETWORK_ERROR where docs/exit-codes.md says CREDENTIALS_TIMEOUT).
 */
export function mapCredentialsUnreachable(
  error: CredentialsUnreachableError,
  ctx: AwsErrorContext,
): LshiftError {
  const s = readShape(error.failure);
  const detail = [s.code ?? s.name, s.message.replace(/\.+$/, '')].filter(Boolean).join(': ');
  if (isTimeout(error.failure))
    return new OperationError(
      'CREDENTIALS_TIMEOUT',
      `${ctx.operation} on ${describeTarget(ctx)} was not sent: its AWS credentials were not fetched in time, from ${error.source.what}, which did not answer (${detail}). The endpoint was never asked.`,
      { context: { ...contextOf(ctx), notApplied: true }, cause: error.failure, hint: error.source.fix },
    );
  return new OperationError(
    'NETWORK_ERROR',
    `${ctx.operation} on ${describeTarget(ctx)} was not sent: its AWS credentials could not be fetched, from ${error.source.what} (${detail}). The endpoint was never asked.`,
    { context: { ...contextOf(ctx), notApplied: true }, cause: error.failure, hint: error.source.fix },
  );
}
