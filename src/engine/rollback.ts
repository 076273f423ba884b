/**
 * `lshift rollback`: put all traffic back on the stable (or a chosen) version, from any
 * machine. Runs the same rollback program (`planRollback`), through the same interpreter, as a
 * failed deploy. Destination, in order: `--to`;
 * the stable version of an unfinished deployment (not promoted or rolled back) whose record
 * matches the alias — a crash during the bake or the post-traffic hooks leaves all traffic on
 * the target, and the version to go back to is the record's stable one; the primary version of
 * a split alias; the stable version of a promoted deployment whose target still has all traffic.
 *
 * Idempotent (DESIGN.md §6): the destination is always the record's own stable version, never
 * an older entry of its history, and a deployment that ended rolled back (by a deploy, `check`
 * or an earlier `lshift rollback`) with all traffic on its stable version is a no-op that says
 * so. Running it twice never goes further back than once. A record that does not add up
 * (record-trust.ts) is refused rather than followed. A 412 means someone else moved the alias:
 * stop, exit 5. An unfinished record is closed as rolled-back, even when the alias was already
 * all on its stable version (a runner that died before or during its rollback).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, type LshiftError, OperationError, PreflightError } from '../domain/errors.js';
import type { DeployResult, DeployStatus } from '../domain/events.js';
import { causeOf, type OutcomeCause, type RecordSummary } from '../domain/outcome.js';
import { planRollback } from '../domain/release-program.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { AliasCursor, AliasState } from './alias-step.js';
import {
  buildRestoreCommand,
  buildRollbackCommand,
  describeAliasState,
  runningDeploymentOf,
} from './deploy-result.js';
import { describeError, emitEvent, logWarn } from './emit.js';
import { runProgram } from './interpreter.js';
import { trafficDriverOf } from './native-traffic-driver.js';
import { isFinished, isSplit, PROMOTE_UNCONFIRMED_REASON } from './record-view.js';
import { chooseDestination, trustRecord } from './rollback-destination.js';
import { stopIfInterrupted } from './rollback-interrupt.js';
import type { RollbackDeps, RollbackRequest } from './rollback-types.js';
import { coolDown } from './warm.js';

export type { RollbackDeps, RollbackRequest } from './rollback-types.js';

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
}

export async function rollbackDeployment(deps: RollbackDeps, req: RollbackRequest): Promise<RollbackResult> {
  const { functionName: fn, alias: name } = req;
  const startedAt = deps.clock.now();
  const alias = await deps.lambda.getAlias(fn, name);
  if (!alias) {
    throw new PreflightError('ALIAS_NOT_FOUND', `Alias ${name} of function ${fn} does not exist.`, {
      hint: 'Check the function name and --alias.',
      context: { functionName: fn, alias: name },
    });
  }
  const split = isSplit(alias.additionalWeights);
  const record = trustRecord(
    deps,
    req,
    alias,
    await readRecord(deps, req, split || req.to !== undefined, alias),
  );
  const destination = await chooseDestination(deps, req, alias, record);
  const to = destination.version;
  const previousState: AliasState = {
    functionVersion: alias.functionVersion,
    additionalWeights: { ...alias.additionalWeights },
  };
  const drained = drainedVersion(alias);
  const result = (
    status: DeployStatus,
    cause: OutcomeCause,
    extra: Partial<RollbackResult> = {},
  ): RollbackResult => ({
    status,
    deploymentId: record?.id,
    functionName: fn,
    alias: name,
    fromVersion: drained,
    toVersion: to,
    steps: [],
    verdicts: [],
    cause,
    previousState,
    startedAt,
    endedAt: deps.clock.now(),
    ...extra,
  });
  if (destination.undone !== undefined)
    return result('nothing_to_deploy', causeOf('NOTHING_TO_DO', { undone: destination.undone }));
  const already = !split && alias.functionVersion === to;
  // An unfinished deployment whose traffic is already back: its runner may still be alive (a
  // pre-traffic hook, or about to write a weight). Re-writing the same routing changes the
  // RevisionId, so that runner's next alias write gets a 412 and it stops.
  const fence = already && record !== undefined && !isFinished(record) && record.stableVersion === to;
  if (already && !fence) {
    return result('nothing_to_deploy', causeOf('NOTHING_TO_DO', {}));
  }
  const cursor: AliasCursor = {
    functionName: fn,
    alias: name,
    stableVersion: to,
    targetVersion: drained,
    revisionId: alias.revisionId,
    aliasState: previousState,
    percent: fence ? 0 : drainedPercent(alias),
    // A CodeDeploy deployment still running is stopped (with auto-rollback) by its driver.
    ...(record?.codeDeployId && !isFinished(record) ? { deploymentRef: record.codeDeployId } : {}),
    // One that ended still names its group: no alias write beside another deployment there.
    ...(record?.codeDeployId && isFinished(record) ? { endedDeploymentRef: record.codeDeployId } : {}),
  };
  // The last moment to stop with nothing written; the write below finishes whatever comes.
  stopIfInterrupted(req.signal, req);
  emitEvent(deps, {
    type: 'rollback.started',
    functionName: fn,
    alias: name,
    reason: req.reason,
    fromPercent: cursor.percent,
    toVersion: to,
  });
  const outcome = await runProgram(
    {
      traffic: deps.trafficFor?.(record) ?? trafficDriverOf(deps),
      clock: deps.clock,
      cursor,
      restore: { stopOnConflict: true, ...(req.onPoll ? { onPoll: req.onPoll } : {}) },
    },
    planRollback({ stableVersion: to }, { functionName: fn, alias: name }),
  );
  if (outcome.kind === 'conflict') {
    emitEvent(deps, { type: 'rollback.failed', message: outcome.cause });
    return result('conflict', causeOf('ROLLBACK_CONFLICT', { error: outcome.cause }), {
      aliasState: outcome.aliasState,
    });
  }
  if (outcome.kind !== 'done' && outcome.kind !== 'unsafe')
    throw new Error(`a rollback program ended ${outcome.kind}`);
  if (outcome.kind === 'unsafe') {
    emitEvent(deps, { type: 'rollback.failed', message: outcome.message });
    // Split (or changed) is unsafe (exit 4); unsplit and unchanged is a plain failure (exit 1).
    const unsafe =
      isSplit(outcome.aliasState.additionalWeights) ||
      outcome.aliasState.functionVersion !== previousState.functionVersion;
    const running = runningDeploymentOf(cursor);
    const cause = causeOf('ROLLBACK_FAILED', {
      attempts: outcome.attempts,
      error: outcome.message,
      ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
      ...(running ? { codeDeployRunning: running } : {}),
    });
    // CodeDeploy still moving the alias: unsafe, whatever the alias looks like this instant.
    return result(unsafe || running ? 'unsafe' : 'failed', cause, {
      aliasState: outcome.aliasState,
      fixCommand: buildRestoreCommand({ functionName: fn, alias: name, version: to }, running),
      rollbackCommand: buildRollbackCommand(fn, name, req.to === undefined ? undefined : to),
    });
  }
  emitEvent(deps, { type: 'rollback.completed', toVersion: to });
  if (outcome.restored?.alreadyStable)
    return landedElsewhere(deps, req, record, to, (cause, aliasState) =>
      result('nothing_to_deploy', cause, { aliasState }),
    );
  await updateRecord(deps, req, record, to, deps.clock.now(), cursor.deploymentRef);
  // A crashed `deploy --warm` left its temporary provisioned concurrency: it is billed until removed.
  if (record?.warm !== undefined && !isFinished(record))
    await coolDown(deps, { functionName: fn, version: record.targetVersion }, record.warm);
  if (fence) {
    const closed = record && summarizeRecord(record);
    return result('nothing_to_deploy', causeOf('NOTHING_TO_DO', closed ? { closed } : {}), {
      aliasState: { ...cursor.aliasState },
    });
  }
  return result('rolled_back', causeOf('ROLLBACK_REQUESTED', { why: req.reason }), {
    aliasState: { ...cursor.aliasState },
  });
}

/**
 * The write was refused (412) and the re-read found all traffic already on `to`: an earlier
 * write of ours whose answer was lost, or a twin `lshift rollback`, got there first. That is
 * the goal reached, not a conflict. The record is closed only if it is still this deployment's
 * and unchanged since it was read: whoever moved the alias may have closed it already, or
 * started a new deployment since.
 */
