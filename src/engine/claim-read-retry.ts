/**
 * The reads of a person's `lshift rollback` after its claim (rollback-claim.ts): its claim has
 * stopped the deployment's runner, so a read that fails there must not end it as if nothing had
 * happened. A throttled GetAlias past the SDK's own attempts (adaptive retries: aws/clients.ts)
 * ended the rollback (THROTTLED, "Retry later."), its claim was put back, and the runner it had
 * stopped saw its record handed back and exited 4: the alias left split at 10% with nobody
 * watching it, and the record `shifting` under a runner that had exited (h4, session 70).
 *
 * Now a read failure that may pass by itself (NETWORK_ERROR, THROTTLED, AWS_ERROR, and a record
 * read that failed so: STATE_UNREADABLE) is tried again, as the rollback's own alias write is
 * (step-restore.ts), for at most CLAIM_READ_BUDGET_MS in all, the claim kept fresh meanwhile.
 * Spent, the claim is kept (`rolling-back` under this rollback's owner), not put back: the runner
 * does not carry on, `lshift check` finishes the rollback once the claim is stale, and the error
 * says to run the rollback again now (this person's next run takes its own claim over:
 * check-mates.ts isOwnEarlierRun). Reads only: a read may be repeated; a write is not touched.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, LshiftError, OperationError } from '../domain/errors.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { StateStore } from '../ports/state-store.js';
import type { ClaimEnd, ClaimUnreadError } from './check-claim.js';
import { describeError, logWarn } from './emit.js';
import { rollbackInterrupted } from './rollback-interrupt.js';
import type { RollbackDeps, RollbackRequest } from './rollback-types.js';

/** Failures that may pass by themselves; a denial, bad credentials or a corrupt record will not. */
const PASSING = new Set(['NETWORK_ERROR', 'THROTTLED', 'AWS_ERROR']);

/** How long the reads after a claim go on trying, in all: well inside the claim's stale limit. */
export const CLAIM_READ_BUDGET_MS = 60_000;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15_000;

export function isPassingReadFailure(error: unknown): boolean {
  if (!isLshiftError(error)) return false;
  if (PASSING.has(error.code)) return true;
  return error.code === 'STATE_UNREADABLE' && isPassingReadFailure(error.cause);
}

/**
 * `deps` whose alias and record reads are tried again on a passing failure, within one budget
 * shared by every read of this rollback; `beat` keeps the claim fresh between tries.
 */
export function withRetriedReads<D extends RollbackDeps & { store: StateStore }>(
  deps: D,
  req: Pick<RollbackRequest, 'signal'>,
  /** Keeps the claim of the function whose read is tried again fresh between tries. */
  beat: ((at: RetryTarget) => Promise<void>) | undefined,
  /** Told of each function whose read failed for good on a failure that may pass (the budget spent). */
  onSpent?: (target: { functionName: string; alias: string }) => void,
): D {
  const spentBy = deps.clock.elapsedMs() + CLAIM_READ_BUDGET_MS;
  let delay = FIRST_DELAY_MS;
  const retried = async <T>(what: string, at: RetryTarget, read: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await read();
      } catch (error) {
        const left = spentBy - deps.clock.elapsedMs();
        if (!isPassingReadFailure(error)) throw error;
        if (left <= 0) {
          onSpent?.(at);
          throw error;
        }
        const wait = Math.min(delay, left);
        logWarn(
          deps,
          `could not read ${what} of ${at.functionName} alias ${at.alias} after claiming it: ${describeError(error).replace(/\.+$/, '')}; trying again in ${Math.ceil(wait / 1000)} s (the claim is kept)`,
          'record',
        );
        try {
          await deps.clock.sleep(wait, req.signal);
        } catch {
          throw req.signal ? rollbackInterrupted(req.signal, at) : error;
        }
        delay = Math.min(delay * 2, MAX_DELAY_MS);
        await beat?.(at);
      }
    }
  };
  const lambda: LambdaPort = Object.create(deps.lambda);
  lambda.getAlias = (fn, alias) =>
    retried('the alias', { functionName: fn, alias }, () => deps.lambda.getAlias(fn, alias));
  const store: StateStore = Object.create(deps.store);
  store.read = (fn, alias, ...rest) =>
    retried('the deployment record', { functionName: fn, alias }, () => deps.store.read(fn, alias, ...rest));
  return { ...deps, lambda, store };
}

type RetryTarget = { functionName: string; alias: string };

/**
 * The error of a rollback whose reads after its claim kept failing: its claim is kept, and it
 * says so and what to run. Same code and exit as the read's own failure (nothing was moved).
 */
export function claimKeptError(
  error: LshiftError,
  req: Target | readonly Target[],
  owner: string,
  /** The command that finishes it now (`lshift rollback --release …` for a release's functions). */
  again?: string,
): LshiftError {
  const ts: readonly Target[] = Array.isArray(req) ? req : [req as Target];
  const names = ts.map((t) => `${t.functionName}:${t.alias}`).join(', ');
  const { functionName: fn, alias } = ts[0]!;
  const kept = ts.length === 1 ? `claim on ${names} is kept` : `claims on ${names} are kept`;
  const message = `${error.message.replace(/\.*$/, '.')} Nothing was moved. This rollback's ${kept} (rolling-back, under ${owner}): the deployment it stopped does not carry on, and \`lshift check\` finishes the rollback once the claim is 2 minutes old.`;
  const status = `lshift status ${ts.map((t) => t.functionName).join(' ')} --alias ${alias}`;
  return new LshiftError(error.code, message, {
    exitCode: error.exitCode,
    hint: `Run \`${again ?? `lshift rollback ${fn} --alias ${alias}`}\` again to finish it now (it takes ${ts.length === 1 ? 'this claim' : 'these claims'} over); \`${status}\` shows where the alias is.`,
    context: error.context,
    cause: error,
  });
}

type Target = Pick<RollbackRequest, 'functionName' | 'alias'>;

/**
 * The claim was written but its read-back failed (check-claim.ts ClaimUnreadError): a raw "the
 * claim was written but could not be read back" left `lshift rollback` with the claim standing
 * and the runner stopped by it. Read again on this rollback's read budget: this rollback's own
 * claim is claimed; anything else is lost to whoever wrote it (the caller decides as for a lost
 * claim). Still unreadable: STATE_UNREADABLE, the claim kept, and what to run.
 */
export async function readBackClaim(
  deps: RollbackDeps & { store: StateStore; owner: string },
  req: Pick<RollbackRequest, 'functionName' | 'alias' | 'signal'>,
  current: DeploymentRecord,
  unread: ClaimUnreadError,
  /** The command that finishes it now, when not `lshift rollback <function>` (a release's: release-rollback-reads.ts). */
  again?: string,
): Promise<ClaimEnd> {
  const { functionName: fn, alias } = req;
  let seen: DeploymentRecord | undefined;
  try {
    seen = await withRetriedReads(deps, req, undefined).store.read(fn, alias);
  } catch (error) {
    if (!isPassingReadFailure(error)) throw error;
    const failed = new OperationError(
      'STATE_UNREADABLE',
      `Could not read back this rollback's claim on the deployment record of ${fn} alias ${alias}: ${describeError(unread.readError)}`,
      { context: { functionName: fn, alias }, cause: error },
    );
    throw claimKeptError(failed, req, deps.owner, again);
  }
  if (seen && seen.id === current.id && seen.owner === deps.owner && seen.phase === 'rolling-back')
    return { kind: 'claimed', record: seen, before: current };
  return { kind: 'lost', why: 'its read-back found another record', ...(seen ? { seen } : {}) };
}
