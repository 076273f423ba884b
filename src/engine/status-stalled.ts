/**
 * When `lshift status` calls a deployment STALLED — nobody drives it, and a person must finish or
 * undo it — in its text (cli/renderers/status-stale-text.ts) and under `--json` (`record.stalled`,
 * set by status.ts). One rule for both: `--json` carried only `record.stale`, which is also true of a
 * STALE record `lshift check` closes by itself and of a CodeDeploy deployment CodeDeploy runs on,
 * so a script could not tell which one needs a person.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { parseProcessOwner } from '../domain/owner-mark.js';
import { isHandSplitAfterRollbackDecision } from './record-view.js';
import { isSplitLeftClosed } from './split-left-closed.js';

type Routing = { split: boolean; functionVersion: string; additionalWeights: Record<string, number> };

/** The parts of a status record (status.ts StatusRecord) the rule reads. */
export type StalledView = Pick<
  DeploymentRecord,
  'phase' | 'engine' | 'releaseId' | 'stableVersion' | 'targetVersion' | 'endReason'
> & {
  stale: boolean;
  promotedButSplit?: boolean;
  promoteUnconfirmed?: boolean;
  forgottenByCodeDeploy?: true;
  leftSplitByCodeDeploy?: true;
  rollbackOvertaken?: string;
  rollbackMovedAway?: string;
  splitByOtherDeployment?: unknown;
  alarmOverDrivenSplit?: string;
};

/**
 * A deployment `lshift check` closes as rolled back rather than report STALLED
 * (check-close-on-stable.ts): one function's, not of a release, whose alias routes everything to
 * its stable version (it moved no traffic, or its traffic was moved back and nobody recorded it).
 */
export function isClosedByCheck(status: Routing, record: StalledView): boolean {
  return (
    record.releaseId === undefined &&
    !status.split &&
    status.functionVersion === record.stableVersion &&
    record.promoteUnconfirmed !== true
  );
}

/**
 * Its runner is gone mid-deployment (stale) and nothing else finishes it: not a rollback whose
 * runner stopped (the next check finishes that), not one AWS CodeDeploy runs on without its
 * follower, not one the next check closes (isClosedByCheck). `lshift check` reports it STALLED.
 */
export function isStalledRunner(status: Routing, record: StalledView): boolean {
  if (isLeftPaused(record)) return true;
  return (
    record.stale &&
    record.phase !== 'rolling-back' &&
    record.engine !== 'codedeploy' &&
    !isClosedByCheck(status, record)
  );
}

/**
 * Left `paused` by its runner, which then exited: interrupted under `--on-interrupt leave`, or
 * stopped by a move by hand (settle.ts). Nobody drives it, whatever its heartbeat says — `lshift
 * check` reports it STALLED (check-classify.ts: `orphaned`) and never closes it on its own
 * (check-close-on-stable.ts). Status said "paused", exit 0, beside a split alias nobody would
 * finish (found by a hostile pass, session 64). An operator's `lshift pause` is not this: it
 * leaves the phase as it was (`shifting`, its runner holding); a `--detach`ed CodeDeploy one is
 * run on by CodeDeploy.
 */
export function isLeftPaused(record: Pick<DeploymentRecord, 'phase' | 'engine'>): boolean {
  return record.phase === 'paused' && record.engine !== 'codedeploy';
}

/**
 * Every deployment the status output calls STALLED: its runner gone (isStalledRunner), or
 * recorded promoted over a split alias, or its promote unconfirmed, or split by someone after
 * lshift decided to roll it back (record-view.ts isHandSplitAfterRollbackDecision), or split by a
 * person and left so by its closed record (split-left-closed.ts), or AWS CodeDeploy no longer
 * knows it or ended it leaving the alias split, or an alarm fires over a split another CodeDeploy
 * deployment drives (status-driven-alarm.ts). The fields beside it say which.
 */
export function isStalled(status: Routing, record: StalledView): boolean {
  return (
    isStalledRunner(status, record) ||
    record.promotedButSplit === true ||
    record.promoteUnconfirmed === true ||
    // A stopped rollback moved past since (STALLED); a failed one moved past reads ROLLBACK FAILED,
    // THEN MOVED BY SOMEONE ELSE, as a failed rollback reads ROLLBACK FAILED: not STALLED (session 69).
    (record.rollbackOvertaken !== undefined && record.phase !== 'failed') ||
    record.rollbackMovedAway !== undefined ||
    (status.split && isHandSplitAfterRollbackDecision(record)) ||
    isSplitLeftClosed(status, record) ||
    record.forgottenByCodeDeploy === true ||
    record.leftSplitByCodeDeploy === true ||
    record.alarmOverDrivenSplit !== undefined
  );
}

/**
 * Its runner is known gone: its pid (`deadPid`, owner-kinds.ts deadPidHere) no longer runs on
 * this machine, and its owner carries this machine's token — not a runner in another container
 * with this hostname. `lshift status` takes it for stale at once (STALLED, its ways out, exit 4
 * when split): a person at the terminal may act now. It read `a check acts on it once its
 * heartbeat is over 2m old`, exit 0, with no way out, for up to 2 minutes (found by a hostile
 * pass, F2 of session 61). `lshift check` still waits for the heartbeat: it acts unattended, and
 * two minutes cost a scheduled job nothing (docs/exit-codes.md). A rollback's claim (`rolling-back`)
 * is judged by its pid already (isAbandoned); a CodeDeploy deployment runs on without its follower.
 */
export function isRunnerKnownGone(
  record: Pick<DeploymentRecord, 'owner' | 'phase' | 'engine'>,
  deadPid: number | undefined,
): boolean {
  return (
    deadPid !== undefined &&
    record.phase !== 'rolling-back' &&
    record.engine !== 'codedeploy' &&
    parseProcessOwner(record.owner)?.machine !== undefined
  );
}