async function landedElsewhere(
  deps: RollbackDeps,
  req: RollbackRequest,
  record: DeploymentRecord | undefined,
  to: string,
  result: (cause: OutcomeCause, aliasState: AliasState) => RollbackResult,
): Promise<RollbackResult> {
  const aliasState: AliasState = { functionVersion: to, additionalWeights: {} };
  const fresh = record && (await readRecord(deps, req, true));
  const ours =
    record && fresh?.id === record.id && fresh.phase === record.phase && fresh.phase !== 'rolled-back';
  if (ours) {
    await updateRecord(deps, req, fresh, to, deps.clock.now());
    // As after our own write: a crashed `deploy --warm`'s provisioned concurrency is billed until removed.
    if (fresh.warm !== undefined && !isFinished(fresh))
      await coolDown(deps, { functionName: req.functionName, version: fresh.targetVersion }, fresh.warm);
  }
  const closed = ours ? summarizeRecord(fresh) : undefined;
  return result(causeOf('NOTHING_TO_DO', { landed: true, ...(closed ? { closed } : {}) }), aliasState);
}

/**
 * What the rollback did, without the reason it was asked for (the caller — `lshift check` —
 * states that reason itself). `lshift check` words its report in the engine (check.ts).
 */
export function describeRollbackDone(result: RollbackResult): string {
  if (result.status === 'rolled_back') {
    return `all traffic is on version ${result.toVersion} (was ${describeAliasState(result.previousState)})`;
  }
  if (result.status === 'nothing_to_deploy') {
    return `alias ${result.alias} already routes all traffic to version ${result.toVersion}`;
  }
  const cause = result.cause;
  const error =
    cause?.code === 'ROLLBACK_FAILED' || cause?.code === 'ROLLBACK_CONFLICT' ? cause.data.error : '';
  return `${result.status.replace('_', ' ')}${error ? `: ${error}` : ''}`;
}

