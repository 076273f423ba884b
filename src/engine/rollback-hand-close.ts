/**
 * `lshift rollback` (a person's, a check's, a release's of each function) whose write met its
 * alias moved by someone else (a 412, the alias re-read at a routing it leaves alone: a conflict,
 * exit 5) closes the unfinished record it was rolling back as moved by hand, as a deploy's own
 * rollback does (rollback-moved-close.ts, record-view.ts closedByHand). Left as it was, the
 * person's claim was put back (rollback-claim.ts releaseClaim) and the record said `shifting`
 * under a dead runner's heartbeat: `lshift check` said STALLED and offered a `deploy --resume`
 * that would write its next step over the person's move, and `status` likewise (found in
 * session 61, F4).
 *
 * The alias is read again for the close: the routing the 412's re-read saw may be stale (that
 * read can fail), and the close says where the alias is now. The record is read first: one that
 * is no longer the record this rollback read (claimed meanwhile by a check or another person, or
 * a new deployment) is left to its taker. A close that does not land (the store refused it, or
 * the record or the alias could not be read) leaves the record open, and a check would finish it
 * over the move: the caller says so, exit 4, not a plain conflict.
 *
 * A split of the deployment's two versions closes `rolled-back (weights changed by hand)`, never
 * `paused`: a person asked lshift to roll it back, and a `paused` record was offered `deploy
 * --resume` by `status` and `check` — forward, over that request (session 67; a deploy's own
 * rollback closes so since session 66: rollback-moved-close.ts). Its `y=` keeps why lshift was
 * rolling it back, or says the rollback was asked (ROLLBACK_REQUESTED) when the record named none
 * — whatever the move, as a deploy's own rollback does: kept only over a split until session 69, a
 * whole move (to version 3, or onto the new version) closed with no `y=` and `status` said "lshift
 * ran no rollback" of a deployment a check had rolled back for its alarm.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { RecordSummary } from '../domain/outcome.js';
import type { AliasState } from './alias-step.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { emitEvent } from './emit.js';
import { writeRecordEnd } from './record-end-write.js';
import { closedByHand, isFinished } from './record-view.js';
import { summarizeRecord } from './rollback-record.js';
import type { RollbackDeps, RollbackRequest } from './rollback-types.js';

export type HandClose =
  /** Closed as moved by hand: what it now says, and where the alias routes. */
  | { kind: 'closed'; closed: RecordSummary; aliasState: AliasState }
  /** Someone else holds the record now (a claim, a new deployment): theirs. */
  | { kind: 'taken'; owner: string }
  /** Gone meanwhile (its tag removed by hand): nothing left to close. */
  | { kind: 'gone' }
  /** Could not be closed: it still says what it said. */
  | { kind: 'open'; aliasState?: AliasState };

/**
 * Whether the rollback had an open record to close: a native deployment's, claimed by the caller
 * (`rolling-back`: this person's claim, a check's) or nobody's (its heartbeat stale). A runner
 * still beating its record (the claim lost to its writes: rollback-claim.ts) meets the move at its
 * next alias write and closes its record itself.
 */
export function hasRecordToClose(deps: RollbackDeps, record: DeploymentRecord | undefined): boolean {
  // A CodeDeploy deployment's record follows CodeDeploy (`lshift wait`, `check`), not a move.
  if (!deps.store || !record || isFinished(record) || record.engine === 'codedeploy') return false;
  const stale = deps.clock.now() - record.heartbeatAt > DEFAULT_STALE_AFTER_SECONDS * 1000;
  return record.phase === 'rolling-back' || stale;
}

export async function closeRecordMovedByHand(
  deps: RollbackDeps,
  req: RollbackRequest,
  record: DeploymentRecord,
): Promise<HandClose> {
  const store = deps.store;
  if (!store) return { kind: 'open' };
  const alias = await deps.lambda.getAlias(req.functionName, req.alias).catch(() => undefined);
  const aliasState = alias && {
    functionVersion: alias.functionVersion,
    additionalWeights: { ...alias.additionalWeights },
  };
  if (!aliasState) return { kind: 'open' };
  let fresh: DeploymentRecord | undefined;
  try {
    fresh = await store.read(req.functionName, req.alias);
  } catch {
    return { kind: 'open', aliasState };
  }
  if (!fresh) return { kind: 'gone' };
  if (!isSameHolding(fresh, record)) return { kind: 'taken', owner: fresh.owner };
  const now = deps.clock.now();
  const closed = closedByHand(fresh, aliasState, { resumable: false });
  const ended: DeploymentRecord = {
    ...fresh,
    ...closed,
    ...askedCause(fresh, req),
    heartbeatAt: Math.max(now, fresh.startedAt),
    endedAt: Math.max(now, fresh.startedAt),
  };
  try {
    await writeRecordEnd(store, req.functionName, req.alias, ended);
  } catch {
    return { kind: 'open', aliasState };
  }
  emitEvent(deps, { type: 'record.written', phase: ended.phase });
  return { kind: 'closed', closed: summarizeRecord(ended), aliasState };
}

/** Why it was being rolled back: the caller's, the record's own, else that a rollback was asked. */
function askedCause(fresh: DeploymentRecord, req: RollbackRequest): Pick<DeploymentRecord, 'cause'> {
  return { cause: req.cause ?? fresh.cause ?? { code: 'ROLLBACK_REQUESTED' } };
}

/** The record as this rollback read it (its claim's heartbeat may have moved on since). */
function isSameHolding(fresh: DeploymentRecord, read: DeploymentRecord): boolean {
  return fresh.id === read.id && fresh.owner === read.owner && fresh.phase === read.phase;
}
