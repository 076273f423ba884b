/**
 * A release's checks before its first write say every function's refusal, not only the first:
 * fixing them one run at a time would take as many runs as there are refusals. The checks only
 * read, so running them all costs nothing that a refusal would have saved.
 */
import { isLshiftError, withHint } from '../domain/errors.js';
import { describeError, describeErrorWithHint } from './emit.js';

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

/** How the others' failures are said under the first one (a publish's, release-publish.ts). */
export interface RefusalWords {
  /** After "N more of the release's functions": `refused too` (the checks), `failed to publish too`. */
  verb: string;
  /** Each line ends with its error's hint (what to do), as the first error's own is printed. */
  withHint?: boolean;
  /** The first error's message names its function (`Function fb: …`) when it does not already. */
  nameFirst?: boolean;
}

/**
 * Every result, or the first refusal in the functions' order (its code and exit code) thrown with
 * every other function's refusal added to its message; the first one that exits 4 (a split nobody
 * drives) goes first.
 */
export function unlessRefused<T>(
  checked: Settled<T>[],
  members: readonly { functionName: string }[],
  words: RefusalWords = { verb: 'refused too' },
): T[] {
  const refusals = checked.flatMap((c, i) => ('error' in c ? [{ error: c.error, member: members[i]! }] : []));
  // A refusal over a split nobody drives (exit 4) leads, whatever the functions' order: its exit is
  // the run's, and a release refused first for a function all on one version (exit 5, "retry
  // later") said nothing of a member left split (session 71, after the preflight's exit-4 rule).
  const first = refusals.find((r) => isLshiftError(r.error) && r.error.exitCode === 4) ?? refusals[0];
  const rest = refusals.filter((r) => r !== first);
  // Ctrl-C stops every check at once: one "interrupted" says it, not one per function.
  const others = rest.filter((r) => !(isLshiftError(r.error) && r.error.code === 'INTERRUPTED'));
  if (!first) return checked.map((c) => (c as { ok: T }).ok);
  if (others.length > 0 && first.error instanceof Error) {
    const fn = first.member.functionName;
    if (words.nameFirst && !first.error.message.includes(fn))
      first.error.message = `Function ${fn}: ${first.error.message}`;
    const say = words.withHint ? describeErrorWithHint : describeError;
    const lines = others.map((o) => `  - ${o.member.functionName}: ${say(o.error)}`);
    first.error.message += `\n${others.length} more of the release's functions ${words.verb}:\n${lines.join('\n')}`;
    // Printed after every line above: its hint says whose it is.
    const hint = isLshiftError(first.error) ? first.error.hint : undefined;
    if (words.nameFirst && hint && isLshiftError(first.error))
      throw withHint(first.error, `For ${fn}: ${hint}`);
  }
  throw first.error;
}
