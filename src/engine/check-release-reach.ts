/**
 * `lshift check fb` (named) that rolls back a function of a release: its record names the release
 * but not the release's other functions, so they were left split, nobody driving them, running a
 * version the check had just judged bad — the check exited 3 ("rolled back"), and every later
 * named check 0 (found by a hostile pass). One verdict holds for the whole release: the check
 * then lists the records in reach (ListFunctions, then ListTags of each, as `lshift check` without
 * names and `deploy --resume` of a release do) and rolls back every other function of that
 * release with it — promoted ones too, as a check without names does (check-release-verdict.ts
 * isOpenMate): taking only unfinished ones left a promoted release split across versions, b1 back
 * and b2 c1 on the version just judged bad, and the next `lshift check b1 b2 c1` "finished" what
 * this check had reported done (found by a hostile pass). Only then, so a named check that rolls
 * nothing back lists nothing.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { CheckDeps, CheckResult } from './check-types.js';
import { describeError } from './emit.js';
import { type ListedRecord, listRecords } from './tag-state-store.js';

export type ReachedMates =
  /** `unread`: some records in reach could not be read, so a mate may be missing (said). */
  | { kind: 'found'; mates: ListedRecord[]; unread?: string }
  /** The records in reach could not all be listed (no lambda:ListFunctions, a throttle): said. */
  | { kind: 'unlisted'; why: string };

/** The release's other functions whose record is not closed, beyond those the check named. */
export async function findMatesInReach(
  deps: Pick<CheckDeps, 'lambda'>,
  releaseId: string,
  checked: readonly Pick<CheckResult, 'functionName' | 'alias'>[],
  isMate: (record: DeploymentRecord) => boolean = isOpen,
): Promise<ReachedMates> {
  const aliases = new Set(checked.map((c) => c.alias));
  // Functions of one release share the alias a check reads them on; a config's per-function
  // aliases would need a listing per alias: left to the note (check-unnamed.ts).
  if (aliases.size !== 1) return { kind: 'unlisted', why: 'its functions were checked on different aliases' };
  const [alias] = aliases;
  const failures: string[] = [];
  let listed: ListedRecord[];
  try {
    listed = await listRecords(deps.lambda, {
      alias,
      onError: ({ functionName, error }) => failures.push(`${functionName}: ${describeError(error)}`),
    });
  } catch (error) {
    return { kind: 'unlisted', why: `the functions in reach could not be listed (${describeError(error)})` };
  }
  const named = new Set(checked.map((c) => c.functionName));
  const mates = listed.filter(
    (l) => l.record.releaseId === releaseId && !named.has(l.functionName) && isMate(l.record),
  );
  if (failures.length === 0) return { kind: 'found', mates };
  const unread = `some records could not be read (${failures.slice(0, 3).join('; ')})`;
  // Those found are still rolled back: an unreadable record elsewhere is no reason to leave them split.
  return mates.length === 0 ? { kind: 'unlisted', why: unread } : { kind: 'found', mates, unread };
}

/**
 * Not closed yet: a promoted mate runs the version the release's verdict rejected, as one still
 * shifting does. One already rolled back (by a person, another check) is left as it is.
 */
function isOpen(record: DeploymentRecord): boolean {
  return record.phase !== 'rolled-back';
}
