/**
 * `lshift status`: the alias routing, the alarms' states and the deployment record with its
 * heartbeat age. Reads only. An alarm that cannot be read is UNKNOWN — never OK.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, PreflightError } from '../domain/errors.js';
import { describeClearRecordCommand } from '../domain/record-tag.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeProgress, isAbandoned } from './check-classify.js';
import { findLateStart } from './codedeploy-late-start.js';
import { findCodeDeployDriver } from './codedeploy-split-driver.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describeError } from './emit.js';
import { liveFollowerOf } from './follow-live-owner.js';
import { deadPidHere, livePidHere } from './owner-kinds.js';
import { codeOf } from './preflight-checks.js';
import { isPromotedButSplit } from './promoted-split.js';
import { describeUntrustedRecord, untrustedRecordError } from './record-trust.js';
import {
  aliasMovedAway,
  aliasMovedSinceEnd,
  isEnded,
  isFinished,
  isPromoteUnconfirmed,
  isSplit,
} from './record-view.js';
import { describeRollbackMovedAway } from './rollback-moved-away.js';
import { describeRollbackOvertaken } from './rollback-overtaken.js';
import { judgeBackMember, readAlarms } from './status-alarms.js';
import { askCodeDeployAbout } from './status-codedeploy.js';
import { askRolledBackCodeDeploy } from './status-codedeploy-finished.js';
import { judgeAlarmOverDrivenSplit } from './status-driven-alarm.js';
import { readReleasePromotedFull } from './status-release-full.js';
import { livenessOf, spareLiveKeptMove, spareLiveRollback } from './status-rollback-runner.js';
import { isRunnerKnownGone, isStalled } from './status-stalled.js';

export type { AliasStatus, StatusAlarm, StatusDeps, StatusRecord, StatusRequest } from './status-types.js';

import type { AliasStatus, StatusDeps, StatusRecord, StatusRequest } from './status-types.js';

export async function getStatus(deps: StatusDeps, req: StatusRequest): Promise<AliasStatus> {
  const { functionName: fn, alias: name } = req;
  // The record and the alarms do not depend on the alias: read all three at once (issue 15:
  // status speed). Both side reads report their own failures instead of throwing.
  const [firstRead, alarmRead, recordRead] = await Promise.all([
    deps.lambda.getAlias(fn, name),
    readAlarms(deps.metrics, req.alarms),
    readRecord(deps, req),
  ]);
  if (!firstRead) {
    throw new PreflightError('ALIAS_NOT_FOUND', `Alias ${name} of function ${fn} does not exist.`, {
      hint: describeRecordLeft(fn, name, recordRead.record) ?? 'Check the function name and --alias.',
      context: { functionName: fn, alias: name },
    });
  }
  // An ended CodeDeploy deployment is judged on the alias read after CodeDeploy's answer.
  const asked = recordRead.record
    ? await askCodeDeployAbout(
        deps.codedeploy,
        recordRead.record,
        () => deps.lambda.getAlias(fn, name),
        deps.codeDeployGroupOf?.(fn, name),
        { functionName: fn, alias: name },
      )
    : undefined;
  const alias = asked?.alias ?? firstRead;
  if (recordRead.record && asked) Object.assign(recordRead.record, asked.answer);
  // Ended in CodeDeploy under a live follower: that run closes the record (its settle verdict).
  const follower = recordRead.record?.codeDeployEnded && endedUnderFollower(deps, req, recordRead.record);
  if (recordRead.record && follower) recordRead.record.codeDeployEndedFollower = follower;
  // lshift's own rollback under way (its runner alive): not one CodeDeploy runs against.
  if (recordRead.record) spareLiveRollback(recordRead.record, livenessOf(deps, req));
  // Its stop without rollback (keeping a move by hand) under way: its runner alive.
  if (recordRead.record) spareLiveKeptMove(recordRead.record, livenessOf(deps, req));
  // Not moved by hand: left where its own last write (or CodeDeploy) put it.
  const unconfirmed = recordRead.record && isPromoteUnconfirmed(recordRead.record);
  if (recordRead.record && unconfirmed) recordRead.record.promoteUnconfirmed = true;
  // Moved by hand and CodeDeploy not stopped: said as that (againstKeptMove), not as a move to record.
  // Nor while its live runner stops CodeDeploy without rollback: "rolled back by hand" (session 65).
  const kept =
    recordRead.record?.againstKeptMove !== undefined || recordRead.record?.keepingMoveByRunner !== undefined;
  const movedAway = recordRead.record && !unconfirmed && !kept && aliasMovedAway(recordRead.record, alias);
  if (recordRead.record && movedAway) recordRead.record.movedAway = movedAway;
  if (recordRead.record && movedAway === 'back-on-stable')
    Object.assign(recordRead.record, await judgeBackMember(deps, req, recordRead.record, alarmRead.read));
  // Its own deployment, taken by CodeDeploy after the run ended: not "another" one, nor a move by hand.
  // Rolled back by lshift over a deployment CodeDeploy says Succeeded: both said (session 65).
  if (recordRead.record && (await askRolledBackCodeDeploy(deps.codedeploy, recordRead.record)))
    recordRead.record.codeDeploySucceededBeforeRollback = true;
  const late =
    recordRead.record &&
    (await findLateStart(deps.codedeploy, recordRead.record, alias, deps.codeDeployGroupOf?.(fn, name)));
  if (recordRead.record && late) recordRead.record.lateCodeDeployStart = late;
  const driver = !late && (await findDriverOfSplit(deps, req, recordRead.record, alias));
  if (recordRead.record && driver) recordRead.record.splitByOtherDeployment = driver;
  // An alarm in ALARM over it: STALLED, as `lshift check` calls it (status-driven-alarm.ts).
  const alarmOverDriven =
    recordRead.record &&
    (await judgeAlarmOverDrivenSplit(deps.codedeploy, req, recordRead.record, alias, alarmRead.shown));
  if (recordRead.record && alarmOverDriven) recordRead.record.alarmOverDrivenSplit = alarmOverDriven;
  if (recordRead.record && !driver && isPromotedButSplit(recordRead.record, alias))
    recordRead.record.promotedButSplit = true;
  const leftOn = !driver && !late && recordRead.record && aliasMovedSinceEnd(recordRead.record, alias);
  if (recordRead.record && leftOn) recordRead.record.movedSince = { leftOnVersion: leftOn };
  if (
    recordRead.record &&
    (await readReleasePromotedFull(deps.store, recordRead.record, alias, req.releaseMates))
  )
    recordRead.record.releasePromotedFull = true;
  // A stale rollback someone moved past since it stopped: neither a resume nor a check finishes it.
  // A failed one too: its ROLLBACK FAILED line said only where traffic is (session 67).
  const stopped = recordRead.record?.stale || recordRead.record?.phase === 'failed';
  const overtaken = stopped && recordRead.record && describeRollbackOvertaken(recordRead.record, alias);
  if (recordRead.record && overtaken) recordRead.record.rollbackOvertaken = overtaken;
  // Moved onto a version it never wrote instead: the check leaves it too (rollback-moved-away.ts).
  const movedSinceRollback =
    recordRead.record?.stale && describeRollbackMovedAway(recordRead.record, alias, deps.clock.now());
  if (recordRead.record && movedSinceRollback) recordRead.record.rollbackMovedAway = movedSinceRollback;
  const split = isSplit(alias.additionalWeights);
  const routing = {
    split,
    functionVersion: alias.functionVersion,
    additionalWeights: alias.additionalWeights,
  };
  if (recordRead.record && isStalled(routing, recordRead.record)) recordRead.record.stalled = true;
  return {
    functionName: fn,
    alias: name,
    functionVersion: alias.functionVersion,
    additionalWeights: { ...alias.additionalWeights },
    split,
    revisionId: alias.revisionId,
    alarms: alarmRead.shown,
    ...recordRead,
  };
}

/** The live follower of a record whose CodeDeploy deployment ended, as `lshift wait` judges it. */
function endedUnderFollower(deps: StatusDeps, req: StatusRequest, record: DeploymentRecord) {
  return liveFollowerOf(record, livenessOf(deps, req));
}

