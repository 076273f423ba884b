/**
 * The release's functions the check's one listing found beyond those it read (records-in-reach.ts),
 * with their aliases as read when the listing was made for a close (check-release-close.ts
 * wholeReleaseKnown). The undo of a function moved back names them (session 59, F8); its resume
 * named them too without reading their aliases: fc, back on its stable version, its record open,
 * was offered as `lshift deploy fc --resume`, which the resume refuses (ALIAS_MISMATCH). Now one
 * read back is among those a resume would refuse, and one whose alias was not read is offered
 * only "if it still carries the release's traffic" (release-moved-member.ts).
 */
import type { MemberAt } from '../domain/release-ways-out.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { MateAliasReader } from './check-release-close.js';
import type { ListedRecord } from './record-listing.js';
import { aliasMovedAway } from './record-view.js';
import { findOtherOpenMembers, type SharedListing } from './records-in-reach.js';
import type { UnresumableMates } from './release-moved-member.js';

/** Reads kept so the words, made synchronously later, can see their answers. */
export interface SeenAliasReads {
  read: MateAliasReader;
  /** A read's answer (undefined: no such alias; null: it failed), or `unread` when none answered. */
  seen(member: MemberAt): AliasInfo | undefined | null | 'unread';
}

export function keepAliasReads(
  getAlias: (functionName: string, alias: string) => Promise<AliasInfo | undefined>,
): SeenAliasReads {
  const reads = new Map<string, Promise<AliasInfo | undefined | null>>();
  const answers = new Map<string, AliasInfo | undefined | null>();
  const keyOf = (m: MemberAt) => `${m.functionName}\u0000${m.alias}`;
  return {
    read: (mate) => {
      const key = keyOf(mate);
      let read = reads.get(key);
      if (!read) {
        read = getAlias(mate.functionName, mate.alias)
          .catch(() => null)
          .then((alias) => {
            answers.set(key, alias);
            return alias;
          });
        reads.set(key, read);
      }
      return read;
    },
    seen: (m) => (answers.has(keyOf(m)) ? answers.get(keyOf(m)) : 'unread'),
  };
}

/** The release's open records the listing found beyond `read`, once it ran (undefined before). */
export function listedMates(
  listing: SharedListing,
  releaseId: string,
  read: readonly MemberAt[],
): ListedRecord[] | undefined {
  const reach = listing.peek();
  return reach?.kind === 'listed' ? findOtherOpenMembers(reach.records, releaseId, read) : undefined;
}

/** Those the check read a resume would refuse, with those of the listed mates (or not known of them). */
export function withListedMates(
  read: UnresumableMates,
  listed: readonly ListedRecord[],
  aliases: SeenAliasReads,
): UnresumableMates {
  const back: { functionName: string; version: string }[] = [];
  const unread: string[] = [];
  for (const mate of listed) {
    const alias = aliases.seen(mate);
    if (alias === 'unread' || alias === null) unread.push(mate.functionName);
    // As the resume judges it (findUnresumableMates): one at 0% whose alias nobody wrote is resumed.
    else if (alias && aliasMovedAway(mate.record, alias) === 'back-on-stable')
      back.push({ functionName: mate.functionName, version: mate.record.stableVersion });
  }
  return { ...read, back: [...read.back, ...back], ...(unread.length > 0 ? { unread } : {}) };
}
