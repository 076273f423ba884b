/**
 * What `lshift rollback` (rollback.ts) returns, and its words for a caller that states the reason
 * itself (`lshift check`, a wait finishing a decided rollback, a superseding deploy).
 */
import type { DeployResult } from '../domain/events.js';
import type { AliasState } from './alias-step.js';
import { describeAliasState } from './deploy-result.js';

/**
 * A DeployResult so `--json` has the same shape as a deploy's. Unlike a deploy's, `fromVersion`
 * is the version traffic was taken away from and `toVersion` the one all traffic is on now (a
 * rollback from 4 to 2 reads `fromVersion: "4", toVersion: "2"`). `lshift rollback` exits 0 on a
 * successful rollback (exit 3 means a *deploy* was rolled back; src/cli/exit-codes.ts chooses).
 * Status: rolled_back, nothing_to_deploy (already all on that version), conflict (412),
 * unsafe (write failed, alias split or changed), failed (write failed, alias unchanged).
 */
export interface RollbackResult extends DeployResult {
  /** Alias routing before the rollback. */
  previousState: AliasState;
  /**
   * The routing its write replaced, when not `previousState`: its deployment's own step write
   * (in flight as the rollback claimed it) landed between the rollback's read and its write,
   * which met a 412, re-read and undid that (rollback-undone.ts).
   */
  undoneState?: AliasState;
  /**
   * The release the deployment this rollback rolled back (or closed) belonged to: its other
   * functions were not touched, and the result says so (describe-rollback.ts).
   */
  releaseId?: string;
  /**
   * The deployment's runner wrote `promoted` over this rollback's claim, which came back only
   * after the runner's read-back may have passed (check-claim.ts, PROMOTION_SETTLE_MS): the
   * deploy (or release) may have said promoted before this rolled it back.
   */
  promotedFirst?: true;
  /**
   * The alias is back, but the record could not be closed (why, as the warning said): it still
   * says what it said (`rolling-back`: STALE in `lshift status`) until a rollback or check closes it.
   */
  recordNotClosed?: string;
}

/**
 * What the rollback did, without the reason it was asked for (the caller — `lshift check` —
 * states that reason itself). `lshift check` words its report in the engine (check.ts).
 */
export function describeRollbackDone(result: RollbackResult): string {
  if (result.status === 'rolled_back') {
    return `all traffic is on version ${result.toVersion} (was ${describeAliasState(result.undoneState ?? result.previousState)})`;
  }
  if (result.status === 'nothing_to_deploy') {
    return `alias ${result.alias} already routes all traffic to version ${result.toVersion}`;
  }
  const cause = result.cause;
  if (cause?.code === 'ROLLBACK_TARGET_DELETED') {
    const gone = cause.data.what === 'function' ? `function ${result.functionName}` : `alias ${result.alias}`;
    return `${gone} was deleted during the rollback: nothing left to roll back`;
  }
  const error =
    cause?.code === 'ROLLBACK_FAILED' || cause?.code === 'ROLLBACK_CONFLICT' ? cause.data.error : '';
  return `${result.status.replace('_', ' ')}${error ? `: ${error}` : ''}`;
}
