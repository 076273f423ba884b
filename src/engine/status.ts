/**
 * `lshift status`: the alias routing, the alarms' states and the deployment record with its
 * heartbeat age. Reads only. An alarm that cannot be read is UNKNOWN — never OK.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, PreflightError } from '../domain/errors.js';
import { describeClearRecordCommand } from '../domain/record-tag.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import type { AlarmStateValue, MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import { deadPidHere, describeProgress, isAbandoned, livePidHere } from './check-classify.js';
import { findLateStart, type LateCodeDeployStart } from './codedeploy-late-start.js';
import { findCodeDeployDriver } from './codedeploy-split-driver.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describeError } from './emit.js';
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
import { judgeBackMember, readAlarms } from './status-alarms.js';
import { askCodeDeployAbout } from './status-codedeploy.js';
import { readReleasePromotedFull } from './status-release-full.js';
import { isStalled } from './status-stalled.js';

export interface StatusDeps {
  lambda: LambdaPort;
  metrics: MetricsPort;
  clock: Clock;
  store?: StateStore;
  /** Asked about an unfinished CodeDeploy record's deployment (status-codedeploy.ts). */
  codedeploy?: CodeDeployPort;
  /** The group a CodeDeploy record's deployment runs on, to find one it does not name by its run token. */
  codeDeployGroupOf?: (
    functionName: string,
    alias: string,
  ) => { application: string; group: string } | undefined;
  /**
   * The owner a `lshift check` run here would have, and this machine's processes: a record whose
   * owner's pid no longer runs here is STALE when the check would act on it (isAbandoned).
   */
  checkOwner?: string;
  processes?: LocalProcesses;
}

export interface StatusRequest {
  functionName: string;
  alias: string;
  alarms: string[];
  staleAfterSeconds?: number;
  /**
   * The other functions this status shows: a release's `promote --full` answered in one of their
   * records is read when this one's alias is ahead of its record (status-release-full.ts).
   */
  releaseMates?: readonly { functionName: string; alias: string }[];
}

export interface StatusAlarm {
  name: string;
  /** `UNKNOWN` when the read failed or the alarm does not exist (see `reason`). */
  state: AlarmStateValue | 'UNKNOWN';
  reason?: string;
  updatedAt?: number;
}

export interface StatusRecord extends DeploymentRecord {
  heartbeatAgeSeconds: number;
  /**
   * Not ended, and no heartbeat for longer than the staleness limit: its runner probably died.
   * A `rolling-back` record: that limit plus the check's clock margin, or at once when its
   * claimer's pid no longer runs on this machine (check-classify.ts isAbandoned).
   */
  stale: boolean;
  /** Stale, and its owner is this user's on this machine with this pid, which no longer runs. */
  deadPid?: number;
  /**
   * Stale, and its owner is this user's on this machine with this pid, which still runs: its
   * runner is alive (or the pid was reused) but its record is not written (livePidHere).
   */
  livePid?: number;
  /**
   * The output calls it STALLED: nobody drives it and a person must finish or undo it
   * (status-stalled.ts isStalled). Unlike `stale`, never set on one the next `lshift check`
   * closes by itself, a rollback the next check finishes, or one AWS CodeDeploy runs on.
   */
  stalled?: true;
  /**
   * Its alias is all on the new version, ahead of this record, and another record of its release
   * read with it holds an obeyed or sent `promote --full`: lshift's own write (status-release-full.ts).
   */
  releasePromotedFull?: true;
  /** The alias was moved away from this unfinished deployment by hand (record-view.ts, aliasMovedAway). */
  movedAway?: 'elsewhere' | 'back-on-stable';
  /**
   * A release's function back on its stable version, nobody driving it: its gate failed while its
   * runner could still move traffic (the check's words for it), so the next `lshift check` rolls
   * the whole release back (release-member-gate.ts).
   */
  releaseGateFailed?: string;
  /** …or why status cannot tell whether it did (no alarms given, unreadable): a check still may. */
  releaseGateUnjudged?: string;
  /**
   * Recorded promoted while the alias still splits traffic (promoted-split.ts): stalled, nobody
   * drives it, a human must finish or undo it (`lshift status` exits 4).
   */
  promotedButSplit?: boolean;
  /**
   * Finished (promoted, rolled back), but the alias is no longer where it left it: moved since by
   * something other than an lshift deployment (record-view.ts aliasMovedSinceEnd).
   */
  movedSince?: { leftOnVersion: string };
  /**
   * Every step passed but its runner could not confirm the promote and stopped
   * (promote-unconfirmed.ts): nobody drives it, a human must finish or undo it (exit 4).
   */
  promoteUnconfirmed?: boolean;
  /** CodeDeploy no longer knows the deployment this unfinished record names: nothing drives it (exit 4). */
  forgottenByCodeDeploy?: true;
  /** Why CodeDeploy could not be asked about it. */
  codeDeployError?: string;
  /** How CodeDeploy says the deployment ended (status-codedeploy.ts). */
  codeDeployEnded?: string;
  /** The deployment of a record that names none, found by its run token (status-codedeploy.ts). */
  codeDeployIdFound?: string;
  /** It ended in CodeDeploy (Stopped, Failed) with the alias left split: nobody drives it (exit 4). */
  leftSplitByCodeDeploy?: true;
  /** …and another deployment on its group drives the split (status-codedeploy.ts). */
  splitByOtherDeployment?: string;
  /**
   * Rolled back, but its own CodeDeploy deployment (found by its run token) started after its
   * run had ended and moved the alias (codedeploy-late-start.ts); still running: exit 4.
   */
  lateCodeDeployStart?: LateCodeDeployStart;
}

