/**
 * `lshift rollback`: put all traffic back on the stable (or a chosen) version, from any
 * machine. Runs the same rollback program (`planRollback`), through the same interpreter, as a
 * failed deploy. Destination, in order: `--to`;
 * the stable version of an unfinished deployment (not promoted or rolled back) whose record
 * matches the alias — a crash during the bake or the post-traffic hooks leaves all traffic on
 * the target, and the version to go back to is the record's stable one, not an older one from
 * history; the primary version of a split alias; the newest version in the record's history
 * that the alias is not on (a promoted deployment). A 412 means someone else moved the alias:
 * stop, exit 5. An unfinished record is closed as rolled-back, even when the alias was already
 * all on its stable version (a runner that died before or during its rollback).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, OperationError, PreflightError } from '../domain/errors.js';
import type { DeployResult, DeployStatus } from '../domain/events.js';
import { causeOf } from '../domain/outcome.js';
import { planRollback } from '../domain/release-program.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';
import type { AliasCursor, AliasState } from './alias-step.js';
import { buildFixCommand, describeAliasState } from './deploy-result.js';
import { describeError, emitEvent, logWarn } from './emit.js';
import { runProgram } from './interpreter.js';
import { trafficDriverOf } from './native-traffic-driver.js';
import { isFinished, isSplit, locateAlias } from './record-view.js';

export interface RollbackDeps {
  lambda: LambdaPort;
  clock: Clock;
  events: EventSink;
  store?: StateStore;
  /** Unused; accepted so a command can pass the same deps object it builds for deploy/status. */
  metrics?: MetricsPort;
  /** Moves traffic (default: native alias weights over `lambda`). */
  traffic?: TrafficDriver;
}

export interface RollbackRequest {
  functionName: string;
  alias: string;
  /** Version to put all traffic on (must exist and be published). */
  to?: string;
  /** Why (shown in events and the result), e.g. `manual rollback by ci@runner`. */
  reason: string;
}

