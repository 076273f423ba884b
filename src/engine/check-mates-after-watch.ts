/**
 * The release's other records, read again once the check has watched its candidates for the stale
 * limit, right before it closes a function found back on its stable version. Whether the release
 * is quiet (check-release-close.ts findQuietMates) was judged on records read before that watch:
 * a `deploy --resume` of the release that took a mate during the watch (a fresh heartbeat, its
 * owner) did not stop the close of the others (found by a hostile pass, session 59). Only the
 * owner and heartbeat are asked of the new read: a whole-record judgement would take a concurrent
 * check's claim (`rolling-back`, owner `check:…`) for a decided release and leave everything
 * STALLED. One read per mate for the whole check, however many functions ask.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { StateStore } from '../ports/state-store.js';
import { isCheckOwner } from './owner-kinds.js';
import type { ListedRecord } from './record-listing.js';
import { isLiveRecord } from './record-view.js';

/** undefined: no record now; null: it could not be read. */
export type MateRecordReader = (mate: ListedRecord) => Promise<DeploymentRecord | undefined | null>;

export function cacheMateRecordReads(store: Pick<StateStore, 'read'> | undefined): MateRecordReader {
  const reads = new Map<string, Promise<DeploymentRecord | undefined | null>>();
  return (mate) => {
    const key = `${mate.functionName}\u0000${mate.alias}`;
    let read = reads.get(key);
    if (!read) {
      read = store ? store.read(mate.functionName, mate.alias).catch(() => null) : Promise.resolve(null);
      reads.set(key, read);
    }
    return read;
  };
}

/**
 * The first mate that now has a live owner other than a check, or could not be read again (the
 * close waits for a run that can: unknown is never quiet); undefined when none.
 */
export async function findMateTakenSince(
  mates: readonly ListedRecord[],
  read: MateRecordReader,
  now: number,
  staleMs: number,
): Promise<{ functionName: string; owner?: string } | undefined> {
  const records = await Promise.all(mates.map(read));
  for (const [i, record] of records.entries()) {
    const { functionName } = mates[i]!;
    if (record === null) return { functionName };
    if (record && isLiveRecord(record, now, staleMs) && !isCheckOwner(record.owner))
      return { functionName, owner: record.owner };
  }
  return undefined;
}
