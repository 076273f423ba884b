/** One line of a check's report (check.ts): the result of one record, and how it is logged. */
import { describeClearRecordCommand } from '../domain/record-tag.js';
import type { Clock } from '../ports/clock.js';
import type { CheckAction, CheckDeps, CheckResult } from './check-types.js';
import { logInfo, logWarn } from './emit.js';
import type { ListedRecord } from './record-listing.js';
import { untrustedRecordError } from './record-trust.js';

/**
 * A stalled deployment left as it is (alarms OK, or nothing judged: a promote over a split alias)
 * is `stalled`, never `healthy` or `skipped`: a script reading only `action` must not take a
 * split alias nobody drives for a healthy one (the check exits 4 for it). `stalled: true` stays
 * on it, and on the other actions of a stalled deployment (rolled back, failed, error).
 */
export function entry(
  listed: ListedRecord,
  action: CheckAction,
  reason: string,
  extra: Pick<
    CheckResult,
    'toVersion' | 'stalled' | 'movedByHand' | 'unjudged' | 'movedSince' | 'releaseGateFailed'
  > = {},
): CheckResult {
  const { functionName, alias, record } = listed;
  const leftStalled = extra.stalled === true && (action === 'healthy' || action === 'skipped');
  return {
    functionName,
    alias,
    deploymentId: record.id,
    phase: record.phase,
    action: leftStalled ? 'stalled' : action,
    reason,
    ...(extra.toVersion === undefined ? {} : { toVersion: extra.toVersion }),
    ...(extra.stalled ? { stalled: true } : {}),
    ...(extra.movedByHand ? { movedByHand: true } : {}),
    ...(extra.releaseGateFailed ? { releaseGateFailed: extra.releaseGateFailed } : {}),
    ...(extra.unjudged ? { unjudged: true } : {}),
    ...(extra.movedSince ? { movedSince: extra.movedSince } : {}),
  };
}

/** The RECORD_INVALID message and hint (tag, how to clear it) as one line of the report. */
export function describeRefusal(
  listed: ListedRecord,
  now: number,
  problem: string,
  clock: Pick<Clock, 'followsSandbox'>,
): string {
  const error = untrustedRecordError(
    {
      functionName: listed.functionName,
      alias: listed.alias,
      now,
      sandboxClock: clock.followsSandbox === true,
    },
    problem,
  );
  return `${error.message} ${error.hint ?? ''}`.trim();
}

/**
 * Healthy or skipped is a note; anything else (rolled back, failed, unreadable, stalled: split
 * with nobody driving it, exit 4) warns about health.
 */
export function report(deps: CheckDeps, r: CheckResult): void {
  const what = r.action === 'healthy' && r.unjudged ? 'unjudged' : r.action.replace('_', ' ');
  const message = `check ${r.functionName}:${r.alias}: ${what} — ${r.reason}`;
  if (r.action === 'healthy' && r.unjudged) logWarn(deps, message, 'health');
  else if (r.action === 'healthy' || r.action === 'skipped') logInfo(deps, message);
  else logWarn(deps, message, 'health');
}

/**
 * An unfinished deployment whose alias was deleted (by hand, a stack teardown): nothing is split
 * and nothing can be rolled back, so it is no stalled deployment (exit 4) but an error (exit 1),
 * as a rollback that finds the alias deleted under it ends; its record stays on the function
 * until deleted, so the words name the command that deletes it.
 */
export function describeAliasGone(c: { functionName: string; alias: string }): string {
  return (
    `alias ${c.alias} of function ${c.functionName} no longer exists: nothing is split and there is nothing to roll back; ` +
    `its deployment record stays on the function until you delete it: \`${describeClearRecordCommand(c.functionName, c.alias)}\``
  );
}
