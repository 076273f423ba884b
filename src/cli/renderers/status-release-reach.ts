/**
 * The release's functions a multi-function `lshift status` did not read: it reads each function
 * it is given at one alias (`--alias`, or the config file's entry), and a record names its
 * release, never the release's other functions nor their aliases. `lshift status fa fb --alias
 * prod` of a release with fa on `live` and fb on `prod` offered `lshift deploy fb --alias prod
 * --resume` (refused: fa:live unfinished, exit 2) and `lshift rollback --release r fb --alias prod`
 * (fa left split, exit 4) — found by a hostile pass, session 60 (F7). So when a release line
 * offers ways out, the records in reach are listed once (records-in-reach.ts, as `lshift check`
 * and `rollback --release` do) and the commands name every open function found, at its alias.
 */

import type { MemberGuards } from '../../domain/guard-fingerprint.js';
import { describeConfigFileNeeded, describeReleaseRollbackCommand } from '../../domain/release-ways-out.js';
import type { ListedRecord } from '../../engine/record-listing.js';

/** What the listing found of one release beyond the functions read. */
export type ReleaseReach =
  /**
   * `others`: the release's records not rolled back at a function/alias not read here;
   * `unreadWhy`: some records in reach could not be read (one of them may be the release's).
   */
  | { kind: 'listed'; others: readonly ListedRecord[]; unreadWhy?: string }
  /** The listing refused or failed (no `lambda:ListFunctions`), or cut records short: `why`. */
  | { kind: 'unlisted'; why: string };

/** The functions read here of one release: the status's own members. */
interface ReadMember {
  functionName: string;
  alias: string;
}

function othersOf(reach: ReleaseReach | undefined): readonly ListedRecord[] {
  return reach?.kind === 'listed' ? reach.others : [];
}

/** Every function of the release known here, read or found by the listing, with its alias. */
export function everyMember(members: readonly ReadMember[], reach: ReleaseReach | undefined): ReadMember[] {
  return [
    ...members.map((m) => ({ functionName: m.functionName, alias: m.alias })),
    ...othersOf(reach).map((l) => ({ functionName: l.functionName, alias: l.alias })),
  ];
}

/** The release's rollback over every function known here (release-ways-out.ts). */
export function describeReleaseRollback(
  id: string,
  members: readonly ReadMember[],
  reach: ReleaseReach | undefined,
): string {
  return describeReleaseRollbackCommand(id, everyMember(members, reach));
}

/** The open functions the listing found: resumed with the others, each with its guards. */
export function listedResumable(reach: ReleaseReach | undefined): MemberGuards[] {
  return othersOf(reach)
    .filter((l) => l.record.phase !== 'promoted')
    .map((l) => ({ functionName: l.functionName, guards: l.record.guards }));
}

/** The config file a resume of functions on different aliases needs (release-ways-out.ts). */
export function describeMixedAliasResume(
  members: readonly ReadMember[],
  reach: ReleaseReach | undefined,
): string {
  return describeConfigFileNeeded(everyMember(members, reach));
}

/** The release line's list: the functions found beyond those read, where they are. */
export function describeListedOthers(reach: ReleaseReach | undefined): string {
  const others = othersOf(reach);
  if (others.length === 0) return '';
  const each = others.map((l) => `${l.functionName}:${l.alias} ${l.record.phase}`).join(', ');
  return `; not named here, found by its record: ${each}`;
}

/** Said when the listing could not look for the release's other functions. */
export function describeUnlisted(members: readonly ReadMember[], reach: ReleaseReach | undefined): string {
  const why = reach?.kind === 'unlisted' ? reach.why : reach?.unreadWhy;
  if (why === undefined) return '';
  const aliases = [...new Set(members.map((m) => m.alias))].join(', ');
  return ` (only the functions named were read, at alias ${aliases}; functions of the release elsewhere could not all be looked for: ${why})`;
}