export interface AliasStatus {
  functionName: string;
  alias: string;
  functionVersion: string;
  additionalWeights: Record<string, number>;
  split: boolean;
  revisionId: string;
  alarms: StatusAlarm[];
  record?: StatusRecord;
  /** Why the record could not be read, when it could not. */
  recordError?: string;
  /**
   * The read failed (a network error, throttling, a 5xx, no lambda:ListTags): the record may be
   * fine and a live runner may drive the split. Unset when it was read and cannot be used
   * (corrupt, not adding up, an alias too long to name it).
   */
  recordUnreadable?: true;
  /**
   * The record is in a newer format than this lshift reads (`v2 …`, RECORD_CORRUPT): a newer
   * lshift wrote it and may still be running that deployment (the note says to use that lshift).
   */
  recordNewer?: true;
}

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
      )
    : undefined;
  const alias = asked?.alias ?? firstRead;
  if (recordRead.record && asked) Object.assign(recordRead.record, asked.answer);
  // Not moved by hand: left where its own last write (or CodeDeploy) put it.
  const unconfirmed = recordRead.record && isPromoteUnconfirmed(recordRead.record);
  if (recordRead.record && unconfirmed) recordRead.record.promoteUnconfirmed = true;
  const movedAway = recordRead.record && !unconfirmed && aliasMovedAway(recordRead.record, alias);
  if (recordRead.record && movedAway) recordRead.record.movedAway = movedAway;
  if (recordRead.record && movedAway === 'back-on-stable')
    Object.assign(recordRead.record, await judgeBackMember(deps, req, recordRead.record, alarmRead.read));
  // Its own deployment, taken by CodeDeploy after the run ended: not "another" one, nor a move by hand.
  const late =
    recordRead.record &&
    (await findLateStart(deps.codedeploy, recordRead.record, alias, deps.codeDeployGroupOf?.(fn, name)));
  if (recordRead.record && late) recordRead.record.lateCodeDeployStart = late;
  const driver = !late && (await findDriverOfSplit(deps, req, recordRead.record, alias));
  if (recordRead.record && driver) recordRead.record.splitByOtherDeployment = driver;
  if (recordRead.record && !driver && isPromotedButSplit(recordRead.record, alias))
    recordRead.record.promotedButSplit = true;
  const leftOn = !driver && !late && recordRead.record && aliasMovedSinceEnd(recordRead.record, alias);
  if (recordRead.record && leftOn) recordRead.record.movedSince = { leftOnVersion: leftOn };
  if (
    recordRead.record &&
    (await readReleasePromotedFull(deps.store, recordRead.record, alias, req.releaseMates))
  )
    recordRead.record.releasePromotedFull = true;
  const split = isSplit(alias.additionalWeights);
  const routing = { split, functionVersion: alias.functionVersion };
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
  const stale = !isEnded(record) && isAbandoned(record, now, staleMs, here);
  const deadPid = stale ? deadPidHere(record.owner, here.owner, here.processes) : undefined;
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
function describeRecordLeft(
  fn: string,
  alias: string,
  record: DeploymentRecord | undefined,
): string | undefined {
  if (!record) return undefined;
  return (
    `The alias was deleted, but the deployment record of deployment ${record.id} (${isEnded(record) ? record.phase : describeProgress(record)}) ` +
    `for alias ${alias} is still on function ${fn}: nothing is split; delete the record with ${describeClearRecordCommand(fn, alias)}`
  );
}
