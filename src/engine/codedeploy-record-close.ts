/**
 * The close of a CodeDeploy deployment's record once CodeDeploy ended it, shared by `lshift wait`
 * (follow-codedeploy.ts) and `lshift check` (check-codedeploy-close.ts): pure, apart from
 * follow-codedeploy.ts to keep that file to its follow loop.
 */
import type { DeploymentRecord, RecordCause } from '../domain/deployment-record.js';
import { MAX_HISTORY } from './record-view.js';

/**
 * Its follower (a deploy, not a `--detach` or a `--on-interrupt leave`, which leave it `paused`)
 * stopped before promoting it, with the canary analysis on: under this engine the analysis's
 * verdict on the last step's late metrics is the settle wait's, after CodeDeploy's end
 * (docs/codedeploy.md "Limits"), and nobody made it. Found by a hostile pass (session 60): a
 * follower killed in its settle wait was closed promoted, exit 0, with not a word of it.
 */
export function isFollowerCutBeforeSettle(record: DeploymentRecord): boolean {
  return record.phase !== 'paused' && record.guards?.analysis === true;
}

/** Said as a warning, and by `lshift wait`'s result (describe-follow.ts). */
export function describeSettleUnjudged(recordId: string): string {
  return (
    `the canary analysis never judged the last step's late metrics: the run following deployment ${recordId} ` +
    "stopped before its settle wait's verdict, and `lshift wait` does not re-run it; " +
    '`lshift check <function> --alias <alias> --alarm <alarm>` judges its alarms over the minutes since'
  );
}

/**
 * The record of a CodeDeploy deployment that ended, closed as CodeDeploy left the alias: promoted
 * (the stable version joins the history) or rolled back, ended at `at`. Pure; `lshift wait` and
 * `lshift check` (check-codedeploy.ts) write it. A rolled-back one keeps `cause` (`y=`,
 * codedeploy-end-cause.ts) — unless the record has one already: an earlier lshift decided that
 * rollback, and this close only finishes it (as settle-rollback-close.ts recordCause keeps it for a resume).
 */
export function closeCodeDeployRecord(
  record: DeploymentRecord,
  outcome: 'succeeded' | 'rolled_back',
  at: number,
  cause?: RecordCause,
): DeploymentRecord {
  if (outcome === 'rolled_back') {
    const kept = record.cause ?? cause;
    return {
      ...record,
      phase: 'rolled-back',
      percent: 0,
      endedAt: at,
      heartbeatAt: at,
      ...(kept ? { cause: kept } : {}),
    };
  }
  const history = [record.stableVersion, ...record.history.filter((v) => v !== record.stableVersion)];
  return {
    ...record,
    phase: 'promoted',
    percent: 100,
    endedAt: at,
    heartbeatAt: at,
    history: history.slice(0, MAX_HISTORY),
  };
}
