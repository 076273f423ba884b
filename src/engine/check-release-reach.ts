/**
 * `lshift check` that rolls back a function of a release: its record names the release but not
 * the release's other functions, so they were left split, nobody driving them, running a version
 * the check had just judged bad — the check exited 3 ("rolled back"), and every later named check
 * 0 (found by a hostile pass). One verdict holds for the whole release: the check then takes the
 * check's one listing of every record in reach (records-in-reach.ts, at every alias) and rolls
 * back every other function of that release with it — promoted ones too, as for a checked one
 * (check-release-verdict.ts isOpenMate): taking only unfinished ones left a promoted release
 * split across versions (found by a hostile pass). Only then, so a check that rolls nothing back
 * lists nothing more.
 *
 * At every alias, and for a check without names too: it looked at one alias only (the check's,
 * or that of the functions checked), so `lshift check fa` — or `lshift check` — run away from
 * the config file that put ga on `prod` rolled fa:live back and left ga:prod of the same release
 * split at 10%, the half-rolled-back release a check must never leave (session 60).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { MemberAt } from '../domain/release-ways-out.js';
import { describeError } from './emit.js';
import type { ListedRecord, ListRecordsFailure } from './record-listing.js';
import { findOtherOpenMembers, type SharedListing } from './records-in-reach.js';

export type ReachedMates =
  /** `unread`: some records in reach could not be read, so a mate may be missing (said). */
  | { kind: 'found'; mates: ListedRecord[]; unread?: string }
  /** The records in reach could not be listed (no lambda:ListFunctions, a throttle): said. */
  | { kind: 'unlisted'; why: string };

/** The release's other functions whose record is not closed, at any alias, beyond those checked. */
export async function findMatesInReach(
  listing: SharedListing,
  releaseId: string,
  checked: readonly MemberAt[],
  isMate: (record: DeploymentRecord) => boolean = () => true,
): Promise<ReachedMates> {
  const reach = await listing.list();
  if (reach.kind === 'unlisted')
    return {
      kind: 'unlisted',
      why: `the functions in reach could not be listed (${describeError(reach.error)})`,
    };
  const mates = findOtherOpenMembers(reach.records, releaseId, checked).filter((l) => isMate(l.record));
  // One checked whose record at its own alias was unreadable is said on its own line already.
  const unread = reach.unread.filter(
    (f) => !checked.some((c) => c.functionName === f.functionName && c.alias === f.alias),
  );
  if (unread.length === 0) return { kind: 'found', mates };
  const why = describeUnread(unread);
  // Those found are still rolled back: an unreadable record elsewhere is no reason to leave them split.
  return mates.length === 0 ? { kind: 'unlisted', why } : { kind: 'found', mates, unread: why };
}

/** Which functions' records could not be read: any of them may be of the release. */
function describeUnread(unread: readonly ListRecordsFailure[]): string {
  const each = unread.map((f) =>
    f.alias ? `${f.functionName}:${f.alias}` : `${f.functionName} (every alias)`,
  );
  const shown = each.length > 5 ? [...each.slice(0, 5), `${each.length - 5} more`] : each;
  const first = unread[0]!;
  return `the records of ${shown.join(', ')} could not be read (${first.functionName}: ${describeError(first.error)}), so whether they are of it is not known`;
}
