/**
 * Who drives a split alias, one rule for `lshift status`, `deploy --resume`, preflight and `lshift
 * check` (h3's s71 brief). Status named ANY other deployment running on the ended one's group as
 * the driver of its split ("follow it"), while resume and preflight took only one whose AppSpec
 * moves this alias between the versions it is split over, and check looked for none ("nobody to
 * finish it"): three answers for one alias. A deployment of another alias, or one between other
 * versions (a split made by hand), never clears this split. Pure: the reads are
 * codedeploy-split-driver.ts's.
 */
import { functionKeyOf } from '../domain/function-ref.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { RoutingState } from '../ports/traffic-driver.js';

export interface SplitAlias {
  functionName: string;
  alias: string;
  routing: RoutingState;
}

/** Its AppSpec moves this alias, and every version the split routes traffic to is one it moves between. */
export function drivesSplit(d: Pick<DeploymentInfo, 'target'>, split: SplitAlias): boolean {
  const t = d.target;
  if (!t || functionKeyOf(t.functionName) !== functionKeyOf(split.functionName) || t.alias !== split.alias)
    return false;
  const { functionVersion, additionalWeights } = split.routing;
  const routed = [
    functionVersion,
    ...Object.keys(additionalWeights).filter((v) => (additionalWeights[v] ?? 0) > 0),
  ];
  return routed.every((v) => v === t.currentVersion || v === t.targetVersion);
}

/** The first running deployment, other than `ownId`, that drives the split. */
export function pickSplitDriver<D extends Pick<DeploymentInfo, 'id' | 'target'>>(
  running: readonly D[],
  split: SplitAlias,
  ownId?: string,
): D | undefined {
  return running.find((d) => d.id !== ownId && drivesSplit(d, split));
}

/**
 * Who finishes a CodeDeploy record's alias: its own deployment while CodeDeploy runs it (`own`:
 * follow it, `lshift wait`), another deployment that drives the split once its own ended
 * (`other`: left to it), nobody once it ended over a split none drives (`nobody`: STALLED, exit
 * 4), or nothing to finish (`settled`: the alias routes all traffic to one version). A move by
 * hand under a running deployment is still `own`: CodeDeploy's next step writes the alias again
 * (follow-hand-move.ts), so "nobody will finish it" is false.
 */
export type SplitDriver = 'own' | 'other' | 'nobody' | 'settled';

export function judgeSplitDriver(seen: {
  ownRunning: boolean;
  split: boolean;
  otherDriver?: string | undefined;
}): SplitDriver {
  if (seen.ownRunning) return 'own';
  if (!seen.split) return 'settled';
  return seen.otherDriver === undefined ? 'nobody' : 'other';
}
