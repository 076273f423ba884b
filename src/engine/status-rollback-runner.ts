/**
 * `lshift status` of a CodeDeploy deployment lshift decided to roll back while the run that decided
 * it still lives: its Ctrl-C or alarm rollback has its StopDeployment in flight, and CodeDeploy
 * answers InProgress until it lands. That is an ordinary rollback under way, not one CodeDeploy
 * runs against (status-codedeploy.ts againstRollback): it said "AGAINST LSHIFT'S ROLLBACK", exit 4,
 * of every CodeDeploy rollback for as long as StopDeployment took, failing a CI status gate (found
 * by a hostile pass, F4 of session 60). Who is alive goes by the one rule check and wait go by
 * (follow-live-owner.ts liveFollowerOf, check-classify.ts isAbandoned).
 */
import type { DeploymentInfo } from '../ports/codedeploy.js';
import { isTerminal } from './codedeploy-status.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { type LivenessView, liveFollowerOf } from './follow-live-owner.js';
import { deadPidHere } from './owner-kinds.js';
import type { StatusDeps, StatusRecord, StatusRequest } from './status-types.js';

/**
 * Clears `againstRollback` of a `rolling-back` record whose runner is alive and says who rolls it
 * back instead (`rollingBackByRunner`). A `failed` record's runner gave up: still against.
 */
export function spareLiveRollback(record: StatusRecord, view: LivenessView): void {
  if (record.againstRollback === undefined || record.phase !== 'rolling-back') return;
  const runner = liveFollowerOf(record, view);
  if (runner === undefined) return;
  record.rollingBackByRunner = { codeDeployStatus: record.againstRollback, runner };
  delete record.againstRollback;
}

/** Status's own view of who is alive: its clock, owner and processes, its stale limit. */
export function livenessOf(deps: StatusDeps, req: StatusRequest): LivenessView {
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  return { now: deps.clock.now(), owner: deps.checkOwner, processes: deps.processes, staleMs };
}

/**
 * Clears `againstKeptMove` while CodeDeploy has not ended and the run that asked for the stop without rollback lives: its stop
 * is under way (followed up to a minute), not one nobody watches; says who stops it instead
 * (`keepingMoveByRunner`), not "rolled back by hand" (the alias is where the person put it). A run whose pid no longer runs
 * here is gone however fresh its heartbeat (it exits as it gives up on the stop, or on a second
 * signal: status said exit 0 right after).
 */
export function spareLiveKeptMove(record: StatusRecord, view: LivenessView): void {
  if (record.againstKeptMove === undefined) return;
  // CodeDeploy Succeeded over the move: no stop of its runner changes that (h2's pass, session 65:
  // "its runner is stopping it … so that the move stays", exit 0, of an alias all on the new version).
  if (isTerminal(record.againstKeptMove as DeploymentInfo['status'])) return;
  if (deadPidHere(record.owner, view.owner, view.processes) !== undefined) return;
  const runner = liveFollowerOf(record, view);
  if (runner === undefined) return;
  record.keepingMoveByRunner = { codeDeployStatus: record.againstKeptMove, runner };
  delete record.againstKeptMove;
}