function summarizeRecord(record: DeploymentRecord): RecordSummary {
  return {
    deploymentId: record.id,
    stableVersion: record.stableVersion,
    targetVersion: record.targetVersion,
    phase: record.phase,
    ...(record.endReason ? { endReason: record.endReason } : {}),
  };
}

async function readRecord(
  deps: RollbackDeps,
  req: RollbackRequest,
  optional: boolean,
  alias?: AliasInfo,
): Promise<DeploymentRecord | undefined> {
  if (!deps.store) return undefined;
  try {
    return await deps.store.read(req.functionName, req.alias);
  } catch (error) {
    // A tag that is there but cannot be decoded was edited by someone: never acted on, as one that
    // does not add up (RECORD_INVALID) is not — a split alias is not drained to a guessed version.
    if (req.to === undefined && alias && isLshiftError(error) && error.code === 'RECORD_CORRUPT') {
      throw corruptRecordRefusal(error, req, alias);
    }
    if (!optional) {
      // A corrupt tag says itself that it is unreadable and how to clear it.
      if (isLshiftError(error) && error.code === 'RECORD_CORRUPT') throw error;
      throw new OperationError(
        'STATE_UNREADABLE',
        `Could not read the deployment record of ${req.functionName} alias ${req.alias}: ${describeError(error)}`,
        {
          hint: 'Pass --to <version> to roll back without the record.',
          context: { functionName: req.functionName, alias: req.alias },
          cause: error,
        },
      );
    }
    logWarn(deps, `could not read the deployment record: ${describeError(error)}`, 'record');
    return undefined;
  }
}

/** The version losing its traffic: the additional one of a split alias, else the primary. */
function drainedVersion(alias: AliasInfo): string {
  const extra = Object.entries(alias.additionalWeights).find(([, w]) => w > 0);
  return extra ? extra[0] : alias.functionVersion;
}

function drainedPercent(alias: AliasInfo): number {
  const extra = Object.values(alias.additionalWeights).find((w) => w > 0);
  return extra === undefined ? 100 : Math.round(extra * 1e8) / 1e6;
}

async function updateRecord(
  deps: RollbackDeps,
  req: RollbackRequest,
  record: DeploymentRecord | undefined,
  to: string,
  now: number,
  /** The CodeDeploy deployment the rollback stopped: a record whose runner died before naming it gets it. */
  found?: string,
): Promise<void> {
  if (!deps.store || !record) return;
  // History is kept as it is: a second rollback must find this one done, not go further back.
  const updated: DeploymentRecord = {
    ...record,
    phase: 'rolled-back',
    percent: 0,
    heartbeatAt: now,
    endedAt: now,
    // A promote that could not be confirmed is over: rolled back, not "promote unconfirmed".
    endReason: record.endReason === PROMOTE_UNCONFIRMED_REASON ? undefined : record.endReason,
    ...(to === record.stableVersion ? {} : { endReason: `rolled back to version ${to}` }),
    // Found by its run token (the runner was killed right after CreateDeployment answered):
    // `lshift status` then names it instead of saying none was started.
    ...(record.engine === 'codedeploy' && !record.codeDeployId && found ? { codeDeployId: found } : {}),
  };
  try {
    await deps.store.write(req.functionName, req.alias, updated);
    emitEvent(deps, { type: 'record.written', phase: updated.phase });
  } catch (error) {
    logWarn(
      deps,
      `rolled back, but could not update the deployment record: ${describeError(error)}`,
      'record',
    );
  }
}

/** RECORD_CORRUPT with the way around it: --to, which acts on the alias alone. */
function corruptRecordRefusal(error: LshiftError, req: RollbackRequest, alias: AliasInfo): OperationError {
  const to = isSplit(alias.additionalWeights) ? alias.functionVersion : '<version>';
  return new OperationError(error.code, error.message, {
    hint: `${error.hint ?? ''} Or roll back without it: \`lshift rollback ${req.functionName} --alias ${req.alias} --to ${to}\` (the record is left as it is).`.trim(),
    context: { functionName: req.functionName, alias: req.alias },
    cause: error,
  });
}
