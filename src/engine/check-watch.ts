/**
 * `lshift check` takes a deployment whose heartbeat looks stale for one whose runner died, and
 * may roll it back (or finish a rollback its owner left). The heartbeat is epoch ms from the
 * runner's clock: a check whose clock runs minutes ahead saw every live runner as stale. So
 * before it acts on such a record, the check watches it (heartbeat-watch.ts): changed within the
 * stale limit, someone still writes it and it is left alone; unchanged that long on this
 * machine's clock, nobody does. Records whose runner said it stopped (paused, failed, promoted,
 * a promote it gave up on) are not watched: nobody is expected to write them.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import { clockWords } from '../domain/heartbeat-age.js';
import { mapBounded } from './bounded.js';
import { describeCheckAt } from './check-claim.js';
import { ownerOf } from './check-classify.js';
import type { CheckDeps } from './check-types.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { watchHeartbeat } from './heartbeat-watch.js';
import { checkOwner, isDeadRollbackHere } from './owner-kinds.js';
import { isEnded, isPromoteUnconfirmed } from './record-view.js';

/**
 * Records watched at once, each read every CHECK_WATCH_POLL_MS: about one ListTags a second at
 * most, well under Lambda's control-plane rate, however many runners died.
 */
const CHECK_WATCH_CONCURRENCY = 32;
const CHECK_WATCH_POLL_MS = 30_000;

/** What the watch found: gone (act on it), or why it is left alone. */
export type HolderWatch =
  | { kind: 'gone' }
  | { kind: 'alive' | 'unreadable'; why: string }
  | { kind: 'interrupted' };

/** True when a live process may still be writing this record (its runner never said it stopped). */
export function mayHaveLiveHolder(record: DeploymentRecord): boolean {
  return !isEnded(record) && !isPromoteUnconfirmed(record);
}

/** Watches, at once, every listed record a live process may still write; the rest are `gone`. */
export async function watchHolders(
  deps: CheckDeps,
  listed: readonly { functionName: string; alias: string; record: DeploymentRecord }[],
  req: { staleAfterSeconds?: number; signal?: AbortSignal },
): Promise<HolderWatch[]> {
  const staleSeconds = req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS;
  // A claim whose check is known dead here (its pid no longer runs) has nobody to watch for.
  const watched = (record: DeploymentRecord) =>
    mayHaveLiveHolder(record) && !isDeadRollbackHere(record.owner, deps.owner, deps.processes);
  const watches = await mapBounded(CHECK_WATCH_CONCURRENCY, listed, (l) =>
    watched(l.record) ? watchOne(deps, l, staleSeconds, req.signal) : Promise.resolve(gone),
  );
  return watches.map((w) => w ?? gone);
}

const gone: HolderWatch = { kind: 'gone' };

async function watchOne(
  deps: CheckDeps,
  l: { functionName: string; alias: string; record: DeploymentRecord },
  staleSeconds: number,
  signal: AbortSignal | undefined,
): Promise<HolderWatch> {
  let end: Awaited<ReturnType<typeof watchHeartbeat>>;
  try {
    end = await watchHeartbeat(
      { ...deps, ...(signal ? { signal } : {}) },
      l,
      l.record,
      staleSeconds * 1000,
      CHECK_WATCH_POLL_MS,
    );
  } catch (error) {
    if (signal?.aborted) return { kind: 'interrupted' };
    throw error;
  }
  if (end.kind === 'dead') return gone;
  if (end.kind === 'unreadable')
    return {
      kind: 'unreadable',
      why: `could not re-read the deployment record while making sure its runner stopped (${end.error}); not acted on`,
    };
  // Another check claimed it or rolled it back meanwhile: said as the claim's loser says it.
  const rival =
    end.record && describeCheckAt(end.record, deps.owner ?? checkOwner('unknown'), deps.clock.now());
  if (rival) return { kind: 'alive', why: rival };
  const now = end.record ? `now ${end.record.phase} by ${ownerOf(end.record)}` : 'now gone';
  return {
    kind: 'alive',
    why: `its heartbeat looked ${formatDuration(staleSeconds)} old or more by ${clockWords(deps.clock.followsSandbox)}, but its record changed while this check watched it (${now}): someone still drives it, so it was left alone`,
  };
}

/**
 * The candidates to act on: those nobody writes any more. Each one left alone goes to `leave`
 * with why (alive: skipped; unreadable: an error; interrupted: not checked).
 */
export async function watchCandidates<
  C extends { functionName: string; alias: string; record: DeploymentRecord },
>(
  deps: CheckDeps,
  candidates: C[],
  req: { staleAfterSeconds?: number; signal?: AbortSignal },
  leave: (c: C, w: Exclude<HolderWatch, { kind: 'gone' }>) => void,
): Promise<C[]> {
  const watches = await watchHolders(deps, candidates, req);
  return candidates.filter((c, i) => {
    const w = watches[i] ?? gone;
    if (w.kind === 'gone') return true;
    leave(c, w);
    return false;
  });
}
