/**
 * Withdrawn operator commands: a third tag per alias, `lshift-withdrawn:<alias>` (hashed for an
 * alias over 111 characters: withdrawnTagKey), written only by
 * the verbs (`lshift pause | promote | resume | abort`) when they withdraw a command — Ctrl-C, or
 * `--wait` running out — listing the latest withdrawn commands as `<deployment id>.<nonce>`,
 * newest first, separated by spaces.
 *
 * Why: a verb's write of its command (TagResource, on a copy of the record) can be held in flight
 * — a stalled endpoint, an attempt whose answer was lost and that the SDK retried — and land
 * after the verb withdrew the command and said "nothing was done"; the running deployment then
 * obeyed it (`promote --full` of a withdrawn command jumped the deployment to 100%). Tags have no
 * conditional write and TagResource merges per key, so such a late write of the record tag leaves
 * this key as it was: every reader (tag-state-store.ts, the fake store) drops a `sent` command
 * this key lists, so the runner neither obeys nor carries it, and the verb's own looks read it as
 * absent. A command already answered (`done`, `refused`) is never dropped: what happened is said.
 */

import { MAX_TAG_VALUE_LENGTH } from './record-tag.js';
import { escapeText } from './record-text.js';
import type { DeploymentRecord } from './record-types.js';
import { aliasTagKey } from './tag-key.js';

export const WITHDRAWN_TAG_PREFIX = 'lshift-withdrawn:';

/** At most this many entries are kept (13 characters each for lshift's ids: 16 fit in 223). */
export const MAX_WITHDRAWN_ENTRIES = 16;

/**
 * The key: `lshift-withdrawn:<alias>` for an alias of up to 111 characters. A longer one (112–121
 * characters still name a record tag, whose key holds 121) would make a key over Lambda's 128, and
 * such an alias had no list, so a late write of its withdrawn command was obeyed (found by a
 * hostile pass): its key is `lshift-withdrawn:<the alias's first 94 characters>.<the 64-bit
 * FNV-1a of the whole alias, 16 hex digits>`, 128 characters (tag-key.ts, the seal's rule too).
 * Two long aliases of one function sharing their first 94 characters and their 64-bit hash would
 * share a list, which is harmless: an entry names its deployment and its nonce, not the alias.
 */
export function withdrawnTagKey(alias: string): string {
  return aliasTagKey(WITHDRAWN_TAG_PREFIX, alias);
}

/** The entry of one command: `d-k3j9x2.ab12` (the id escaped as the record escapes it, `.` too). */
export function withdrawalEntry(deploymentId: string, nonce: string): string {
  return `${escapeText(deploymentId, '.')}.${nonce}`;
}

/** The entries of a tag value as stored (absent: none). Anything that is no entry is skipped. */
export function parseWithdrawn(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(' ')
    .filter((entry) => /^(?:[A-Za-z0-9_:/=@-]|\+[0-9A-F]{2})+\.[0-9a-z]{1,8}$/.test(entry));
}

/**
 * The list to write: `entry` first, then those read before (newest first, without `entry`), as
 * many as fit in MAX_WITHDRAWN_ENTRIES and one tag value.
 */
export function addWithdrawn(read: readonly string[], entry: string): string[] {
  const out = [entry];
  let length = entry.length;
  for (const other of read) {
    if (other === entry) continue;
    if (out.length >= MAX_WITHDRAWN_ENTRIES || length + 1 + other.length > MAX_TAG_VALUE_LENGTH) break;
    out.push(other);
    length += 1 + other.length;
  }
  return out;
}

export function encodeWithdrawn(entries: readonly string[]): string {
  return entries.join(' ');
}

/**
 * The record as a reader must see it: a `sent` command the list names (its deployment's id and
 * its nonce) is dropped — its sender withdrew it, and a copy of it landed late. Anything else is
 * the record as stored.
 */
export function dropWithdrawn(
  record: DeploymentRecord | undefined,
  withdrawn: readonly string[],
): DeploymentRecord | undefined {
  const c = record?.command;
  if (!record || c?.state !== 'sent' || withdrawn.length === 0) return record;
  if (!withdrawn.includes(withdrawalEntry(record.id, c.nonce))) return record;
  const { command: _withdrawn, ...rest } = record;
  return rest;
}
