/**
 * The record's `aj=`: how long before its end (`e=`) the deployment's alarm polls last judged
 * every alarm (DeploymentRecord.alarmsJudgedUntil), in whole seconds, base 36. Relative to the
 * end and in seconds it takes 1–3 characters where an absolute time takes 8: the record's head
 * is never cut for room, and a long strategy needs every character (RECORD_TOO_LARGE).
 */
import { corrupt, type DecodeRecordContext, decodeInteger, encodeInteger } from './record-text.js';

/**
 * The largest gap written (5 base-36 digits, 700 days): the room the size check reserves
 * (deploy.ts, draftRecord). CloudWatch keeps an alarm's history for 14 days
 * (https://aws.amazon.com/blogs/mt/extending-and-exploring-alarm-history-in-amazon-cloudwatch-part-1/),
 * so a longer gap cut to this one reads nothing less; `check` never reads from before the
 * deployment's start anyway (check-flaps.ts).
 */
export const MAX_JUDGED_GAP_SECONDS = 36 ** 5 - 1;

/** `aj=…` for a record that ended and says when its polls judged; none otherwise. */
export function encodeJudgedGap(endedAt: number | undefined, judgedUntil: number | undefined): string[] {
  if (endedAt === undefined || judgedUntil === undefined) return [];
  // Rounded up: the instant read back is never later than the one the polls judged.
  const seconds = Math.ceil(Math.max(0, endedAt - judgedUntil) / 1000);
  return [`aj=${encodeInteger(Math.min(seconds, MAX_JUDGED_GAP_SECONDS), 'alarmsJudgedUntil', 36)}`];
}

/** The instant `aj=` says, or undefined without one; `aj=` without `e=` is corrupt. */
export function decodeJudgedGap(
  text: string | undefined,
  endedAt: number | undefined,
  value: string,
  where: DecodeRecordContext,
): number | undefined {
  if (text === undefined) return undefined;
  if (endedAt === undefined) throw corrupt(value, `has \`aj=${text}\` but no end time \`e=\``, where);
  return endedAt - decodeInteger(text, 36, value, where) * 1000;
}
