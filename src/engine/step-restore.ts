/**
 * The `restore` step of a rollback program: all traffic back on the stable version, routing
 * cleared, through the same TrafficDriver as a forward shift (so the same RevisionId guard).
 * What differs is persistence: a failed write is retried after re-reading the routing, because
 * giving up leaves users on a bad version.
 */
import { formatDurationCompact } from '../domain/duration.js';
import { isLshiftError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { Observation, RoutingState, TrafficCursor, TrafficDriver } from '../ports/traffic-driver.js';
import { isOnStable, routesTo } from './alias-step.js';
import { besideBeat } from './beating-driver.js';
import { describeAliasState } from './deploy-result.js';
import { describeError, logWarn } from './emit.js';
import type { DeletedTarget, RestoreOptions, RestoreOutcome, RestoreRetry } from './step-restore-types.js';
import { mayHaveLanded } from './write-answer.js';

export type { DeletedTarget, RestoreOptions, RestoreOutcome, RestoreRetry } from './step-restore-types.js';

/** Waits between the first rollback attempts, whatever failed them. */
export const ROLLBACK_RETRY_DELAYS_MS: readonly number[] = [500, 1000, 2000];

/**
 * A rollback whose writes fail for a reason that passes (no answer, a throttle, AWS failing
 * inside, the function busy) goes on being retried until this much clock time has passed since
 * its first write: a network blip or a throttle storm of a minute used to end it after its four
 * attempts (about 4 s against a refused connection), exit 4 with the alias split and nobody
 * watching, while a stalled endpoint already kept it trying for minutes (docs/exit-codes.md#time-bounds).
 * A second signal still exits at once (cli/second-signal.ts).
 */
export const ROLLBACK_PERSIST_MS = 5 * 60_000;
/** The waits between those later attempts: doubling from the last fixed one, at most this. */
export const ROLLBACK_PERSIST_MAX_DELAY_MS = 15_000;

/**
 * Refusals that may pass by themselves; an expired credential or a denial will not. A 412
 * (ALIAS_CHANGED) is here too: the re-read before the next try decides it — all on stable is
 * done, moved off the new version is someone else's (a conflict), still on it is tried again. It
 * ended the rollback unread from its 4th write on: exit 4, "could not be read again", with the
 * alias already put back by hand (found by a hostile pass).
 */
const PASSING = new Set(['NETWORK_ERROR', 'THROTTLED', 'AWS_ERROR', 'FUNCTION_BUSY', 'ALIAS_CHANGED']);

/** A restore that gave up on a failure that may pass: worth its persistence time still. */
export function failedOnPassing(outcome: { kind: string; errorCode?: string }): boolean {
  return outcome.kind === 'unsafe' && outcome.errorCode !== undefined && PASSING.has(outcome.errorCode);
}

export async function restoreTraffic(
  deps: { traffic: TrafficDriver; clock?: Clock },
  cursor: TrafficCursor,
  opts: RestoreOptions = {},
): Promise<RestoreOutcome> {
  if (opts.once) {
    await deps.traffic.setWeight(cursor, 0);
    return { kind: 'restored', attempts: 1, alreadyStable: false };
  }
  const clock = deps.clock;
  if (!clock) throw new Error('a restore with retries needs a clock');
  const delays = opts.retryDelaysMs ?? ROLLBACK_RETRY_DELAYS_MS;
  const startedMs = clock.elapsedMs();
  let lastError: unknown;
  // Whether aliasState is as the alias is now: not after a 412, until a read succeeds again.
  let stateCurrent = true;
  let attempts = 0;
  for (let attempt = 0; ; attempt++) {
    attempts = attempt + 1;
    let ownWriteLanded: number | undefined;
    try {
      await besideBeat(clock, opts.claimBeat, () =>
        deps.traffic.setWeight(cursor, 0, opts.onPoll && { onPoll: opts.onPoll }),
      );
      return { kind: 'restored', attempts: attempt + 1, alreadyStable: false };
    } catch (error) {
      lastError = error;
      if (isAliasChanged(error)) stateCurrent = false;
      const gone = await confirmDeleted(deps.traffic, cursor, error);
      if (gone) return gone;
      // A stranger's CodeDeploy deployment runs on the group: no retry writes beside it.
      if (isGroupBusy(error)) {
        await deps.traffic.observe(cursor);
        return {
          kind: 'conflict',
          message: describeError(error),
          aliasState: cursor.aliasState,
          groupBusy: true,
        };
      }
      if (opts.ownRouting && isAliasChanged(error)) {
        // Read now, before saying "trying again": a stranger's move ends it without another write.
        const seen = await deps.traffic.observe(cursor);
        if (seen === 'read') {
          stateCurrent = true;
          // Its first write refused: the move predates the rollback's write (F2, session 67).
          const first = attempt === 0 && opts.revisionFromShift === true;
          const ended = judgeReread(cursor, attempt + 1, opts.ownRouting, first);
          if (ended) return ended;
          ownWriteLanded = opts.ownLateWrite?.(cursor.aliasState);
        }
      }
      if (opts.stopOnConflict && isAliasChanged(error)) {
        // The RevisionId moved, but maybe to where we were going: our own earlier write whose
        // answer was lost, or a twin `lshift rollback`. Already at the goal is done, not a
        // conflict; anything else is someone else's and is left alone.
        const seen = await deps.traffic.observe(cursor);
        if (seen === 'read') stateCurrent = true;
        if (seen === 'read' && isOnStable(cursor.aliasState, cursor.stableVersion)) {
          return { kind: 'restored', attempts: attempt + 1, alreadyStable: true };
        }
        // Moved between the two versions of the deployment being rolled back: that deployment's
        // own step write, in flight when this rollback claimed it, landed first. It is what is
        // being undone, not someone else's move: retried below. It ended with both the rollback
        // and the deploy exiting 5 and the alias split 25/75 with nobody driving it (found by a
        // hostile pass: a held step write released under `lshift rollback`).
        if (!(opts.ownDeploymentMoves && seen === 'read' && routesOnlyBetween(cursor))) {
          return { kind: 'conflict', message: describeError(error), aliasState: cursor.aliasState };
        }
      }
    }
    const persistLeftMs = (opts.persistMs ?? ROLLBACK_PERSIST_MS) - (clock.elapsedMs() - startedMs);
    const waitMs = nextWait(delays, attempt, lastError, persistLeftMs);
    if (waitMs === undefined) break;
    const landed = ownWriteLanded === undefined ? {} : { ownWriteLanded };
    opts.onRetry?.({
      failed: attempt + 1,
      error: describeError(lastError),
      waitMs,
      persistLeftMs,
      ...landed,
    });
    // No abort signal: a second Ctrl-C must not cut the rollback short.
    await clock.sleep(waitMs);
    // Each attempt may take the SDK's whole retry budget (minutes over all of them): the record's
    // heartbeat goes on meanwhile when the store can still be written, or a check takes this live
    // rollback for abandoned and finishes it beside this one.
    await opts.onPoll?.().catch(() => undefined);
    const seen = await deps.traffic.observe(cursor);
    const gone = goneOf(seen, cursor);
    if (gone) return gone;
    if (seen === 'read') {
      stateCurrent = true;
      const ended = judgeReread(cursor, attempt + 1, opts.ownRouting);
      if (ended) return ended;
    }
  }
  return {
    kind: 'unsafe',
    message: describeError(lastError),
    attempts,
    aliasState: cursor.aliasState,
    ...(isLshiftError(lastError) ? { errorCode: lastError.code } : {}),
    ...(mayHaveLanded(lastError) ? { lastWriteUnanswered: true as const } : {}),
    ...(stateCurrent ? {} : { aliasStateStale: true as const }),
  };
}

/**
 * The wait before the next attempt, or undefined to give up: the fixed waits first, whatever the
 * error; then, while the failure is one that passes and the persistence time lasts, doubling
 * waits up to ROLLBACK_PERSIST_MAX_DELAY_MS (the last one cut to what is left, at least 1 s).
 */
function nextWait(
  delays: readonly number[],
  attempt: number,
  error: unknown,
  persistLeftMs: number,
): number | undefined {
  if (attempt < delays.length) return delays[attempt] ?? 0;
  if (!isLshiftError(error) || !PASSING.has(error.code) || persistLeftMs <= 0) return undefined;
  const last = delays.at(-1) ?? 1000;
  const doubled = last * 2 ** (attempt - delays.length + 1);
  return Math.max(1000, Math.min(doubled, ROLLBACK_PERSIST_MAX_DELAY_MS, persistLeftMs));
}

/**
 * The progress line of a failed rollback write that will be tried again: without it a rollback
 * retried for minutes said nothing between `ROLLBACK` and its end.
 */
export function warnRestoreRetry(deps: { clock: Clock; events: EventSink }): (retry: RestoreRetry) => void {
  return (retry) => logWarn(deps, describeRestoreRetry(retry), 'alias');
}

export function describeRestoreRetry({
  failed,
  error,
  waitMs,
  persistLeftMs,
  ownWriteLanded,
}: RestoreRetry): string {
  const wait =
    waitMs < 1000 ? `${Math.ceil(waitMs / 100) / 10}s` : formatDurationCompact(Math.ceil(waitMs / 1000));
  const until =
    persistLeftMs > 0
      ? `; a failure that may pass is retried for ${formatDurationCompact(Math.ceil(persistLeftMs / 1000))} more`
      : '';
  if (ownWriteLanded !== undefined)
    return `rollback: this deployment's own weight write to ${ownWriteLanded}%, sent before the rollback and never answered, landed late and moved the alias under the rollback's write (try ${failed}); writing the rollback again in ${wait}${until}`;
  // "Try", not "attempt": an error's own words count the SDK's attempts within one try.
  return `rollback: putting the alias back failed (try ${failed}): ${error.replace(/\.$/, '')}; trying again in ${wait}${until}`;
}

/** Every version the alias routes to is the rollback's stable or the version it drains. */
/** The alias as just re-read: back on stable (done), moved by someone else (a conflict), or undefined to go on. */
function judgeReread(
  cursor: TrafficCursor,
  attempts: number,
  ownRouting?: (state: RoutingState) => boolean,
  beforeWrite = false,
): RestoreOutcome | undefined {
  if (isOnStable(cursor.aliasState, cursor.stableVersion))
    return { kind: 'restored', attempts, alreadyStable: true };
  return movedByStranger(cursor, ownRouting, beforeWrite);
}

/**
 * The alias as just re-read was moved by someone else: it no longer routes to the target, or
 * (`ownRouting` given) routes at a weight the deployment never wrote. Undefined otherwise.
 */
function movedByStranger(
  cursor: TrafficCursor,
  ownRouting?: (state: RoutingState) => boolean,
  beforeWrite = false,
): Extract<RestoreOutcome, { kind: 'conflict' }> | undefined {
  const { alias, aliasState, targetVersion } = cursor;
  // The rollback's first write was refused: the change came before it, after lshift's own last
  // write or read of the alias — during a hold, a hook, or while its runner was stopped. "During
  // the rollback" sent an operator to the wrong minutes of CloudTrail (h3's pass F2, session 67).
  const when = beforeWrite ? "before lshift's rollback wrote it" : 'during the rollback';
  const before = beforeWrite ? { beforeWrite: true as const } : {};
  if (!routesTo(aliasState, targetVersion)) {
    return {
      kind: 'conflict',
      message: `alias ${alias} was changed by someone else ${when} and no longer routes to version ${targetVersion}; lshift did not overwrite it`,
      aliasState,
      ...before,
    };
  }
  if (!ownRouting || ownRouting(aliasState)) return undefined;
  return {
    kind: 'conflict',
    message: `alias ${alias} was changed by someone else ${when}: it routes ${describeAliasState(aliasState)}, a routing this deployment never wrote; lshift did not overwrite it`,
    aliasState,
    ...before,
  };
}

function routesOnlyBetween(cursor: TrafficCursor): boolean {
  const { functionVersion, additionalWeights } = cursor.aliasState;
  const routed = [
    functionVersion,
    ...Object.keys(additionalWeights).filter((v) => (additionalWeights[v] ?? 0) > 0),
  ];
  return routed.every((v) => v === cursor.stableVersion || v === cursor.targetVersion);
}

/** Lambda's "not found" answers to the write; a missing version too, until a read says more. */
const NOT_FOUND = new Set(['FUNCTION_NOT_FOUND', 'ALIAS_NOT_FOUND', 'VERSION_NOT_FOUND']);

/**
 * A "not found" from the write is confirmed by a read (GetAlias) before it is believed: only
 * that read answering the function or alias missing ends the rollback as `gone`. A missing
 * version with the alias still there, a throttle or a timeout goes on being retried.
 */
async function confirmDeleted(
  traffic: TrafficDriver,
  cursor: TrafficCursor,
  error: unknown,
): Promise<Extract<RestoreOutcome, { kind: 'gone' }> | undefined> {
  if (!isLshiftError(error) || !NOT_FOUND.has(error.code)) return undefined;
  return goneOf(await traffic.observe(cursor), cursor);
}

function goneOf(
  seen: Observation,
  cursor: TrafficCursor,
): Extract<RestoreOutcome, { kind: 'gone' }> | undefined {
  if (seen !== 'missing' && seen !== 'function-missing') return undefined;
  const what: DeletedTarget = seen === 'missing' ? 'alias' : 'function';
  const subject =
    what === 'function'
      ? `function ${cursor.functionName}`
      : `alias ${cursor.alias} of function ${cursor.functionName}`;
  return { kind: 'gone', what, message: `${subject} was deleted during the rollback` };
}

export function isAliasChanged(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'ALIAS_CHANGED';
}

/** Another CodeDeploy deployment runs on the group (src/engine/codedeploy-group.ts). */
export function isGroupBusy(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'CODEDEPLOY_GROUP_BUSY';
}
