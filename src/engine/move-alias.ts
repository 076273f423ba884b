import { isLshiftError, OperationError, PreflightError, UnsafeError } from '../domain/errors.js';
import { judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../domain/poll-interval.js';
import { planMoveAlias } from '../domain/release-program.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import type { StateStore } from '../ports/state-store.js';
import type { TrafficCursor, TrafficDriver } from '../ports/traffic-driver.js';
import { describeAliasState } from './deploy-result.js';
import { describeError } from './emit.js';
import { runProgram } from './interpreter.js';
import { keepOverRollback } from './kept-over-rollback.js';
import {
  closeForgottenInPlace,
  endRecord,
  type MoveRecordOutcome,
  refuseBesideCodeDeploy,
} from './move-alias-record.js';
import { checkVersionArgument, readTargetVersion } from './move-alias-target.js';
import { trafficDriverOf } from './native-traffic-driver.js';

import { isFinished } from './record-view.js';
import { mayHaveLanded } from './write-answer.js';

export interface MoveAliasRequest {
  functionName: string;
  alias: string;
  version: string;
  /** Create the alias when it does not exist. */
  create?: boolean;
  /** Only used when creating the alias. */
  description?: string;
  /**
   * Ctrl-C/SIGTERM: checked up to the alias write (INTERRUPTED, exit 1, nothing written); once
   * the write is sent it is not given the signal, so it finishes and says how it ended.
   */
  signal?: AbortSignal;
  /** Who moves it: named when the move keeps a version put over lshift's rollback (kept-over-rollback.ts). */
  by?: string;
}

export interface MoveAliasResult extends MoveRecordOutcome {
  alias: AliasInfo;
  /** The alias's primary version before the move (absent when it was created). */
  previousVersion?: string;
  /** Its whole routing before the move: a split alias was more than its primary version. */
  previousRouting?: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>;
  created: boolean;
  /** false when the alias already pointed at the version with no routing: nothing was written. */
  changed: boolean;
}

export interface MoveAliasDeps {
  lambda: LambdaPort;
  /** With a store (and clock), an unfinished deployment record on the alias is closed. */
  store?: StateStore;
  clock?: Clock;
  /** Moves the traffic (default: native alias weights over `lambda`). */
  traffic?: TrafficDriver;
  /**
   * Asked whether an unfinished CodeDeploy record's deployment still exists; without it such a
   * record always refuses the move.
   */
  codedeploy?: CodeDeployPort;
  /** Called right before the alias write is sent (its last stop point): the CLI stops aborting calls. */
  writing?: () => void;
  /** Called once the alias is known moved (its write answered, or read back): only the record's close is left. */
  written?: () => void;
}

function isAlreadyThere(alias: AliasInfo, version: string): boolean {
  return alias.functionVersion === version && Object.keys(alias.additionalWeights).length === 0;
}

/**
 * The alias is where it is asked to be already, but an unfinished deployment with no live owner
 * (its heartbeat stale, paused, or failed) still claims it: the move was made by hand since (the console,
 * `aws lambda update-alias`), and `lshift status` says `lshift alias` records it. Closed as moved
 * by hand, after writing the same routing again: a runner that is only cut off from its record
 * then meets a 412 at its next weight write (found by a hostile pass: the no-op said "nothing
 * changed", the record stayed `shifting`, and every check said STALLED). A live deployment's
 * record is left alone; a CodeDeploy one is its engine's (refuseBesideCodeDeploy).
 */
async function closeAbandonedInPlace(
  deps: MoveAliasDeps,
  req: MoveAliasRequest,
  current: AliasInfo,
): Promise<Partial<Pick<MoveAliasResult, 'endedDeployment' | 'recordWarning' | 'alias'>>> {
  const { store, clock } = deps;
  if (!store || !clock) return {};
  const record = await store.read(req.functionName, req.alias).catch(() => undefined);
  if (!record || isFinished(record) || record.engine === 'codedeploy') return {};
  const stale =
    judgeHeartbeatAge(record.heartbeatAt, clock.now(), DEFAULT_STALE_AFTER_SECONDS * 1000) === 'stale';
  // `failed` (its rollback failed) ended its run: nobody runs it, however fresh its last beat
  // (a person who put the alias whole right after was told "nothing changed", the record left open).
  if (record.phase !== 'paused' && record.phase !== 'failed' && !stale) return {};
  const alias = await runMoveProgram(deps, req, current);
  return { alias, ...(await endRecord(deps, req)) };
}

export async function moveAlias(deps: MoveAliasDeps, req: MoveAliasRequest): Promise<MoveAliasResult> {
  checkVersionArgument(req);
  await readTargetVersion(deps.lambda, req);
  const current = await deps.lambda.getAlias(req.functionName, req.alias);
  if (!current) {
    if (!req.create) {
      throw new PreflightError(
        'ALIAS_NOT_FOUND',
        `Alias ${req.alias} of function ${req.functionName} does not exist.`,
        {
          context: { functionName: req.functionName, alias: req.alias },
          hint: `Add --create to create it: \`lshift alias ${req.functionName} ${req.alias} ${req.version} --create\`.`,
        },
      );
    }
    stopBeforeWrite(deps, req);
    const created = await createConfirmed(deps, req);
    deps.written?.();
    return { alias: created, created: true, changed: true };
  }
  if (isAlreadyThere(current, req.version)) {
    const unchanged = {
      alias: current,
      previousVersion: current.functionVersion,
      previousRouting: {
        functionVersion: current.functionVersion,
        additionalWeights: current.additionalWeights,
      },
      created: false,
      changed: false,
    };
    const forgotten = await closeForgottenInPlace(deps, req);
    if (forgotten.endedDeployment || forgotten.recordWarning) return { ...unchanged, ...forgotten };
    const abandoned = await closeAbandonedInPlace(deps, req, current);
    if (abandoned.endedDeployment || abandoned.recordWarning)
      return { ...unchanged, ...forgotten, ...abandoned };
    // Already there: a person keeping the version put over lshift's rollback says so this way.
    return { ...unchanged, ...forgotten, ...(await keepOverRollback(deps, req)) };
  }
  const forgotten = await refuseBesideCodeDeploy(deps, req);
  const alias = await runMoveProgram(deps, req, current);
  return {
    alias,
    previousVersion: current.functionVersion,
    previousRouting: {
      functionVersion: current.functionVersion,
      additionalWeights: current.additionalWeights,
    },
    created: false,
    changed: true,
    ...forgotten,
    ...(await endRecord(deps, req)),
  };
}

/**
 * CreateAlias whose answer was lost: the SDK's retry met "already exists" (or no attempt was
 * answered), which said "Someone created it concurrently", exit 5, over lshift's own create (found
 * by a hostile pass). The alias is read: pointing at the asked version, the create landed.
 */
async function createConfirmed(deps: MoveAliasDeps, req: MoveAliasRequest): Promise<AliasInfo> {
  try {
    return await deps.lambda.createAlias(req.functionName, req.alias, req.version, req.description);
  } catch (error) {
    const mayBeOwn =
      isLshiftError(error) && error.code === 'ALIAS_EXISTS'
        ? error.context.retried === true
        : mayHaveLanded(error);
    if (!mayBeOwn) throw error;
    const found = await deps.lambda.getAlias(req.functionName, req.alias).catch(() => undefined);
    if (found && isAlreadyThere(found, req.version)) return found;
    throw error;
  }
}

/**
 * The one-step program through the driver; a failed write throws its own error (exit 5 on a 412),
 * except one whose answer never came (confirmUnanswered).
 */
async function runMoveProgram(
  deps: MoveAliasDeps,
  req: MoveAliasRequest,
  current: AliasInfo,
): Promise<AliasInfo> {
  stopBeforeWrite(deps, req);
  let moved: AliasInfo;
  try {
    moved = await writeOnce(deps, req, current);
  } catch (error) {
    moved = await confirmUnanswered(deps, req, current, error);
  }
  deps.written?.();
  return moved;
}

async function writeOnce(deps: MoveAliasDeps, req: MoveAliasRequest, current: AliasInfo): Promise<AliasInfo> {
  const target = { functionName: req.functionName, alias: req.alias };
  const cursor: TrafficCursor = {
    ...target,
    stableVersion: req.version,
    targetVersion: current.functionVersion,
    revisionId: current.revisionId,
    aliasState: {
      functionVersion: current.functionVersion,
      additionalWeights: { ...current.additionalWeights },
    },
    percent: 100,
  };
  const ended = await runProgram(
    { traffic: trafficDriverOf(deps), clock: deps.clock, cursor, restore: { once: true } },
    planMoveAlias(target, req.version),
  );
  if (ended.kind !== 'done') throw new Error(`the alias program ended ${ended.kind}`);
  return { ...current, ...cursor.aliasState, revisionId: cursor.revisionId };
}

/**
 * The write failed without an answer (a timeout, a connection cut mid-request, a 5xx: AWS may
 * have applied it, write-answer.ts), so "alias unchanged" (exit 1) would be a guess. The alias is
 * read again: at the asked version under a new RevisionId, the write landed and the move is done.
 * Otherwise where it is cannot be told — the write may still land, or have landed and been moved
 * since — and that is exit 4 with the alias as last seen and how to look, as `lshift rollback`
 * says of its own unanswered write (found by a hostile pass: exit 1 "unchanged" while the alias
 * had moved).
 */
async function confirmUnanswered(
  deps: MoveAliasDeps,
  req: MoveAliasRequest,
  current: AliasInfo,
  error: unknown,
): Promise<AliasInfo> {
  if (!isOwnWriteUnanswered(error)) throw error;
  const seen = await deps.lambda.getAlias(req.functionName, req.alias).catch(() => undefined);
  if (seen && seen.revisionId !== current.revisionId && isAlreadyThere(seen, req.version)) return seen;
  const target = `${req.functionName}:${req.alias}`;
  const after = seen
    ? `a read after it found ${describeAliasState(seen)}${seen.revisionId === current.revisionId ? ' (unchanged so far)' : ''}`
    : 'it could not be read after it';
  throw new UnsafeError(
    'ALIAS_WRITE_UNANSWERED',
    `The write moving alias ${target} to version ${req.version} got no answer (${describeError(error)}), so it may have landed, or may still land: the alias was last seen at ${describeAliasState(current)} before it, and ${after}.`,
    {
      context: { functionName: req.functionName, alias: req.alias, version: req.version },
      hint: `See where it is: \`lshift status ${req.functionName} --alias ${req.alias}\`. Running \`lshift alias ${req.functionName} ${req.alias} ${req.version}\` again is safe: its write carries the alias RevisionId, and it says "already points" once the move landed.`,
      cause: error,
    },
  );
}

/**
 * The alias write's own error, not a read's before it (the CodeDeploy group check of
 * refusingBesideCodeDeploy): only the write can have landed.
 */
function isOwnWriteUnanswered(error: unknown): boolean {
  if (!mayHaveLanded(error)) return false;
  const action = isLshiftError(error) ? error.context.action : undefined;
  return action === undefined || action === 'lambda:UpdateAlias';
}

/**
 * The last moment a signal stops the move with nothing written (as `lshift rollback`'s,
 * rollback-interrupt.ts); past it the write is sent and finishes (found by a hostile pass: SIGTERM
 * killed `lshift alias` silently with its write in flight, and the write landed after).
 */
function stopBeforeWrite(deps: MoveAliasDeps, req: MoveAliasRequest): void {
  const signal = req.signal;
  if (signal?.aborted) {
    const why = signal.reason instanceof Error ? signal.reason.message : 'interrupted';
    throw new OperationError(
      'INTERRUPTED',
      `${why} before the alias write: ${req.functionName}:${req.alias} is unchanged.`,
      {
        context: { functionName: req.functionName, alias: req.alias, notApplied: true },
        hint: `Run \`lshift alias ${req.functionName} ${req.alias} ${req.version}\` again when ready.`,
      },
    );
  }
  deps.writing?.();
}
