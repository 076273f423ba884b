/**
 * What a release's reason says of the functions other than the one that decided it
 * (describe-release.ts): back on their stable versions, found deleted, finished by someone else,
 * or their rollback failed.
 */
import {
  type DeletionData,
  dateDeletion,
  describeDeletedSubject,
  describeDeletionWhen,
} from '../domain/deletion-words.js';
import type { DeployResult } from '../domain/events.js';
import type { ReasonedResult } from './describe-outcome.js';
import { isMovedDuringRollback } from './describe-release-moved.js';
import { isRolledBackByOther } from './describe-release-takers.js';
import { describeResultAlias } from './result-alias.js';

export function isRecordOpen(f: DeployResult): boolean {
  return f.cause?.code === 'ROLLBACK_CONFLICT' && f.cause.data.recordOpen === true;
}

/**
 * A release that failed (exit 1) because one function was deleted rolled the others back: said,
 * or "function fb was deleted…" alone left the reader to find the others' fate in the rows.
 */
export function describeBackOnStable(functions: readonly ReasonedResult[]): string {
  const rolledBack = functions.filter((f) => f.status === 'rolled_back');
  if (rolledBack.length === 0) return '';
  const back = rolledBack.map((f) => f.functionName);
  const names = back.length === 1 ? back[0] : `${back.slice(0, -1).join(', ')} and ${back.at(-1)}`;
  const one = back.length === 1;
  // Deleted before any traffic moved (a wait of the release): the others never left.
  if (rolledBack.every((f) => f.trafficMoved === false)) {
    return `; ${names} ${one ? 'is' : 'are'} unchanged, all traffic still on ${one ? 'its stable version' : 'their stable versions'}`;
  }
  return `; ${names} ${one ? 'is' : 'are'} back on ${one ? 'its stable version' : 'their stable versions'}`;
}

/**
 * Functions (or aliases) the release found deleted when it rolled them back: named in the
 * release's reason, or it reads as if every other function were back, with nothing said of them.
 * When is said only as far as it is known, by the rule and in the words of a single deploy and
 * of the function's progress line (deletion-words.ts).
 */
export function describeDeletedMates(
  functions: ReasonedResult[],
  decider: ReasonedResult | undefined,
): string {
  return functions
    .filter((f) => f !== decider)
    .map((f) => (f.cause?.code === 'ROLLBACK_TARGET_DELETED' ? `; ${describeDeletion(f, f.cause.data)}` : ''))
    .join('');
}

function describeDeletion(f: DeployResult, data: DeletionData): string {
  const gone = describeDeletedSubject(data.what, f.functionName, f.alias);
  return `${describeDeletionWhen(gone, dateDeletion(data), true)}: nothing left to roll back`;
}

/**
 * Functions whose rollback someone else (a check, `lshift rollback`) finished while the release
 * still retried it (`finishedBy`): who, for which, so it is not read as the release's own. The
 * decider's own reason already says it.
 */
export function describeFinishers(
  functions: readonly ReasonedResult[],
  decider: ReasonedResult | undefined,
): string {
  return functions
    .filter((f) => f.finishedBy && f !== decider && !isRolledBackByOther(f))
    .map(
      (f) =>
        `; ${f.finishedBy!.owner} finished the rollback of ${f.functionName} while this lshift was still on it`,
    )
    .join('');
}

/**
 * The other functions whose rollback failed (their alias may still be split): named in the
 * release's reason, not only in their rows — "function fc failed: rolled back …" alone read as
 * a release rolled back cleanly beside exit 4. When the decider's own rollback failed, its
 * reason says so and ends with the fix (the release's `Fix:` covers the others).
 */
export function describeFailedMates(
  functions: ReasonedResult[],
  decider: ReasonedResult | undefined,
): string {
  // A split someone made during its rollback, left (exit 4 since session 67): no rollback failed;
  // its own clause says so (describe-release-moved.ts).
  const mates = functions.filter(
    (f) => f.status === 'unsafe' && f !== decider && !(isMovedDuringRollback(f) && !isRecordOpen(f)),
  );
  if (mates.length === 0 || decider?.status === 'unsafe') return '';
  const each = mates.map((f) => `${f.functionName}:${f.alias}${describeMateAlias(f)}`);
  const whose = mates.length === 1 ? 'the rollback of' : `the rollbacks of ${mates.length} functions,`;
  const its = mates.length === 1 ? 'its traffic' : 'their traffic';
  return `; ${whose} ${each.join(', ')} FAILED: ${its} may still be split and nobody watches it — a human must look`;
}

/**
 * " (alias: version 1 (100%))", or — its alias unread, as after a function that had written none
 * of its weights could not read it — " (alias unread; lshift last saw version 1 (100%))": not a
 * state nobody read said as if it were (session 66).
 */
function describeMateAlias(f: ReasonedResult): string {
  const alias = describeResultAlias(f);
  return alias ? ` (${alias})` : '';
}
