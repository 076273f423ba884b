/**
 * A release's function that ended as a conflict — taken over (`TAKEN_OVER`) or its alias moved
 * under a weight write (`ALIAS_CHANGED`) before the release's verdict — is left to whoever took
 * it: followed while a rollback of it is still under way (followClaims), then its record, read
 * once more, says who holds it and in which phase (`heldBy`), so the release's words can name
 * them instead of "someone else" — and so do the other functions' (withStoppedFor). Best
 * effort: an unreadable record, or one still ours (the alias moved by hand, no record written),
 * adds nothing.
 */
import type { DeployResult, StoppedFor } from '../domain/events.js';
import type { OutcomeCause } from '../domain/outcome.js';
import { mapBounded } from './bounded.js';
import { readStoredRecord } from './rollback-finished-by.js';
import { followRollbackOf } from './settle-result.js';
import type { ShiftContext } from './shift-context.js';

const TAKEN = new Set(['TAKEN_OVER', 'ALIAS_CHANGED', 'ALIAS_CHANGED_ON_RETRY']);

export async function withTakers(
  members: readonly { ctx: ShiftContext }[],
  results: DeployResult[],
  concurrency: number,
): Promise<DeployResult[]> {
  const read = await mapBounded(concurrency, results, async (result, i) => {
    if (result.status !== 'conflict' || !TAKEN.has(result.cause?.code ?? '')) return result;
    const ctx = members[i]!.ctx;
    const stored = await readStoredRecord(ctx.deps.store, ctx.req);
    const ours = ctx.recorder.current();
    if (!stored || (stored.id === ours.id && stored.owner === ours.owner)) return result;
    const heldBy = {
      owner: stored.owner || 'an unknown owner',
      phase: stored.phase,
      deploymentId: stored.id,
    };
    return { ...result, heldBy };
  });
  // No stop is given, so every item ran: each has its result.
  return read.map((r, i) => r ?? results[i]!);
}

/**
 * A function taken over by a rollback of its own deployment whose alias write has not landed yet
 * (`lshift rollback fb` claims the record, then writes the alias) is followed as a single deploy
 * follows it (taker-follow.ts, followRollbackOf: its record and alias every 5 s, at most 3
 * minutes, reads only): rolled back by the claimer once its alias is all on the stable version,
 * and the release with it (exit 3), not a conflict a pipeline would retry. Followed only now,
 * once every other function is back and its record closed, so none of them waits on it; all
 * such functions are followed at once. `after`: what the release was rolling it back for.
 */
export async function followClaims(
  members: readonly { ctx: ShiftContext; extra?: Partial<DeployResult> }[],
  results: DeployResult[],
  after: readonly (OutcomeCause | undefined)[],
): Promise<DeployResult[]> {
  return Promise.all(
    results.map(async (result, i) => {
      if (result.status !== 'conflict' || result.cause?.code !== 'TAKEN_OVER') return result;
      const followed = await followRollbackOf(members[i]!.ctx, after[i]);
      return followed ? { ...followed, ...members[i]!.extra } : result;
    }),
  );
}

const STOPPED_CODES = new Set(['TAKEN_OVER', 'ALIAS_CHANGED']);

/**
 * Every other function rolled back "for" the one taken over (`taken`, the release's decider) with
 * the words known when the release stopped (release-verdict.ts, outcomeFor). Once that function
 * has settled — followed, its record read for who holds it — each of them says what became of it
 * (`stoppedFor`; the words are describe-outcome.ts's): rolled back by whom, or held by whom.
 */
export function withStoppedFor(
  results: DeployResult[],
  taken: { functionName: string; alias: string } | undefined,
): DeployResult[] {
  const decider =
    taken && results.find((r) => r.functionName === taken.functionName && r.alias === taken.alias);
  if (!decider || (decider.status !== 'conflict' && decider.cause?.code !== 'ROLLED_BACK_BY_OTHER'))
    return results;
  const stoppedFor: StoppedFor = {
    functionName: decider.functionName,
    alias: decider.alias,
    ...(decider.cause?.code === 'ROLLED_BACK_BY_OTHER' && decider.finishedBy
      ? { rolledBackBy: decider.finishedBy.owner }
      : {}),
    ...(decider.heldBy ? { heldBy: decider.heldBy } : {}),
    ...(decider.cause?.code === 'ALIAS_CHANGED' ? { aliasChanged: true as const } : {}),
  };
  return results.map((r) => (r !== decider && stoppedForIt(r) ? { ...r, stoppedFor } : r));
}

/** Rolled back (or not) for the release's takeover: its cause, or what its rollback was for, says so. */
function stoppedForIt(r: DeployResult): boolean {
  const cause = r.cause;
  if (r.status === 'conflict' || !cause) return false;
  if (STOPPED_CODES.has(cause.code)) return true;
  const after = 'after' in cause.data ? cause.data.after : undefined;
  return after !== undefined && STOPPED_CODES.has(after.code);
}
