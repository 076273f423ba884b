/**
 * `lshift status fa fe` when one function cannot be read (deleted, its alias gone, a denied
 * read): the others are still shown, and the unreadable one is reported beside them with its
 * error code, instead of the whole command failing with that one function's error.
 */
import { echoAwsMessage } from '../domain/echo.js';
import { isLshiftError, type LshiftError } from '../domain/errors.js';
import { joinPrintableLines } from '../domain/printable.js';

/** A function the status could not read; `missing`: Lambda answered it (or its alias) does not exist. */
export interface UnreadableStatus {
  functionName: string;
  alias: string;
  missing: boolean;
  code: string;
  message: string;
}

const MISSING = new Set(['FUNCTION_NOT_FOUND', 'ALIAS_NOT_FOUND']);

/**
 * Splits the settled reads: every function read, and every one that failed with an lshift error.
 * When none could be read, or a read failed for a reason that is not lshift's (a bug), that
 * error is thrown as it is: there is nothing to show beside it.
 */
export function splitStatusReads<T>(
  targets: readonly { functionName: string; alias: string }[],
  reads: readonly PromiseSettledResult<T>[],
): { read: T[]; unreadable: UnreadableStatus[] } {
  const read: T[] = [];
  const unreadable: UnreadableStatus[] = [];
  reads.forEach((r, i) => {
    if (r.status === 'fulfilled') read.push(r.value);
    else if (!isLshiftError(r.reason)) throw r.reason;
    else unreadable.push(unreadableOf(targets[i]!, r.reason));
  });
  if (read.length === 0) throw (reads.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
  return { read, unreadable };
}

function unreadableOf(target: { functionName: string; alias: string }, error: LshiftError): UnreadableStatus {
  return {
    ...target,
    missing: MISSING.has(error.code),
    code: error.code,
    message: echoAwsMessage(error.message),
  };
}

/** One line per unreadable function, after the ones that were read. */
export function renderUnreadable(unreadable: readonly UnreadableStatus[]): string {
  return joinPrintableLines(
    unreadable.map(
      (u) =>
        `✖ ${u.functionName}:${u.alias} ${u.missing ? 'MISSING' : 'UNREADABLE'} [${u.code}]: ${u.message}`,
    ),
  );
}
