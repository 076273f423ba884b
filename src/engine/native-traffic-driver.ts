/**
 * The native TrafficDriver: alias weights written with UpdateAlias and the last seen RevisionId
 * (alias-step.ts), re-read with GetAlias.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
 */
import type { LambdaPort } from '../ports/lambda.js';
import type { TrafficCursor, TrafficDriver } from '../ports/traffic-driver.js';
import { applyStep, observeAlias } from './alias-step.js';

export function createNativeTrafficDriver(lambda: LambdaPort): TrafficDriver {
  return {
    name: 'native',
    setWeight: (cursor: TrafficCursor, percent: number) => applyStep(lambda, cursor, { percent }),
    async observe(cursor: TrafficCursor) {
      try {
        const alias = await lambda.getAlias(cursor.functionName, cursor.alias);
        if (!alias) return 'missing';
        observeAlias(cursor, alias);
        return 'read';
      } catch {
        return 'failed';
      }
    },
  };
}

/** The driver of a deps object: the one the composition root chose, else native over its Lambda port. */
export function trafficDriverOf(deps: { lambda: LambdaPort; traffic?: TrafficDriver }): TrafficDriver {
  return deps.traffic ?? createNativeTrafficDriver(deps.lambda);
}
