/**
 * Small pure readings of alias routing and deployment records shared by preflight, status and
 * rollback.
 */
import type { DeploymentPhase, DeploymentRecord } from '../domain/deployment-record.js';

/** Phases after which nobody is driving the deployment any more. */
export const ENDED_PHASES: readonly DeploymentPhase[] = ['promoted', 'rolled-back', 'failed', 'paused'];

/** True when some traffic goes to an additional version (a weight of exactly 0 routes nothing). */
export function isSplit(additionalWeights: Record<string, number>): boolean {
  return Object.values(additionalWeights).some((w) => w > 0);
}

export function isEnded(record: DeploymentRecord): boolean {
  return ENDED_PHASES.includes(record.phase);
}

/** A deployment still driven by a live process: not ended and a heartbeat younger than `staleMs`. */
export function isLiveRecord(record: DeploymentRecord, now: number, staleMs: number): boolean {
  return !isEnded(record) && now - record.heartbeatAt < staleMs;
}

/** Keeps the record tag small: the codec drops older entries anyway when space runs out. */
export const MAX_HISTORY = 5;
