/**
 * Whether `lshift check` closes a release's function found all on its stable version with no live
 * owner, as it closes a single deployment's (check-close-on-stable.ts). A release whose records'
 * writes hung from its rollback on, mark and all, then whose process died, leaves every alias on
 * its stable version and every record `shifting`: nothing is split, nobody owns it, and the
 * check reported it STALLED (exit 4) at every run until a person ran `lshift rollback --release`
 * (release-back-on-stable-check.test.ts). Now each such function is closed (`skipped`, exit 0,
 * end reason "found back on its stable version with no live owner").
 *
 * Only when the whole release, as far as this check read it, is so. Left as before (STALLED,
 * with the release's ways out; rolled back with its release on an alarm) when a record of the
 * release read by this check says it is owned or decided:
 *  - live (a fresh heartbeat): its runner, or a `deploy --resume` of the release, drives it;
 *  - `rolling-back` or `failed`: the release was being rolled back, and is finished as a whole
 *    (check-release.ts), the mark closed last;
 *  - rolled back by a check (no end reason, or "after it was promoted"): an earlier check's release
 *    rollback, finished;
 *  - `promoted`, `paused`, or a promote left unconfirmed: the release went forward, or a person
 *    holds it;
 * or when another open function of it is not all on its stable version (split, ahead, unread):
 * the check is red for that one anyway, and closing this one would take away the release's resume
 * (a closed function is left out of it) before a person chose between resuming and undoing it.
 *
 * And only when the check knows it has every function of the release (wholeReleaseKnown): a record
 * names its release, never the release's other functions. With one function's record unread
 * (throttled, corrupt) or not named to the check, it closed the others while that one stayed split
 * — then `status` offered to resume that one alone: a release half rolled back, half promoted
 * (found by a hostile pass).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AliasInfo } from '../ports/lambda.js';
import { mapBounded } from './bounded.js';
import { isCheckRollbackEnd } from './check-release-verdict.js';
import { isCheckOwner } from './owner-kinds.js';
import type { ListedRecord } from './record-listing.js';
import { aliasMovedAway, isLiveRecord, isPromoteUnconfirmed, isSplit } from './record-view.js';
import { findOtherOpenMembers, type SharedListing } from './records-in-reach.js';
import type { UnresumableMates } from './release-moved-member.js';

const OPEN_PHASES: ReadonlySet<string> = new Set(['started', 'pre-hook', 'shifting', 'baking', 'post-hook']);

/** The release's other records this check read, when none of them says the release is owned or decided. */
export function findQuietMates(
  listed: ListedRecord,
  gathered: readonly ListedRecord[],
  now: number,
  staleMs: number,
): ListedRecord[] | undefined {
  const { releaseId } = listed.record;
  const mates = gathered.filter((g) => g !== listed && g.record.releaseId === releaseId);
  return isReleaseQuiet(
    mates.map((m) => m.record),
    now,
    staleMs,
  )
    ? mates
    : undefined;
}

/**
 * None of these records of a release's other functions says the release is owned or decided (the
 * list at the top of this file). The one rule `lshift status` asks too before it calls a function
 * back on its stable version GATE FAILED (status-alarms.ts): it said so, and that the next check
 * rolls the release back, of a release a resume drove or an earlier check was rolling back.
 */
export function isReleaseQuiet(mates: readonly DeploymentRecord[], now: number, staleMs: number): boolean {
  return mates.every((m) => isQuietMate(m, now, staleMs));
}

function isQuietMate(mate: DeploymentRecord, now: number, staleMs: number): boolean {
  if (isPromoteUnconfirmed(mate)) return false;
  if (mate.phase === 'rolled-back') return !(isCheckOwner(mate.owner) && isCheckRollbackEnd(mate));
  return OPEN_PHASES.has(mate.phase) && !isLiveRecord(mate, now, staleMs);
}

/** undefined: no such alias; null: it could not be read. */
export type MateAliasReader = (mate: ListedRecord) => Promise<AliasInfo | undefined | null>;

