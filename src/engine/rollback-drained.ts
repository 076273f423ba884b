/**
 * Which version a rollback takes traffic away from, and how much (rollback.ts): read off the
 * alias before the rollback. Pure.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AliasInfo } from '../ports/lambda.js';
import { isFinished } from './record-view.js';

/**
 * The rollback drains the unfinished deployment its record names (claimed first: rollback-claim.ts),
 * whose runner may have had a step write in flight that lands after the claim (step-restore.ts).
 */
export function drainsClaimedDeployment(
  record: DeploymentRecord | undefined,
  to: string,
  drained: string,
): boolean {
  return (
    record !== undefined &&
    !isFinished(record) &&
    record.stableVersion === to &&
    record.targetVersion === drained
  );
}

/**
 * The version the rollback takes traffic away from: the weighted one, or the primary when the
 * rollback goes to a weighted version (a split written the other way round, record-view.ts
 * splitRollbackVersion) or off an unsplit alias.
 */
export function drainedVersion(alias: AliasInfo, to: string): string {
  if (alias.functionVersion !== to) return alias.functionVersion;
  const extra = Object.entries(alias.additionalWeights).find(([, w]) => w > 0);
  return extra ? extra[0] : alias.functionVersion;
}

/** The drained version's share of the traffic before the rollback, in percent. */
export function drainedPercent(alias: AliasInfo, to: string): number {
  const weights = Object.values(alias.additionalWeights).filter((w) => w > 0);
  const percent = (w: number) => Math.round(w * 1e8) / 1e6;
  if (alias.functionVersion !== to) return percent(1 - weights.reduce((a, b) => a + b, 0));
  return weights[0] === undefined ? 100 : percent(weights[0]);
}
