/**
 * When a function (or alias) found deleted by its rollback went, as far as lshift knows, and the
 * words for it. One rule for a single deploy and for a function of a release, and one place the
 * words come from: the `rollback.failed` progress line (engine/settle-rollback-close.ts), the
 * function's reason and the release's reason (cli/describe-outcome.ts, cli/describe-release.ts)
 * all say the same. Table-tested in test/unit/deletion-words.test.ts.
 *
 * - `shift`: a write of the shift met the deletion first (a heartbeat or record write found the
 *   function gone, or a forward weight write was answered "not found"): it went during the
 *   deployment (the release, for a function of one).
 * - `rollback`: a write of the rollback (its `rolling-back` mark) landed on the function, and the
 *   restore then found it gone: it went during the rollback.
 * - `since-last-write`: only the restore found it gone. It may have gone any time after lshift's
 *   last write to it (a single deploy heartbeats every 30 s, a release each record once a minute).
 */
import { isDeletionMetForward, type OutcomeCause } from './outcome.js';

export type DeletedWhen = 'shift' | 'rollback' | 'since-last-write';

export type DeletionData = Extract<OutcomeCause, { code: 'ROLLBACK_TARGET_DELETED' }>['data'];

/** The words of `sinceLastWrite`: what lshift knows of a deletion only its restore found. */
export const DELETED_SINCE_LAST_WRITE = "deleted after lshift's last write to it";

/** The timing a ROLLBACK_TARGET_DELETED cause's data records (settle-rollback-close.ts writes it). */
export function dateDeletion(data: DeletionData): DeletedWhen {
  if (data.missingBefore || isDeletionMetForward(data.after, data.what)) return 'shift';
  return data.sinceLastWrite ? 'since-last-write' : 'rollback';
}

/**
 * `function fb was deleted during the release`: `subject` is `function <fn>` or `alias <a> of
 * function <fn>`; `inRelease` names the release instead of the deployment, and the release as
 * the one that went to roll it back.
 */
export function describeDeletionWhen(subject: string, when: DeletedWhen, inRelease: boolean): string {
  switch (when) {
    case 'shift':
      return `${subject} was deleted during the ${inRelease ? 'release' : 'deployment'}`;
    case 'rollback':
      return `${subject} was deleted during the rollback`;
    case 'since-last-write':
      return `${subject} was gone when ${inRelease ? 'the release' : 'lshift'} went to roll it back (${DELETED_SINCE_LAST_WRITE})`;
  }
}

/**
 * What found a function of a release deleted mid-release (FUNCTION_DELETED): `a read of its
 * deployment record found no function` (the record is tags on the function).
 */
export function describeDeletionFound(foundBy: 'read' | 'write'): string {
  return `a ${foundBy} of its deployment record found no function`;
}

/**
 * The words of a FUNCTION_DELETED cause, for the function found deleted (`own`) and for the
 * others of its release, stopped for it: `function fb was deleted during the release: a read of
 * its deployment record found no function`, and for the others `function fb failed: …`. The
 * function's reason (cli/describe-outcome.ts), and through it the GitHub summaries, say these.
 */
export function describeFunctionDeleted(
  data: { foundBy: 'read' | 'write'; functionName: string },
  own: boolean,
): string {
  const deleted = describeDeletionWhen(`function ${data.functionName}`, 'shift', true);
  const words = `${deleted}: ${describeDeletionFound(data.foundBy)}`;
  return own ? words : `function ${data.functionName} failed: ${words}`;
}

/** `function demo` or `alias live of function demo`. */
export function describeDeletedSubject(
  what: 'function' | 'alias',
  functionName: string,
  alias: string,
): string {
  return what === 'function' ? `function ${functionName}` : `alias ${alias} of function ${functionName}`;
}
