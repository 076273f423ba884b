/**
 * A person's split a deploy met and left, its record closed over it (record-view.ts
 * isClosedOverSplit): a split of versions the deployment does not place (1/12 over an 11 → 12
 * deploy; 10/11 where 11 is the stable version: `rolled-back (moved by hand to a split: …)`, either
 * engine), or an AWS CodeDeploy deployment stopped without its rollback to keep a person's weights
 * (`rolled-back (weights changed by hand)`). The run (and `lshift wait`) exit 4 for it, "nobody
 * drives that split", with the rollback (settle.ts, split-left-commands.ts, describe-follow.ts).
 * `lshift status` exited 0 ("split by hand: no lshift shift is in progress") and `lshift check`
 * said "rolled back …; nothing to watch" over the same split (the lead's and h3's passes, session
 * 68). While the alias is still split: STALLED (exit 4) in both, offering the same rollback; once
 * anyone puts it on one version, someone holds it (exit 0, as before). A split another CodeDeploy
 * deployment on its group drives is left to it (codedeploy-split-driver.ts: status.ts sets
 * `splitByOtherDeployment`, check-split-since.ts asks).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { buildFixCommand, describeAliasState } from './deploy-result.js';
import { isClosedOverSplit, isSplit } from './record-view.js';
import { buildSplitRollbackCommand } from './split-left-commands.js';

type Routing = { functionVersion: string; additionalWeights: Record<string, number> };
type Closed = Pick<DeploymentRecord, 'phase' | 'endReason' | 'engine'> & {
  /** Another CodeDeploy deployment on its group drives the split (status.ts). */
  splitByOtherDeployment?: unknown;
};

/** The record closed over a person's split, its alias still split, no other CodeDeploy deployment known to drive it. */
export function isSplitLeftClosed(
  routing: Pick<Routing, 'additionalWeights'>,
  record: Closed | undefined,
): boolean {
  return (
    record !== undefined &&
    record.splitByOtherDeployment === undefined &&
    isSplit(routing.additionalWeights) &&
    isClosedOverSplit(record)
  );
}

/** What status and check say of it: the split, that nothing drives it, and the way back. */
export function describeSplitLeftClosed(
  at: { functionName: string; alias: string },
  record: Pick<DeploymentRecord, 'id' | 'stableVersion' | 'targetVersion'>,
  alias: Routing,
): { what: string; fix: string } {
  const rollback = buildSplitRollbackCommand(at, record, alias);
  const byHand = buildFixCommand(at.functionName, at.alias, record.stableVersion);
  return {
    what: `deployment ${record.id} met its alias split by someone else and left it: it routes ${describeAliasState(alias)}; nothing drives that split, and lshift leaves it as it is`,
    fix: `to put all traffic back on version ${record.stableVersion}: \`${rollback}\` (or by hand: \`${byHand}\`)`,
  };
}
