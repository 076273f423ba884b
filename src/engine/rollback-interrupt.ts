/**
 * Ctrl-C (SIGTERM, SIGHUP, SIGQUIT) during a person's `lshift rollback`: before its alias write it
 * stops — its claim on the record put back as it was (rollback-claim.ts, release-rollback-claim.ts),
 * so another person or a check claims the function at once instead of waiting for the claim to
 * go stale. Once the write has started it finishes: the rollback is one write, and the signal is
 * not given to it (as a deploy's rollback after an interrupt, settle.ts).
 */
import { OperationError } from '../domain/errors.js';

interface Target {
  functionName: string;
  alias: string;
}

/** The INTERRUPTED error (exit 1) of a rollback stopped before it wrote `t`'s alias. */
export function rollbackInterrupted(signal: AbortSignal, t: Target): OperationError {
  const why = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'interrupted');
  return new OperationError(
    'INTERRUPTED',
    `${why} before the rollback wrote the alias: ${t.functionName}:${t.alias} is unchanged and its record is as it was.`,
    {
      context: { functionName: t.functionName, alias: t.alias, notApplied: true },
      hint: `Run \`lshift rollback ${t.functionName} --alias ${t.alias}\` again when ready.`,
    },
  );
}

/** Throws INTERRUPTED when `signal` has aborted: the last moment before an alias write. */
export function stopIfInterrupted(signal: AbortSignal | undefined, t: Target): void {
  if (signal?.aborted) throw rollbackInterrupted(signal, t);
}

/** `clock.sleep` that ends in INTERRUPTED (not the signal's bare reason) when `signal` aborts. */
export async function sleepUnlessInterrupted(
  clock: { sleep(ms: number, signal?: AbortSignal): Promise<void> },
  ms: number,
  signal: AbortSignal | undefined,
  t: Target,
): Promise<void> {
  stopIfInterrupted(signal, t);
  try {
    await clock.sleep(ms, signal);
  } catch (error) {
    if (signal?.aborted) throw rollbackInterrupted(signal, t);
    throw error;
  }
}
