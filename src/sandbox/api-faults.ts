/**
 * API fault injection: a seeded fraction of matching calls is throttled, fails with a 5xx, or
 * has its connection reset, as real services sometimes do. The SDK's retries should absorb them.
 */
import { type ApiError, cloudWatchErrors, lambdaErrors } from './api-error.js';
import { codeDeployErrors } from './codedeploy/errors.js';
import type { Sandbox } from './sandbox.js';

export type Service = 'lambda' | 'cloudwatch' | 'codedeploy';
export type FaultOutcome = { kind: 'reset' } | { kind: 'error'; error: ApiError } | undefined;

export function drawApiFault(sb: Sandbox, service: Service, operation: string): FaultOutcome {
  const now = sb.simNow();
  for (const fault of sb.faults.api) {
    if (fault.service !== 'all' && fault.service !== service) continue;
    if (fault.operations && !fault.operations.includes(operation)) continue;
    if (now < fault.fromMs || now >= fault.untilMs) continue;
    if (sb.nextUniform('api') >= fault.rate) continue;
    if (fault.kind === 'reset') return { kind: 'reset' };
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
