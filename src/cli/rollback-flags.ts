/** `lshift rollback`'s flag checks, made before any AWS call. */

import { ECHO_MAX_CHARS, echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { countCharacters } from '../domain/operator-command.js';
import { hasVisibleText } from '../domain/printable.js';
import { isPublishedVersionNumber } from '../domain/version-number.js';

/**
 * The reason is repeated in the result (the text output, `--json`, a release's every function), so
 * it is bounded like any user text lshift repeats (echoInput's 200 characters), counted as a reader
 * counts them (an emoji is one). Refused rather than cut: a cut reason may say something else, and
 * nothing has changed yet.
 */
export const MAX_ROLLBACK_REASON_LENGTH = ECHO_MAX_CHARS;

/** Before any AWS call: an empty or overlong reason (MAX_ROLLBACK_REASON_LENGTH). */
export function refuseLongReason(reason: string): void {
  const length = countCharacters(reason.trim());
  if (length >= 1 && !hasVisibleText(reason)) throw invisibleReason();
  if (length >= 1 && length <= MAX_ROLLBACK_REASON_LENGTH) return;
  throw new UsageError(
    'INVALID_FLAG',
    `--reason must be 1 to ${MAX_ROLLBACK_REASON_LENGTH} characters (got ${length}).`,
    { hint: 'It is repeated in the result and in CI logs: say why in one short line, and link to the rest.' },
  );
}

/** A --reason of blanks and invisible characters only (a zero-width space): it reads as empty. */
export function invisibleReason(): UsageError {
  return new UsageError(
    'INVALID_FLAG',
    '--reason shows nothing: it holds only blanks or invisible characters (a zero-width space, a joiner).',
    {
      hint: 'Say why in a few plain words: it is printed in the result, the deployment record and CI logs.',
    },
  );
}

/** `--to ''` (an unset variable), `0`, `1.5`: refused before any AWS call, as deploy's --version is. */
export function refuseBadTargetVersion(to: string | undefined): void {
  if (to === undefined || isPublishedVersionNumber(to)) return;
  throw new UsageError('INVALID_FLAG', `--to must be a published version number, not "${echoInput(to)}".`, {
    hint: 'Pass the number of the version to put all traffic on (`lshift status <function>` shows the stable one).',
  });
}
