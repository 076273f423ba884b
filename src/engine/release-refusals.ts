/**
 * A release's checks before its first write say every function's refusal, not only the first:
 * fixing them one run at a time would take as many runs as there are refusals. The checks only
 * read, so running them all costs nothing that a refusal would have saved.
 */
import { isLshiftError } from '../domain/errors.js';
import { describeError } from './emit.js';

export type Settled<T> = { ok: T } | { error: unknown };

/** `settle` for a check that does not wait (reading a local file). */
export function settleNow<T>(work: () => T): Settled<T> {
  try {
    return { ok: work() };
  } catch (error) {
    return { error };
  }
}

export function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  return work.then(
    (ok) => ({ ok }),
    (error: unknown) => ({ error }),
  );
}

/**
 * Every result, or the first refusal in the functions' order (its code and exit code) thrown with
 * every other function's refusal added to its message.
 */
export function unlessRefused<T>(checked: Settled<T>[], members: readonly { functionName: string }[]): T[] {
  const refusals = checked.flatMap((c, i) => ('error' in c ? [{ error: c.error, member: members[i]! }] : []));
  const [first, ...rest] = refusals;
  // Ctrl-C stops every check at once: one "interrupted" says it, not one per function.
  const others = rest.filter((r) => !(isLshiftError(r.error) && r.error.code === 'INTERRUPTED'));
  if (!first) return checked.map((c) => (c as { ok: T }).ok);
  if (others.length > 0 && first.error instanceof Error) {
    const lines = others.map((o) => `  - ${o.member.functionName}: ${describeError(o.error)}`);
    first.error.message += `\n${others.length} more of the release's functions refused too:\n${lines.join('\n')}`;
  }
  throw first.error;
}
