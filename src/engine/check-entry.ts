/** One line of a check's report (check.ts): the result of one record, and how it is logged. */
import type { CheckAction, CheckDeps, CheckResult } from './check-types.js';
import { logInfo, logWarn } from './emit.js';
import { untrustedRecordError } from './record-trust.js';
import type { ListedRecord } from './tag-state-store.js';

export function entry(
  listed: ListedRecord,
  action: CheckAction,
  reason: string,
  extra: Pick<CheckResult, 'toVersion' | 'stalled'> = {},
): CheckResult {
  const { functionName, alias, record } = listed;
  return {
    functionName,
    alias,
    deploymentId: record.id,
    phase: record.phase,
    action,
    reason,
    ...(extra.toVersion === undefined ? {} : { toVersion: extra.toVersion }),
    ...(extra.stalled ? { stalled: true } : {}),
  };
}

/** The RECORD_INVALID message and hint (tag, how to clear it) as one line of the report. */
export function describeRefusal(listed: ListedRecord, now: number, problem: string): string {
  const error = untrustedRecordError(
    { functionName: listed.functionName, alias: listed.alias, now },
    problem,
  );
  return `${error.message} ${error.hint ?? ''}`.trim();
}

/**
 * Healthy or skipped is a note; anything else (rolled back, failed, unreadable) warns about health.
 * So does a stalled deployment left as it is (healthy alarms, or nothing judged): it is split with
 * nobody driving it and the check exits 4, so its line says `stalled`, not `healthy`.
 */
export function report(deps: CheckDeps, r: CheckResult): void {
  const calm = r.action === 'healthy' || r.action === 'skipped';
  const word = calm && r.stalled ? 'stalled' : r.action.replace('_', ' ');
  const message = `check ${r.functionName}:${r.alias}: ${word} — ${r.reason}`;
  if (calm && !r.stalled) logInfo(deps, message);
  else logWarn(deps, message, 'health');
}