/**
 * A DeployResult so the same renderers and `--json` shape serve both commands. As in a deploy,
 * `fromVersion` is the stable version (where all traffic is now) and `toVersion` the version
 * traffic was taken away from. (`lshift rollback` exits 0 on a successful rollback: exit 3
 * means a *deploy* was rolled back; src/cli/exit-codes.ts chooses.)
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
  const record = await readRecord(deps, req, split || req.to !== undefined);
  const to = await chooseDestination(deps, req, alias, record);
  const previousState: AliasState = {
    functionVersion: alias.functionVersion,
    additionalWeights: { ...alias.additionalWeights },
  };
  const drained = drainedVersion(alias);
  const result = (
    status: DeployStatus,
    reason: string,
    extra: Partial<RollbackResult> = {},
  ): RollbackResult => ({
    status,
    deploymentId: record?.id,
    functionName: fn,
    alias: name,
    fromVersion: to,
    toVersion: drained,
    steps: [],
    verdicts: [],
    reason,
    previousState,
    startedAt,
    endedAt: deps.clock.now(),
    ...extra,
  });
  const already = !split && alias.functionVersion === to;
  // An unfinished deployment whose traffic is already back: its runner may still be alive (a
  // pre-traffic hook, or about to write a weight). Re-writing the same routing changes the
  // RevisionId, so that runner's next alias write gets a 412 and it stops.
  const fence = already && record !== undefined && !isFinished(record) && record.stableVersion === to;
  if (already && !fence) {
    return result(
      'nothing_to_deploy',
      `alias ${name} of function ${fn} already routes all traffic to version ${to}`,
    );
  }
  const cursor: AliasCursor = {
    functionName: fn,
    alias: name,
    stableVersion: to,
    targetVersion: drained,
    revisionId: alias.revisionId,
    aliasState: previousState,
    percent: fence ? 0 : drainedPercent(alias),
  };
  emitEvent(deps, {
    type: 'rollback.started',
    reason: req.reason,
    fromPercent: cursor.percent,
    toVersion: to,
  });
  const outcome = await runProgram(
    { traffic: trafficDriverOf(deps), clock: deps.clock, cursor, restore: { stopOnConflict: true } },
    planRollback({ stableVersion: to }, { functionName: fn, alias: name }),
  );
  if (outcome.kind === 'conflict') {
    emitEvent(deps, { type: 'rollback.failed', message: outcome.cause });
    const reason = `alias ${name} of function ${fn} changed since lshift read it; nothing was overwritten (${outcome.cause})`;
    return result('conflict', reason, {
      aliasState: outcome.aliasState,
      cause: causeOf('ROLLBACK_CONFLICT', {}),
    });
  }
  if (outcome.kind !== 'done' && outcome.kind !== 'unsafe')
    throw new Error(`a rollback program ended ${outcome.kind}`);
  if (outcome.kind === 'unsafe') {
    emitEvent(deps, { type: 'rollback.failed', message: outcome.message });
    const reason = `the alias write failed ${outcome.attempts} times (${outcome.message}); alias ${name} is at ${describeAliasState(outcome.aliasState)}`;
    // Split (or changed) is unsafe (exit 4); unsplit and unchanged is a plain failure (exit 1).
    const unsafe =
      isSplit(outcome.aliasState.additionalWeights) ||
      outcome.aliasState.functionVersion !== previousState.functionVersion;
    return result(unsafe ? 'unsafe' : 'failed', reason, {
      aliasState: outcome.aliasState,
      fixCommand: buildFixCommand(fn, name, to),
      cause: causeOf('ROLLBACK_FAILED', { attempts: outcome.attempts }),
    });
  }
  emitEvent(deps, { type: 'rollback.completed', toVersion: to });
  await updateRecord(deps, req, record, to, deps.clock.now());
  if (fence) {
    return result(
      'nothing_to_deploy',
      `alias ${name} of function ${fn} already routes all traffic to version ${to}; deployment ${record?.id} (${record?.phase}) is now recorded as rolled back`,
      { aliasState: { ...cursor.aliasState } },
    );
  }
  const reason = `${req.reason}: all traffic of alias ${name} is on version ${to} (was ${describeAliasState(previousState)})`;
  return result('rolled_back', reason, { aliasState: { ...cursor.aliasState } });
}

async function readRecord(
  deps: RollbackDeps,
  req: RollbackRequest,
  optional: boolean,
): Promise<DeploymentRecord | undefined> {
  if (!deps.store) return undefined;
  try {
    return await deps.store.read(req.functionName, req.alias);
  } catch (error) {
    if (!optional) {
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
    logWarn(deps, `could not read the deployment record: ${describeError(error)}`);
    return undefined;
  }
}

async function chooseDestination(
  deps: RollbackDeps,
  req: RollbackRequest,
  alias: AliasInfo,
  record: DeploymentRecord | undefined,
): Promise<string> {
  const { functionName: fn, alias: name } = req;
  if (req.to !== undefined) return checkVersion(deps, fn, req.to);
  if (record && !isFinished(record) && locateAlias(alias, record).kind !== 'elsewhere') {
    return record.stableVersion;
  }
  if (isSplit(alias.additionalWeights)) return alias.functionVersion;
  const previous = record?.history.find((v) => v !== alias.functionVersion);
  if (previous !== undefined) return previous;
  throw new PreflightError(
    'NOTHING_TO_ROLL_BACK',
    `Alias ${name} of function ${fn} routes all traffic to version ${alias.functionVersion} and no previous stable version is recorded.`,
    {
      hint: `Pass --to <version> to choose the version to put traffic on.`,
      context: { functionName: fn, alias: name },
    },
  );
}

async function checkVersion(deps: RollbackDeps, fn: string, version: string): Promise<string> {
  const context = { functionName: fn, version };
  if (!/^[0-9]+$/.test(version)) {
    throw new PreflightError(
      'TARGET_NOT_PUBLISHED',
      `--to ${version} is not a published version of function ${fn}.`,
      {
        hint: 'Pass a version number; aliases cannot point weighted traffic at $LATEST.',
        context,
      },
    );
  }
  try {
    await deps.lambda.getFunction(fn, version);
  } catch (error) {
    if (isLshiftError(error) && error.code === 'VERSION_NOT_FOUND') {
      throw new PreflightError('VERSION_NOT_FOUND', `Version ${version} of function ${fn} does not exist.`, {
        hint: `List the published versions with \`aws lambda list-versions-by-function --function-name ${fn}\`.`,
        context,
        cause: error,
      });
    }
    throw error;
  }
  return version;
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
): Promise<void> {
  if (!deps.store || !record) return;
  // Consume the history down to the destination so a second rollback goes one further back.
  const at = record.history.indexOf(to);
  const history = at >= 0 ? record.history.slice(at + 1) : record.history;
  const updated: DeploymentRecord = {
    ...record,
    phase: 'rolled-back',
    percent: 0,
    heartbeatAt: now,
    endedAt: now,
    history,
  };
  try {
    await deps.store.write(req.functionName, req.alias, updated);
    emitEvent(deps, { type: 'record.written', phase: updated.phase });
  } catch (error) {
    logWarn(deps, `rolled back, but could not update the deployment record: ${describeError(error)}`);
  }
}
