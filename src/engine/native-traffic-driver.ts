/**
 * The native TrafficDriver: alias weights written with UpdateAlias and the last seen RevisionId
 * (alias-step.ts), re-read with GetAlias.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
 */
import { isLshiftError } from '../domain/errors.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { Observation, TrafficCursor, TrafficDriver } from '../ports/traffic-driver.js';
import { applyStep, observeAlias } from './alias-step.js';

export function createNativeTrafficDriver(lambda: LambdaPort): TrafficDriver {
  return {
    name: 'native',
    setWeight: (cursor: TrafficCursor, percent: number) => applyStep(lambda, cursor, { percent }),
    observe: (cursor: TrafficCursor) => observeRouting(lambda, cursor),
  };
}

/**
 * Re-reads the alias into the cursor. Only Lambda's own "not found" answers count as deleted:
 * GetAlias answers a missing alias (undefined) or throws FUNCTION_NOT_FOUND for a missing
 * function; a throttle, a timeout or a refused permission is `failed`.
 */
export async function observeRouting(lambda: LambdaPort, cursor: TrafficCursor): Promise<Observation> {
  try {
    const alias = await lambda.getAlias(cursor.functionName, cursor.alias);
    if (!alias) return 'missing';
    observeAlias(cursor, alias);
    return 'read';
  } catch (error) {
    return isLshiftError(error) && error.code === 'FUNCTION_NOT_FOUND' ? 'function-missing' : 'failed';
  }
}

/** The driver of a deps object: the one the composition root chose, else native over its Lambda port. */
export function trafficDriverOf(deps: { lambda: LambdaPort; traffic?: TrafficDriver }): TrafficDriver {
  return deps.traffic ?? createNativeTrafficDriver(deps.lambda);
}
