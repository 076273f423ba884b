/**
 * `lshift wait` beside a live follower: the record on the alias names the deployment, and the run
 * that wrote it (a deploy in its settle wait, a resume) still lives. The record is that run's to
 * close — its settle verdict, its rollback — so the wait reports CodeDeploy's end and leaves it
 * open. It closed it promoted under a follower still settling, then said that follower had stopped
 * before its verdict (found by a hostile pass, session 60).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import { describeAge, isAbandoned } from './check-classify.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { deadPidHere, livePidHere } from './owner-kinds.js';
import { isEnded, isPromoteUnconfirmed } from './record-view.js';

/** Who asks: the wait's own owner and this machine's processes, as a check or status is given them. */
export interface LivenessView {
  now: number;
  owner?: string;
  processes?: LocalProcesses;
  staleMs?: number;
}

/**
 * The live follower of an unfinished record, by the rule `lshift status` and `lshift check` go by
 * (check-classify.ts): not abandoned (a fresh heartbeat; a rollback's claimer alive), or its
 * runner's pid still running on this machine. Undefined: nobody drives it, the wait may close it.
 */
export function liveFollowerOf(record: DeploymentRecord, view: LivenessView): string | undefined {
  // Ended, or given up by its runner (a promote it could not confirm: it exited).
  if (isEnded(record) || isPromoteUnconfirmed(record)) return undefined;
  const staleMs = view.staleMs ?? DEFAULT_STALE_AFTER_SECONDS * 1000;
  const here = { owner: view.owner, processes: view.processes };
  const age = `heartbeat ${describeAge(view.now, record.heartbeatAt)} ago`;
  if (!isAbandoned(record, view.now, staleMs, here))
    return `${record.owner}, ${age}${deadYet(record, view, staleMs)}`;
  const pid = livePidHere(record.owner, view.owner, view.processes);
  return pid === undefined ? undefined : `${record.owner}, ${age}, its process ${pid} still runs here`;
}

/**
 * Its heartbeat is fresh but its pid no longer runs here: killed, most likely — yet a pid is not
 * trusted over a fresh heartbeat (another container with this hostname: check-classify.ts,
 * deadPidHere), so it is taken for alive until its heartbeat is stale, and said so.
 */
function deadYet(record: DeploymentRecord, view: LivenessView, staleMs: number): string {
  const pid = deadPidHere(record.owner, view.owner, view.processes);
  if (pid === undefined) return '';
  return `; its process ${pid} no longer runs here: if it died, a wait once its heartbeat is ${formatDuration(staleMs / 1000)} old closes the record`;
}

/**
 * The deployment ended Stopped by a StopDeployment, and the record's run — alive, rolling it back
 * — is the one that decided the rollback: the stop was that run's. Said as "from outside this run
 * (the console, `aws deploy stop-deployment` or another operator)" it named everyone but the
 * lshift run the wait had just said it followed (found by a hostile pass, session 60).
 */
export function describeStopOfFollowedRun(owner: string, explained: string): string {
  return `stopped by the lshift run this wait followed (${owner}), which had decided to roll it back: ${explained}`;
}
