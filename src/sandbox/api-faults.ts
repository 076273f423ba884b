/**
 * API fault injection: a seeded fraction of matching calls is throttled, fails with a 5xx, or
 * has its connection reset, as real services sometimes do. The SDK's retries should absorb them.
 * `expired-credentials` and `access-denied` are what no retry absorbs: a session that expired
 * in the middle of a shift, or a policy detached from the role lshift runs as.
 */
import { ApiError, cloudWatchErrors, lambdaErrors } from './api-error.js';
import { codeDeployErrors } from './codedeploy/errors.js';
import type { Sandbox } from './sandbox.js';

export type Service = 'lambda' | 'cloudwatch' | 'codedeploy';
export type FaultOutcome = { kind: 'reset' } | { kind: 'error'; error: ApiError } | undefined;

export function drawApiFault(
  sb: Sandbox,
  service: Service,
  operation: string,
  sdkRequestHeader?: string | string[],
): FaultOutcome {
  const now = sb.simNow();
  const lastAttempt = isLastSdkAttempt(sdkRequestHeader);
  for (const fault of sb.faults.api) {
    if (fault.service !== 'all' && fault.service !== service) continue;
    if (fault.operations && !fault.operations.includes(operation)) continue;
    if (now < fault.fromMs || now >= fault.untilMs) continue;
    if (fault.spareLastAttempt && lastAttempt) continue;
    if (sb.nextUniform('api') >= fault.rate) continue;
    if (fault.kind === 'reset') return { kind: 'reset' };
    if (fault.kind === 'expired-credentials') return { kind: 'error', error: expiredToken(service) };
    if (fault.kind === 'access-denied') {
      return { kind: 'error', error: accessDenied(service, operation) };
    }
    if (fault.kind === 'throttle') {
      const throttled = { lambda: lambdaErrors, cloudwatch: cloudWatchErrors, codedeploy: codeDeployErrors }[
        service
      ].throttled;
      return { kind: 'error', error: throttled() };
    }
    const message = `An internal error occurred (injected by the sandbox scenario) in ${operation}.`;
    const internal = {
      lambda: lambdaErrors.service,
      cloudwatch: cloudWatchErrors.internal,
      codedeploy: codeDeployErrors.internal,
    }[service];
    return { kind: 'error', error: internal(message) };
  }
  return undefined;
}

/**
 * The SDK's retry middleware marks every attempt `amz-sdk-request: attempt=2; max=3`
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html); a request
 * without it (curl) is never a last attempt.
 */
export function isLastSdkAttempt(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /attempt=(\d+);\s*max=(\d+)/.exec(value ?? '');
  return match !== null && Number(match[1]) >= Number(match[2]);
}

/**
 * The common errors of every AWS API (https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html,
 * https://docs.aws.amazon.com/awsconsolehelpdocs/latest/gsg/common-errors.html): ExpiredTokenException,
 * "The security token included in the request is expired", HTTP 403. CloudWatch is query
 * compatible, so its code is the query protocol's `ExpiredToken`.
 */
function expiredToken(service: Service): ApiError {
  const message = 'The security token included in the request is expired';
  if (service === 'cloudwatch') {
    return new ApiError(403, 'ExpiredTokenException', message, { queryCode: 'ExpiredToken' });
  }
  return new ApiError(403, 'ExpiredTokenException', message);
}

/** AccessDeniedException (HTTP 403, same pages), worded as IAM words an identity-policy denial. */
function accessDenied(service: Service, operation: string): ApiError {
  const prefix = { lambda: 'lambda', cloudwatch: 'cloudwatch', codedeploy: 'codedeploy' }[service];
  const message = `User: arn:aws:sts::123456789012:assumed-role/sandbox-deployer/session is not authorized to perform: ${prefix}:${operation} because no identity-based policy allows the ${prefix}:${operation} action`;
  if (service === 'cloudwatch') {
    return new ApiError(403, 'AccessDeniedException', message, { queryCode: 'AccessDenied' });
  }
  return new ApiError(403, 'AccessDeniedException', message);
}
