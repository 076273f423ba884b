/**
 * The routing a rollback's write replaced. A rollback reads the alias, then writes it back; when
 * its deployment's own step write, in flight as the rollback claimed it, lands in between, the
 * write meets a 412, re-reads (step-restore.ts) and undoes that later routing. Its ✔ line named
 * the routing it first read (20%) as what it rolled back from, not the 30% it undid (h4's list,
 * session 68).
 */
import type { RoutingState, TrafficDriver } from '../ports/traffic-driver.js';

/** The driver, whose weight writes remember the routing each replaced, and the last one's. */
export function rememberUndone(traffic: TrafficDriver): {
  traffic: TrafficDriver;
  undone: () => RoutingState | undefined;
} {
  // A service's driver (CodeDeploy) keeps state of its own and moves the alias itself: as it is.
  if (traffic.ownSchedule) return { traffic, undone: () => undefined };
  let undone: RoutingState | undefined;
  const remembering: TrafficDriver = {
    name: traffic.name,
    setWeight: (cursor, percent, opts) => {
      const { functionVersion, additionalWeights } = cursor.aliasState;
      undone = { functionVersion, additionalWeights: { ...additionalWeights } };
      return traffic.setWeight(cursor, percent, opts);
    },
    observe: (cursor) => traffic.observe(cursor),
  };
  return { traffic: remembering, undone: () => undone };
}

/** Two routings alike (the undone one said only when it differs from the one first read). */
export function sameRouting(a: RoutingState, b: RoutingState): boolean {
  const weights = (s: RoutingState) =>
    Object.entries(s.additionalWeights)
      .filter(([, w]) => w > 0)
      .sort(([x], [y]) => x.localeCompare(y));
  return a.functionVersion === b.functionVersion && JSON.stringify(weights(a)) === JSON.stringify(weights(b));
}
