/**
 * The record read once more just before a fresh deploy's first write (its `started` claim). A
 * Lambda tag has no conditional write, so two deploys of one alias started together both passed
 * preflight (no record yet) and the second's claim went over the first's record — even over its
 * `shifting` step — and, losing the race for the alias, wrote `paused (weights changed by hand)`
 * there: `lshift status` showed the loser's record until the winner's next heartbeat put its own
 * back (found by a hostile pass, deploying one version twice). Read again here, a deployment that
 * started since preflight refuses this one before it writes anything (exit 5), as preflight would
 * have. The window left is one round trip, not the preflight's seconds; the alias's RevisionId
 * still decides who moves traffic.
 */
import { ConflictError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { StateStore } from '../ports/state-store.js';
import { ownerOf } from './check-classify.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { isLiveRecord } from './record-view.js';

export async function refuseHolderSincePreflight(
  deps: { store?: StateStore; clock: Clock },
  target: { functionName: string; alias: string; staleAfterSeconds?: number },
): Promise<void> {
  const { functionName: fn, alias } = target;
  const record = await deps.store?.read(fn, alias).catch(() => undefined);
  const staleMs = (target.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  if (!record || !isLiveRecord(record, deps.clock.now(), staleMs)) return;
  throw new ConflictError(
    'DEPLOYMENT_IN_PROGRESS',
    `Deployment ${record.id} by ${ownerOf(record)} started on ${fn} alias ${alias} while this deployment ran its preflight (${record.phase}, version ${record.stableVersion} → ${record.targetVersion}); this deployment wrote nothing.`,
    {
      hint: `Wait for it, see it with \`lshift status ${fn} --alias ${alias}\`, or stop it with \`lshift rollback ${fn} --alias ${alias}\`.`,
      context: { functionName: fn, alias },
    },
  );
}
