/**
 * `lshift pause | promote | resume | abort` refuse a deployment whose runner died (nobody would
 * read the command: DEPLOYMENT_STALE). Its heartbeat's age alone cannot say so — the timestamp
 * is the runner's clock, and an operator whose laptop runs minutes ahead could not abort a live
 * deployment. So a heartbeat that looks stale is watched (heartbeat-watch.ts) before the refusal:
 * a record that changes has a live runner, and the command is sent to it.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { OperationError } from '../domain/errors.js';
import { judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import type { Clock } from '../ports/clock.js';
import type { StateStore } from '../ports/state-store.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { watchHeartbeat } from './heartbeat-watch.js';
import { isEnded } from './record-view.js';

export interface RunningRead {
  record: DeploymentRecord | undefined;
  /** This sender saw the runner write the record: alive, whatever its heartbeat's timestamp says. */
  seenAlive: boolean;
}

/** Refused as stale by the local clock, unless the record is then seen to change (watchRunner). */
export function looksStale(
  deps: { clock: Clock },
  req: { staleAfterSeconds?: number },
  record: DeploymentRecord,
): boolean {
  if (isEnded(record) || record.phase === 'rolling-back') return false;
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  // A heartbeat from beyond the skew limit is no sign of a runner either (heartbeat-age.ts): watched too.
  return judgeHeartbeatAge(record.heartbeatAt, deps.clock.now(), staleMs) !== 'fresh';
}

/** The record as it is once it changed (its runner is alive), or as read when it did not. */
export async function watchRunner(
  deps: { store: StateStore; clock: Clock },
  req: { functionName: string; alias: string; staleAfterSeconds?: number; signal?: AbortSignal },
  record: DeploymentRecord,
): Promise<RunningRead> {
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  try {
    const end = await watchHeartbeat(
      { ...deps, ...(req.signal ? { signal: req.signal } : {}) },
      req,
      record,
      staleMs,
    );
    if (end.kind === 'alive' && end.record) return { record: end.record, seenAlive: true };
  } catch (error) {
    if (!req.signal?.aborted) throw error;
    throw new OperationError(
      'INTERRUPTED',
      `Interrupted while making sure deployment ${record.id}'s runner is alive; nothing was sent`,
      { context: { functionName: req.functionName, alias: req.alias } },
    );
  }
  return { record, seenAlive: false };
}
