/**
 * The keys of lshift's per-alias side tags — the seal (`lshift-end:<alias>`, record-seal.ts) and
 * the list of withdrawn commands (`lshift-withdrawn:<alias>`, command-withdrawal.ts) — under
 * Lambda's bound on a tag key. An alias names a record tag up to 121 characters (`lshift:` + 121
 * = 128, record-tag.ts); a longer prefix would leave the longest aliases without a key, and a
 * late write over such an alias was then read as it landed (found by hostile passes).
 */
import { fnv1a64 } from './fnv1a.js';

/**
 * Lambda's bound on a tag key: 1–128 characters
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-tag.html,
 * Key), of letters, digits, spaces and `_ . : / = + - @` (AWS's tag restrictions; the sandbox
 * refuses the same, src/sandbox/lambda-tags.ts).
 */
export const MAX_TAG_KEY_LENGTH = 128;

/** The 64-bit FNV-1a of a long alias in hex: 16 characters. */
const HASH_HEX_LENGTH = 16;

/**
 * `<prefix><alias>` when it fits in 128 characters; else `<prefix><as much of the alias as
 * fits>.<the 64-bit FNV-1a of the whole alias, 16 hex digits>`, 128 characters. A pure function of
 * the prefix and the alias, so the writers and every reader (tag-state-store.ts, the fake store)
 * find the same key; never a shorter alias's key (a Lambda alias holds no `.`). Two long aliases of
 * one function alike in their head and their 64-bit hash would share the key: each user of it says
 * why that is harmless. FNV-1a, not SHA-256: the domain imports no Node built-in, and the key needs
 * no defence against forgery (whoever can tag the function can write the tag itself).
 */
export function aliasTagKey(prefix: string, alias: string): string {
  const key = prefix + alias;
  if (key.length <= MAX_TAG_KEY_LENGTH) return key;
  const head = MAX_TAG_KEY_LENGTH - prefix.length - 1 - HASH_HEX_LENGTH;
  const hash = fnv1a64(alias).toString(16).padStart(HASH_HEX_LENGTH, '0');
  return `${prefix}${alias.slice(0, head)}.${hash}`;
}
