/**
 * A call whose time goes to resolving credentials must say so, not blame the endpoint. The SDK
 * resolves them inside the call, before signing its first request: a profile's
 * `credential_process` that never exits (`/bin/sleep 300`), an SSO portal or STS that does not
 * answer, an instance metadata endpoint that is not there. lshift's call deadline
 * (./call-deadline.ts) then passed as "did not answer lambda:GetAlias … within its 31 s deadline",
 * a NETWORK_ERROR naming an endpoint that was healthy and never asked.
 *
 * So the client's credential provider is wrapped: each request that waits for it tells its call
 * (CallPacing.waitingForCredentials), whose deadline then throws CredentialsTimeoutError. The SDK
 * memoizes the provider (one resolution shared by every request waiting), and calls it per
 * request: every call waiting on the same hung resolution learns it.
 *
 * What stays out of reach: the SDK runs a credential_process with child_process.exec and keeps
 * no handle lshift could reach, so a process that hangs is left running when lshift exits (its
 * parent gone, under pid 1). The error says so.
 */
import { type LshiftError, OperationError } from '../domain/errors.js';
import { boundedCall, CredentialsTimeoutError, callPacing } from './call-deadline.js';
import { CredentialsUnreachableError } from './credential-network.js';
import {
  CredentialProcessError,
  type CredentialProcessWatch,
  credentialsOutsideProfile,
  isWebIdentityCredentials,
} from './credential-process-failure.js';
import { webIdentityRefusal } from './credential-refused.js';
import { assumeRoleRefusal } from './credential-role-refused.js';
import type { CredentialSource } from './credential-source.js';
import { type AwsErrorContext, contextOf, describeTarget } from './error-shape.js';
import { formatMs, type TimeBounds } from './time-bounds.js';
import { isNetworkError } from './transport-errors.js';

type Provider = ((options?: unknown) => Promise<unknown>) & {
  memoized?: boolean;
  configBound?: boolean;
  attributed?: boolean;
};

/**
 * Wraps `config.credentials` (the SDK's resolved, memoized provider) so that a call's deadline
 * knows when its request was still waiting for it. `source` says what the SDK is resolving (read
 * only when a deadline passes).
 */
export function watchCredentials(
  config: { credentials?: unknown },
  source: () => CredentialSource,
  processes?: { watch: CredentialProcessWatch; namedProfile: string | undefined },
): void {
  const provider = config.credentials as Provider | undefined;
  if (typeof provider !== 'function') return;
  const watched: Provider = async (options) => {
    const done = callPacing.getStore()?.waitingForCredentials?.(source);
    try {
      const credentials = await provider(options);
      // The chain goes on past a profile whose credential_process failed, to the container or
      // instance role: lshift would deploy as the host, not as the profile. The default profile's
      // too (no profile named): the AWS CLI stops at a failing credential_process before the
      // container and instance roles (botocore's ProcessProvider raises CredentialRetrievalError),
      // and so does lshift (h3's notes, session 64) — but web identity comes before the process
      // in the CLI's chain, so with no profile named those credentials are the CLI's too (h2's pass).
      const failure = processes?.watch.lastCredentialProcessFailure();
      const cliWouldUse = processes?.namedProfile === undefined && isWebIdentityCredentials(credentials);
      const outside = failure && !cliWouldUse ? credentialsOutsideProfile(credentials) : undefined;
      if (failure && outside) throw new CredentialProcessError(failure, processes?.namedProfile, outside);
      processes?.watch.forgetCredentialProcessFailure();
      return credentials;
    } catch (error) {
      // The chain's last word hides a credential_process that failed (./credential-process-failure.ts).
      const failure = processes?.watch.lastCredentialProcessFailure();
      if (failure && (error as { name?: unknown })?.name === 'CredentialsProviderError')
        throw new CredentialProcessError(failure, processes?.namedProfile);
      // STS (web identity, a role), an SSO portal, a metadata endpoint not reached: not the call's
      // endpoint (./credential-network.ts).
      if (isNetworkError(error)) throw new CredentialsUnreachableError(error, source());
      // A web identity's token file not there, or STS refusing the exchange: not AWS's answer to
      // the call (./credential-refused.ts).
      // …or STS refusing a profile's AssumeRole (./credential-role-refused.ts).
      throw webIdentityRefusal(error, source()) ?? assumeRoleRefusal(error, source()) ?? error;
    } finally {
      done?.();
    }
  };
  // config.credentials is a setter in the SDK that memoizes and binds what it is given: these
  // flags make it keep the wrapper as is (memoizing it again would call it once for all requests).
  watched.memoized = true;
  watched.configBound = true;
  watched.attributed = true;
  config.credentials = watched;
}

/**
 * CREDENTIALS_TIMEOUT (exit 1): what hung and how to see why, never the endpoint. Without `ctx`,
 * the credentials were read before any call (how long they last: ./credential-lifetime.ts).
 */
export function mapCredentialsTimeout(error: CredentialsTimeoutError, ctx?: AwsErrorContext): LshiftError {
  const { source } = error;
  const waited = `${formatMs(error.deadlineMs)} (its deadline)`;
  if (ctx === undefined)
    return new OperationError(
      'CREDENTIALS_TIMEOUT',
      `Reading the AWS credentials, before any AWS call, took longer than ${formatMs(error.deadlineMs)}: ${source.what} did not finish. Nothing was sent or changed.`,
      { context: { notApplied: true }, cause: error, hint: source.fix },
    );
  const unsent = error.sentBefore
    ? 'its retry was not sent'
    : 'it was not sent, and the endpoint was never asked';
  return new OperationError(
    'CREDENTIALS_TIMEOUT',
    `${ctx.operation} on ${describeTarget(ctx)} waited ${waited} for the AWS credentials to sign it with: ${source.what} did not finish, so ${unsent}.`,
    {
      context: { ...contextOf(ctx), ...(error.sentBefore ? {} : { notApplied: true }) },
      cause: error,
      hint: source.fix,
    },
  );
}

/**
 * Reads the client's credentials outside any AWS call (to learn when they expire), within a
 * call's deadline: deploy did that before its first call and waited on a hung credential_process
 * without end (twice its run: the SDK's chain runs it again after the first fails). A timeout is
 * CREDENTIALS_TIMEOUT; any other failure is undefined, left for the first call to report.
 */
export async function readCredentialsWithin<T>(
  read: () => Promise<T>,
  bounds: TimeBounds,
  interrupt?: AbortSignal,
): Promise<T | undefined> {
  try {
    return await boundedCall(
      read,
      { deadlineMs: bounds.callMs, attemptMs: bounds.attemptMs },
      'the credential read',
      interrupt,
    );
  } catch (error) {
    if (error instanceof CredentialsTimeoutError) throw mapCredentialsTimeout(error);
    return undefined;
  }
}
