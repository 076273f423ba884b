/**
 * A deployment whose run met a split someone made of versions it does not place (1/12 over an
 * 11 → 12 deploy; 10/11 where 11 is the stable version) and left it: the run exits 4 (`unsafe`,
 * "nobody drives that split", the fix `lshift rollback … --to 11`: settle.ts, split-left-commands.ts),
 * and closes its record `rolled-back (moved by hand to a split: …)` (record-view.ts closedByHand).
 * `lshift status` then exited 0 and `lshift check` said "rolled back …; nothing to watch" over the
 * same split (the lead's pass, session 68). While the alias is still split nobody drives it, as the
 * run said: STALLED (exit 4) in both, offering the same rollback. Once it is all on one version,
 * someone holds it (exit 0, as before). An AWS CodeDeploy record is CodeDeploy's to judge
 * (status-codedeploy.ts), and a split another CodeDeploy deployment drives is not this
 * (codedeploy-split-driver.ts: the caller checks).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { buildFixCommand, describeAliasState } from './deploy-result.js';
import { isClosedOnSplit } from './record-view.js';
import { buildSplitRollbackCommand } from './split-left-commands.js';

type Routing = { functionVersion: string; additionalWeights: Record<string, number> };

/** `split`: the alias as read now is split. */
export function isForeignSplitLeft(
  record: Pick<DeploymentRecord, 'phase' | 'endReason' | 'engine'>,
  split: boolean,
): boolean {
  return split && record.phase === 'rolled-back' && record.engine !== 'codedeploy' && isClosedOnSplit(record);
}

/** What status and check say of it: the split, that nothing drives it, and the way back. */
export function describeForeignSplitLeft(
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
