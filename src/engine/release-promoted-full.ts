/**
 * `lshift promote --full --release` is written to one record of the release, its command
 * reader's (commandReaderOf), and the runner answers it there before it writes 100% to every
 * function (operator-control.ts). A crash after those alias writes and before their records left
 * the other functions at 100% over records at their last step, which `deploy --resume` took for a
 * move by hand (ALIAS_AHEAD_OF_RECORD, exit 4). Read every function's record first: a release
 * whose reader's record holds the command lets each of its functions count 100% as the one write
 * ahead, as a single deployment's own record does (resume-point.ts).
 */
import { mapBounded } from './bounded.js';
import type { ReleaseDeps } from './release.js';
import { promotedFull } from './resume-point.js';

/** The release ids whose records hold an obeyed or sent `promote --full` (unreadable records: none). */
export async function readFullReleases(
  deps: Pick<ReleaseDeps, 'store'>,
  members: readonly { functionName: string; alias: string }[],
  concurrency: number,
): Promise<Set<string>> {
  const records = await mapBounded(concurrency, members, (m) =>
    Promise.resolve(deps.store?.read(m.functionName, m.alias)).catch(() => undefined),
  );
  const full = new Set<string>();
  for (const record of records)
    if (record?.releaseId !== undefined && promotedFull(record)) full.add(record.releaseId);
  return full;
}
