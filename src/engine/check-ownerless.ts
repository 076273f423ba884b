/**
 * `lshift check`'s words for a deployment nobody drives any more: who owned it, why it is taken
 * as ownerless, and how to finish or undo it (check-decide.ts, check-close-on-stable.ts).
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { Candidate } from './check-candidates.js';
import { describeAge, describeProgress } from './check-classify.js';
import { describeCodeDeployFix } from './check-codedeploy.js';
import type { CheckDeps } from './check-types.js';
import { describeWaysOut } from './deploy-result.js';
import { deadRollbackPid, describeLiveUnwritten, livePidHere } from './owner-kinds.js';
import { describeDrift } from './record-view.js';

/**
 * `has no live owner (heartbeat 5m ago; its process 41 no longer runs on this machine)` — or, its
 * owner's pid still running on this machine (livePidHere), that it runs but writes no record: it
 * said "no live owner" of a runner alive here whose TagResource failed (found by a hostile pass).
 */
export function describeNoLiveOwner(deps: CheckDeps, record: DeploymentRecord, now: number): string {
  const age = describeAge(now, record.heartbeatAt);
  const live = livePidHere(record.owner, deps.owner, deps.processes);
  if (live !== undefined)
    return `has an owner that writes no record (heartbeat ${age} ago; ${describeLiveUnwritten(live, age, record.engine, record.owner, record.phase)})`;
  return `has no live owner (heartbeat ${age} ago${describeDeadRunner(deps, record, '; ')})`;
}

/** `no live owner: its process 41 no longer runs on this machine`, or its live pid's (describeNoLiveOwner). */
export function describeNoLiveOwnerShort(deps: CheckDeps, record: DeploymentRecord, now: number): string {
  const live = livePidHere(record.owner, deps.owner, deps.processes);
  if (live !== undefined)
    return `its record unwritten for ${describeAge(now, record.heartbeatAt)} though its process ${live} still runs on this machine`;
  return `no live owner${describeDeadRunner(deps, record, ': ')}`;
}

/** `: its process 41 no longer runs on this machine`, when this machine's processes said so. */
function describeDeadRunner(deps: CheckDeps, record: DeploymentRecord, lead: string): string {
  const dead = deadRollbackPid(record, deps);
  return dead ? `${lead}its process ${dead} no longer runs on this machine` : '';
}

/**
 * "deployment d-… (shifting at 10%) has no live owner (heartbeat 5m ago): finish it with …, or
 * undo it with `lshift rollback …`". A release's function is finished or undone with its release:
 * check-release.ts says how, once.
 */
export function describeOwnerless(
  c: Candidate,
  now: number,
  deps: CheckDeps,
  alias?: AliasInfo | null,
): string {
  const { record } = c;
  // The record's weight is what its runner last wrote: a kill right after a weight write leaves
  // the alias a step ahead, and "(started at 0%)" read as "no traffic moved" (a hostile pass).
  const drift = alias ? describeDrift(alias, record) : '';
  const ownerless = `deployment ${record.id} (${describeProgress(record)}${drift}) ${describeNoLiveOwner(deps, record, now)}`;
  if (record.releaseId && record.engine !== 'codedeploy') return ownerless;
  const fix =
    record.engine === 'codedeploy'
      ? describeCodeDeployFix(c.functionName, c.alias, record)
      : describeWaysOut(c.functionName, c.alias, record, c.releaseFunctions);
  return `${ownerless}: ${fix}`;
}
