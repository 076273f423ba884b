/**
 * End reasons lshift writes on an OPEN record as marks that other commands act on, and their short
 * codes in the record's tag (`r=@km`). Written in words, the keep-move mark took 76 of the tag's 256
 * characters (its spaces and comma escaped as `+20`/`+2C`): a long CI owner was then cut, and with
 * its machine token gone only the 3-minute heartbeat rule told whether its run lived (session 65).
 * `@` never starts a reason written in words by lshift; an older record in words reads the same.
 */

/**
 * The end reason a CodeDeploy deploy writes on its open record as it stops its deployment WITHOUT
 * the rollback, to keep a person's move of the alias (settle-conflict.ts stopOnConflict), and leaves when
 * that stop is not seen to end (engine/record-view.ts isKeepMoveUnconfirmed).
 */
export const KEEP_MOVE_UNCONFIRMED_REASON = 'keeping a move by hand, its CodeDeploy stop unconfirmed';

/**
 * The keep-move mark, written instead when the run came to stop the deployment and found CodeDeploy
 * had already ended it Succeeded (its stop refused, DeploymentAlreadyCompletedException, or failed
 * and CodeDeploy read after it): status said "lshift stopped … but did not see the stop end" of a
 * stop CodeDeploy had refused (session 65's note). Read as the mark everywhere (record-view.ts);
 * an lshift older than 5 December 2026 reads `@ks` as an end reason it does not know.
 */
export const KEEP_MOVE_SUCCEEDED_FIRST_REASON =
  'keeping a move by hand, CodeDeploy Succeeded before its stop';

/**
 * The keep-move mark, written instead when the run's stop landed but CodeDeploy's own later step
 * had written over the person's move first (settle-succeeded-over-move.ts endStepOverMove): "did
 * not see the stop end" was false of a stop the run saw end (session 66, F4b). Read as the mark
 * everywhere (record-view.ts); an lshift older than 5 December 2026 reads `@ko` as an end reason it
 * does not know.
 */
export const KEEP_MOVE_STEP_OVER_REASON =
  "keeping a move by hand, CodeDeploy's own step over it before its stop";

/** A Map, not an object: a crafted `r=@constructor` or `r=@__proto__` read a built-in (h2's pass). */
const CODES: ReadonlyMap<string, string> = new Map([
  ['km', KEEP_MOVE_UNCONFIRMED_REASON],
  ['ks', KEEP_MOVE_SUCCEEDED_FIRST_REASON],
  ['ko', KEEP_MOVE_STEP_OVER_REASON],
]);

const CODE_PREFIX = '@';

/** The code written for a known mark, or undefined: the reason is written in words. */
export function endReasonCode(reason: string): string | undefined {
  for (const [code, words] of CODES) if (words === reason) return `${CODE_PREFIX}${code}`;
  return undefined;
}

/** The mark a code stands for; undefined for anything else (written in words, or a code unknown here). */
export function endReasonOfCode(field: string): string | undefined {
  if (!field.startsWith(CODE_PREFIX)) return undefined;
  return CODES.get(field.slice(CODE_PREFIX.length));
}

/**
 * A promoted record closed by hand over lshift's decided rollback (MOVED OVER LSHIFT'S ROLLBACK),
 * whose version a person then kept with `lshift alias` (engine/kept-over-rollback.ts): the reason
 * names who. Still a close by hand (engine/record-view.ts isByHandReason).
 */
export const KEPT_BY_HAND = 'moved by hand, kept by ';

/**
 * Written `r=@kb.<who>`: in words (`moved+20by+20hand+2C+20kept+20by+20…`) it took the room of the
 * record's cause, last in line for room, and with a CI owner and a person's name the cause was
 * dropped (measured: 254 of 256 characters without it). An lshift older than 5 December 2026 shows
 * `@kb.<who>` as an end reason it does not know, the record plainly promoted.
 */
const KEPT_CODE = `${CODE_PREFIX}kb.`;

/** An end reason as the tag writes it (`escapeWords`: the record's text escaping). */
export function encodeEndReason(reason: string, escapeWords: (text: string) => string): string {
  const code = endReasonCode(reason);
  if (code !== undefined) return code;
  if (reason.startsWith(KEPT_BY_HAND)) return `${KEPT_CODE}${escapeWords(reason.slice(KEPT_BY_HAND.length))}`;
  return escapeWords(reason);
}

/** An end reason as the tag wrote it, read back (`unescapeWords`: the record's text unescaping). */
export function decodeEndReason(field: string, unescapeWords: (text: string) => string): string {
  const mark = endReasonOfCode(field);
  if (mark !== undefined) return mark;
  if (field.startsWith(KEPT_CODE)) return `${KEPT_BY_HAND}${unescapeWords(field.slice(KEPT_CODE.length))}`;
  return unescapeWords(field);
}