/** A finished deployment's split alias: another CodeDeploy deployment drives it (codedeploy-split-driver.ts). */
async function findDriverOfSplit(
  deps: StatusDeps,
  req: StatusRequest,
  record: DeploymentRecord | undefined,
  alias: AliasInfo,
): Promise<string | undefined> {
  if (!record || !isFinished(record) || !isSplit(alias.additionalWeights)) return undefined;
  return findCodeDeployDriver(deps.codedeploy, deps.codeDeployGroupOf?.(req.functionName, req.alias), {
    functionName: req.functionName,
    alias: req.alias,
    routing: alias,
  });
}

async function readRecord(
  deps: StatusDeps,
  req: StatusRequest,
): Promise<{ record?: StatusRecord; recordError?: string; recordUnreadable?: true; recordNewer?: true }> {
  if (!deps.store) return {};
  let record: DeploymentRecord | undefined;
  try {
    record = await deps.store.read(req.functionName, req.alias);
  } catch (error) {
    const unusable = ['RECORD_CORRUPT', 'RECORD_INVALID', 'ALIAS_TOO_LONG'].includes(codeOf(error) ?? '');
    const newer = isLshiftError(error) && error.context.newerRecord === true;
    return {
      recordError: describeError(error),
      ...(unusable ? {} : { recordUnreadable: true as const }),
      ...(newer ? { recordNewer: true as const } : {}),
    };
  }
  if (!record) return {};
  // A record that does not add up is not shown as if it did (a 999999% weight, a heartbeat
  // in the future that looks alive forever): status reports what is wrong and how to clear it.
  const problem = describeUntrustedRecord(record, deps.clock.now());
  if (problem) {
    const error = untrustedRecordError(
      {
        functionName: req.functionName,
        alias: req.alias,
        now: deps.clock.now(),
        inStatus: true,
        sandboxClock: deps.clock.followsSandbox === true,
      },
      problem,
    );
    return { recordError: `${error.message} ${error.hint ?? ''}`.trim() };
  }
  const now = deps.clock.now();
  const ageMs = Math.max(0, now - record.heartbeatAt);
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  // Not ended, and nobody writes it: by the rule `lshift check` acts on (check-classify.ts).
  const here = { owner: deps.checkOwner, processes: deps.processes };
  // Not only once stale: `lshift check` says at once that a runner whose pid no longer runs here
  // is gone, and status says the same (status-stale-text.ts; found by a hostile pass).
  const deadPid = isEnded(record) ? undefined : deadPidHere(record.owner, here.owner, here.processes);
  const stale =
    !isEnded(record) && (isAbandoned(record, now, staleMs, here) || isRunnerKnownGone(record, deadPid));
  const livePid = stale ? livePidHere(record.owner, here.owner, here.processes) : undefined;
  return {
    record: {
      ...record,
      heartbeatAgeSeconds: Math.round(ageMs / 1000),
      stale,
      ...(deadPid === undefined ? {} : { deadPid }),
      ...(livePid === undefined ? {} : { livePid }),
    },
  };
}

/**
 * The alias was deleted (by hand, a stack teardown) but its deployment record is still on the
 * function: not a typo, and `lshift check` reports it at every run until the record is deleted.
 */
/** The untag quoted: the CLI gives a quoted command the run's --region/--endpoint-url (targetCommandsIn). */
function describeRecordLeft(
  fn: string,
  alias: string,
  record: DeploymentRecord | undefined,
): string | undefined {
  if (!record) return undefined;
  return (
    `The alias was deleted, but the deployment record of deployment ${record.id} (${isEnded(record) ? record.phase : describeProgress(record)}) ` +
    `for alias ${alias} is still on function ${fn}: nothing is split; delete the record with \`${describeClearRecordCommand(fn, alias)}\`.`
  );
}
