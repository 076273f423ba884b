/**
 * A record the check listed as nobody's may have been taken over since: a `deploy --resume` on
 * this machine takes a dead runner's deployment over at once (resume-runner-gone.ts), and one
 * elsewhere once its own watch ends — as the check's does. The check decided on its listing, and
 * its STALLED line told a second operator to start a resume while the first one drove it (found
 * by a hostile pass). Before a deployment is reported left for someone to finish, its record is
 * read again: written since, by a live runner, it is that runner's, and nobody is told to resume.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { describeAge, describeProgress, ownerOf } from './check-classify.js';
import { entry } from './check-entry.js';
import type { CheckDeps, CheckResult } from './check-types.js';
import type { ListedRecord } from './record-listing.js';
import { isLiveRecord } from './record-view.js';

/** `skipped`, said as the live runner's, when the record was written since by one; else undefined. */
export async function findTakenOver(
  deps: CheckDeps,
  listed: ListedRecord,
  staleMs: number,
  summary: string,
): Promise<CheckResult | undefined> {
  if (!deps.store) return undefined;
  let current: DeploymentRecord | undefined;
  try {
    current = await deps.store.read(listed.functionName, listed.alias);
  } catch {
    // Unreadable now: the listing stands, as it would have without this read.
    return undefined;
  }
  const now = deps.clock.now();
  if (!current || isSameWrite(current, listed.record) || !isLiveRecord(current, now, staleMs))
    return undefined;
  const driving = `${describeProgress(current)}, driven by ${ownerOf(current)} (heartbeat ${describeAge(now, current.heartbeatAt)} ago)`;
  const what =
    current.id === listed.record.id
      ? `deployment ${current.id} was taken over while this check ran (a \`deploy --resume\`): it is ${driving}`
      : `a new deployment ${current.id} started while this check ran: it is ${driving}`;
  return entry({ ...listed, record: current }, 'skipped', `${summary}; ${what}; left to it`);
}

function isSameWrite(a: DeploymentRecord, b: DeploymentRecord): boolean {
  return a.id === b.id && a.owner === b.owner && a.heartbeatAt === b.heartbeatAt && a.phase === b.phase;
}
