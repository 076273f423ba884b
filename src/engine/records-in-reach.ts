/**
 * The one listing of every deployment record in reach, at every alias (ListFunctions, then every
 * `lshift:*` tag of each function: record-listing.ts listRecords), for those that must know
 * what else of a release exists beyond the functions they were given: `lshift check`'s close of a
 * release found on its stable versions (check-release-close.ts wholeReleaseKnown) and its words
 * (check-moved.ts, check-unnamed.ts), a release's `deploy --resume` (cli/release-resume-members.ts)
 * and `rollback --release` (release-rollback-open.ts). A record names its release, never the
 * release's other functions, and those may be on other aliases (an entry's `alias:` in the
 * config file). Each once read its own way — one alias, or every alias; a failure known or not —
 * and one of them was fooled by a release on two aliases (found by a hostile pass, session 59).
 *
 * `lambda:ListFunctions` has no resource-level permission and is not in every policy: a listing
 * refused (or failed) is `unlisted`, with why, and every caller says what it could not look for.
 */
import type { MemberAt } from '../domain/release-ways-out.js';
import type { LambdaPort } from '../ports/lambda.js';
import { type ListedRecord, type ListRecordsFailure, listRecords } from './record-listing.js';

export type RecordsInReach =
  /** `unread`: functions (or one alias's record) that could not be read: a record may be missing. */
  | { kind: 'listed'; records: ListedRecord[]; unread: ListRecordsFailure[] }
  /** ListFunctions itself failed (refused, throttled): nothing is known. */
  | { kind: 'unlisted'; error: unknown };

export async function listRecordsInReach(
  lambda: LambdaPort,
  opts: {
    onProgress?: (read: number, total: number) => void;
    /** Once aborted, no function not yet begun is read: the caller says the listing was cut short. */
    signal?: AbortSignal;
    /** Functions whose records are known already: listed, not read (tag-state-store.ts). */
    skip?: readonly string[];
  } = {},
): Promise<RecordsInReach> {
  const unread: ListRecordsFailure[] = [];
  try {
    const records = await listRecords(lambda, {
      onError: (failure) => unread.push(failure),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.skip ? { skip: opts.skip } : {}),
    });
    return { kind: 'listed', records, unread };
  } catch (error) {
    return { kind: 'unlisted', error };
  }
}

export type { MemberAt };

/**
 * The release's records in reach not closed as rolled back (a promoted one too: the release's
 * rollback takes it back), beyond `known`: those nobody named or checked.
 */
export function findOtherOpenMembers(
  records: readonly ListedRecord[],
  releaseId: string,
  known: readonly MemberAt[],
): ListedRecord[] {
  const seen = new Set(known.map(keyOf));
  return records.filter(
    (l) => l.record.releaseId === releaseId && l.record.phase !== 'rolled-back' && !seen.has(keyOf(l)),
  );
}

function keyOf(m: MemberAt): string {
  return `${m.functionName}\u0000${m.alias}`;
}

/** One listing for a whole `lshift check`, made when first asked, its answer kept for the words. */
export interface SharedListing {
  list(): Promise<RecordsInReach>;
  /** The answer, once the listing was made (undefined before, or while it runs). */
  peek(): RecordsInReach | undefined;
}

export function shareListing(lambda: LambdaPort): SharedListing {
  let made: Promise<RecordsInReach> | undefined;
  let answer: RecordsInReach | undefined;
  return {
    list: () => {
      made ??= listRecordsInReach(lambda).then((a) => (answer = a));
      return made;
    },
    peek: () => answer,
  };
}
