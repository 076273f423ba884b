/**
 * The reads of a person's `lshift rollback --release` after its claims, tried again as the single
 * rollback's are (claim-read-retry.ts): its claims have stopped the release's runner, so a read of
 * a claimed function that failed there (a throttled GetAlias or ListTags past the SDK's own
 * attempts) ended that function's row THROTTLED, its claim was put back, and the runner it had
 * stopped was handed a split with nobody driving it — the single rollback's bug, fixed there
 * (ac73e9cb), still open here (h4, session 70). Now a claimed function's reads that fail on a
 * failure that may pass are tried again, within one budget for the whole run, its claim kept
 * fresh meanwhile; spent, its claim is kept (not put back) and its row says so and what to run.
 * Functions this run did not claim are read as before.
 */
import { isLshiftError } from '../domain/errors.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { StateStore } from '../ports/state-store.js';
import { keepClaimFresh } from './check-claim.js';
import type { ClaimedMate, ReadBackMate } from './check-mates.js';
import { claimKeptError, isPassingReadFailure, readBackClaim, withRetriedReads } from './claim-read-retry.js';
import type { RollbackDeps } from './rollback-types.js';

type PersonDeps = RollbackDeps & { store: StateStore; owner: string };

export interface ClaimedReads<D> {
  /** `deps` whose reads of a claimed function are tried again. */
  deps: D;
  /** The claims, each with the one heartbeat its rollback and its retries share. */
  claimed: (ClaimedMate & { beat: () => Promise<void> })[];
  /** A function's failure as its row says it: a claim kept over reads that kept failing says so. */
  explainFailure: (t: ReleaseTarget, error: unknown) => unknown;
  /** The run's own failure (no record of the release could be read), said the same way. */
  explainThrown: (error: unknown) => unknown;
  /** The claims kept: not to be put back. */
  kept: ReleaseTarget[];
}

export function retryClaimedReads<D extends PersonDeps>(
  deps: D,
  req: { releaseId: string; signal?: AbortSignal },
  claimed: readonly ClaimedMate[],
): ClaimedReads<D> {
  // One heartbeat per claim: two would each see the other's beat as someone else's and stop.
  const beats = claimed.map((m) => ({ ...m, beat: keepClaimFresh(deps, m, m.claimed) }));
  const find = (fn: string, alias: string) => beats.find((b) => b.functionName === fn && b.alias === alias);
  const spent: ReleaseTarget[] = [];
  const kept: ReleaseTarget[] = [];
  const retried = withRetriedReads(
    deps,
    req,
    async (at) => {
      await find(at.functionName, at.alias)?.beat();
    },
    (at) => {
      if (!spent.some((s) => s.functionName === at.functionName && s.alias === at.alias)) spent.push(at);
    },
  );
  const lambda: LambdaPort = Object.create(deps.lambda);
  lambda.getAlias = (fn, alias) => (find(fn, alias) ? retried.lambda : deps.lambda).getAlias(fn, alias);
  const store: StateStore = Object.create(deps.store);
  store.read = (fn, alias, ...rest) =>
    (find(fn, alias) ? retried.store : deps.store).read(fn, alias, ...rest);
  const again = (ts: readonly ReleaseTarget[]) => againCommand(req.releaseId, ts);
  const keep = (error: unknown, ts: readonly ReleaseTarget[]) => {
    if (ts.length === 0 || !isLshiftError(error) || !isPassingReadFailure(error)) return error;
    kept.push(...ts);
    return claimKeptError(error, ts, deps.owner, again(ts));
  };
  const isSpent = (t: ReleaseTarget) =>
    spent.some((s) => s.functionName === t.functionName && s.alias === t.alias);
  return {
    deps: { ...deps, lambda, store },
    claimed: beats,
    explainFailure: (t, error) => keep(error, isSpent(t) ? [t] : []),
    explainThrown: (error) => keep(error, spent),
    kept,
  };
}

/** The command that finishes these functions' rollback now: this rollback again, naming them. */
function againCommand(releaseId: string, ts: readonly ReleaseTarget[]): string {
  return `lshift rollback --release ${releaseId} ${ts.map((t) => t.functionName).join(' ')} --alias ${ts[0]!.alias}`;
}

/**
 * A claim whose read-back failed (check-claim.ts ClaimUnreadError) is read again on the same
 * terms as a single rollback's (claim-read-retry.ts readBackClaim): that function's row said
 * "could not read the claim back, so it did not roll back", the claim standing over the runner it
 * stopped (session 71). Still unreadable: STATE_UNREADABLE, the claim kept, and what to run.
 */
export function readBackReleaseClaim(
  deps: PersonDeps,
  req: { releaseId: string; signal?: AbortSignal },
): ReadBackMate {
  return (t, current, unread) =>
    readBackClaim(deps, { ...t, signal: req.signal }, current, unread, againCommand(req.releaseId, [t]));
}
