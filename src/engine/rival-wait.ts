/**
 * Waiting for another actor (a check's claim, a person's rollback) that is rolling a function
 * back: a person's `lshift rollback` (rollback-claim.ts, release-rollback-claim.ts) and `deploy
 * --supersede` (supersede-rollback.ts) wait here rather than roll the same deployment back beside it.
 */
import type { DeploymentPhase, DeploymentRecord } from '../domain/deployment-record.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import type { StateStore } from '../ports/state-store.js';
import { isRollbackAbandoned } from './check-classify.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { sleepUnlessInterrupted } from './rollback-interrupt.js';
import type { RollbackDeps } from './rollback-types.js';

/** How long a person's rollback (or `deploy --supersede`) waits for another actor to finish a function it holds. */
export const RIVAL_WAIT_MS = 60_000;
const RIVAL_POLL_MS = 2_000;

/** A function of the release another actor was rolling back when this rollback came to it. */
export interface RolledBackByOther extends ReleaseTarget {
  /** Who rolled it back (the record's owner: `check:…`, or a person's `rollback:…`). */
  owner: string;
  /** It ended rolled back; else `phase` says where its record stopped. */
  done: boolean;
  phase?: DeploymentPhase;
}

/**
 * How waiting for another actor ended: `letGo` when it stopped holding the function without
 * rolling it back — its rollback failed and it put the record back as it was, the record went
 * (or changed to something else), or its claim went stale (it died). Nothing stops the waiter
 * from rolling it back itself then; `other.done` false with `letGo` false: still held at the end.
 */
export interface WaitEnd {
  other: RolledBackByOther;
  letGo: boolean;
}

/**
 * Polls the record until the other actor closed it, let go of it, or `giveUpAt` (a
 * `clock.elapsedMs()` reading: a stepped wall clock must not end the wait) passed. A
 * `signal` (Ctrl-C) ends the wait with INTERRUPTED: this rollback holds nothing meanwhile.
 */
export async function waitForOther(
  deps: RollbackDeps & { store: StateStore },
  t: ReleaseTarget,
  giveUpAt = deps.clock.elapsedMs() + RIVAL_WAIT_MS,
  signal?: AbortSignal,
): Promise<WaitEnd> {
  const staleMs = DEFAULT_STALE_AFTER_SECONDS * 1000;
  let record: DeploymentRecord | undefined;
  for (;;) {
    record = await deps.store.read(t.functionName, t.alias).catch(() => record);
    const target = { functionName: t.functionName, alias: t.alias, owner: record?.owner ?? 'unknown' };
    if (record?.phase === 'rolled-back') return { other: { ...target, done: true }, letGo: false };
    const other = { ...target, done: false, ...(record ? { phase: record.phase } : {}) };
    if (record?.phase !== 'rolling-back' || isRollbackAbandoned(record, deps.clock.now(), staleMs))
      return { other, letGo: true };
    if (deps.clock.elapsedMs() >= giveUpAt) return { other, letGo: false };
    await sleepUnlessInterrupted(deps.clock, RIVAL_POLL_MS, signal, t);
  }
}
