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
 * Functions whose status is read at once with several functions. Each read is two or three
 * requests (GetAlias, ListTags, DescribeAlarms); 8 keep Lambda's pace busy against AWS (15/s,
 * ~100 ms a request) and against a sandbox whose clock runs faster.
 */
export const STATUS_CONCURRENCY = 8;

/**
 * Promise.allSettled of `read` over the targets, with at most `limit` reads in flight; results
 * in the targets' order. All at once (as it was) queued every request of every function in the
 * Lambda limiter together: ~135 KB each, ~1 GB for 5,000 functions, and against AWS (15 requests
 * a second) the requests queued past 10 minutes (QUEUE_ALLOWANCE_MS: beyond ~4,500 functions)
 * failed. Lambda's pace sets the time either way (aws/rate-limit.ts).
 */
export async function readEachSettled<T, R>(
  targets: readonly T[],
  read: (target: T) => Promise<R>,
  limit = STATUS_CONCURRENCY,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await read(targets[index]!) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, targets.length)) }, worker));
  return results;
}

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