/** Every open mate's alias routes all its traffic to its stable version (one read each, shared). */
export async function areMatesBackOnStable(
  mates: readonly ListedRecord[],
  readAlias: MateAliasReader,
): Promise<boolean> {
  const open = mates.filter((m) => m.record.phase !== 'rolled-back');
  const aliases = await mapBounded(MATE_READS_AT_ONCE, open, readAlias);
  return open.every((mate, i) => {
    const alias = aliases[i];
    return alias && !isSplit(alias.additionalWeights) && alias.functionVersion === mate.record.stableVersion;
  });
}

/** Lambda's control plane answers about 15 requests a second: a release of 100 reads in ~7 s. */
const MATE_READS_AT_ONCE = 5;

/**
 * The mates a resume of the release would refuse: rolled back (NOTHING_TO_RESUME), or moved
 * back on their stable versions (ALIAS_MISMATCH), for the words of a function moved back. A promoted one
 * is not among them: the resume runs a release's last level again for it.
 */
export async function findUnresumableMates(
  mates: readonly ListedRecord[],
  readAlias: MateAliasReader,
): Promise<UnresumableMates> {
  const closed = mates.filter((m) => m.record.phase === 'rolled-back');
  const open = mates.filter((m) => m.record.phase !== 'rolled-back');
  const aliases = await mapBounded(MATE_READS_AT_ONCE, open, readAlias);
  // Moved back, as the resume judges it: one at 0% whose alias nobody wrote is resumed from its start.
  const back = open.filter((m, i) => {
    const alias = aliases[i];
    return alias && aliasMovedAway(m.record, alias) === 'back-on-stable';
  });
  return {
    closed: closed.map((m) => m.functionName),
    back: back.map((m) => ({ functionName: m.functionName, version: m.record.stableVersion })),
  };
}

/** One GetAlias per function of a release for the whole check, however many of its mates ask. */
export function cacheAliasReads(
  getAlias: (functionName: string, alias: string) => Promise<AliasInfo | undefined>,
): MateAliasReader {
  const reads = new Map<string, Promise<AliasInfo | undefined | null>>();
  return (mate) => {
    const key = `${mate.functionName}\u0000${mate.alias}`;
    let read = reads.get(key);
    if (!read) {
      read = getAlias(mate.functionName, mate.alias).catch(() => null);
      reads.set(key, read);
    }
    return read;
  };
}

/** Whether the check has every function of a release in hand (asked per release id). */
export type WholeReleaseKnown = (releaseId: string) => Promise<boolean>;

/**
 * The check knows it read every function of a release when no record read of it failed — any
 * unread one could be the release's — and a listing of every record in reach, at every alias
 * (records-in-reach.ts), finds no record of the release, not rolled back, beyond those it read.
 * A check lists one alias (`--alias`, or each function's from the config file), and a release's
 * functions may be on others: fa and fb on `live` were closed while ga:prod of the same release
 * stayed split, named or not (found by a hostile pass, session 59). A listing that fails, or
 * leaves a record unread, knows nothing. Listed only when a close is about to happen, once per
 * check (the listing is of everything; every release asks the same one).
 */
export function wholeReleaseKnown(
  listing: SharedListing,
  gathered: readonly ListedRecord[],
  opts: {
    unread: readonly string[];
    /** Told of the release's open mates the listing found, to read their aliases for the words (check-listed-mates.ts). */
    readListed?: MateAliasReader;
  },
): WholeReleaseKnown {
  return async (releaseId) => {
    if (opts.unread.length > 0) return false;
    const reach = await listing.list();
    if (reach.kind === 'unlisted') return false;
    const read = gathered.filter((g) => g.record.releaseId === releaseId);
    const others = findOtherOpenMembers(reach.records, releaseId, read);
    if (opts.readListed) await mapBounded(MATE_READS_AT_ONCE, others, opts.readListed);
    return reach.unread.length === 0 && others.length === 0;
  };
}
