/**
 * The owner field of a deployment record (`o=`): who runs the deployment, kept readable without
 * escapes and short, so the rest of the 256 characters go to older history entries.
 */
import { PLAIN } from './record-text.js';

/** Owner gets at most this many characters; what is left goes to older history entries. */
export const MAX_OWNER_LENGTH = 64;

/**
 * The owner as a record stores it (encodeRecord): characters a tag cannot hold replaced, cut to
 * MAX_OWNER_LENGTH. A claimer compares the owner it reads back with this, not with its own
 * longer or unsanitised name, which would never match.
 */
export function recordableOwner(owner: string): string {
  return sanitizeOwner(owner).slice(0, MAX_OWNER_LENGTH);
}

/** Keeps the owner readable without escapes: anything outside the plain set becomes `_`. */
export function sanitizeOwner(owner: string): string {
  return Array.from(owner, (char) => (PLAIN.test(char) ? char : '_')).join('');
}
