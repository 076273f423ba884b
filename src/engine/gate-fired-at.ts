/**
 * When a failing alarm gate went to ALARM, against the deployment's own span: `lshift check`
 * (check-decide.ts) and `lshift status` (release-member-gate.ts) judge a release's function
 * already back on its stable version by this one rule, so status cannot advise a resume that the
 * next check undoes (found by a hostile pass, session 59), and the words of a rollback do not
 * say "during deployment" of an alarm in ALARM since before it began. Pure.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AlarmState } from '../domain/health-readings.js';
import type { Verdict } from '../domain/verdict.js';

/**
 * Whether the alarm went to ALARM while the deployment's runner could still have been moving
 * traffic: from its start to its last heartbeat plus the stale limit. Only such a failure of a
 * release's function already back on its stable version rolls the release back
 * (check-rollback.ts): once the alias is back, an alarm that fires later judges the stable
 * version's own traffic (a release rolled back for gb's version 1 failing six minutes after a
 * person put gb back), and one in ALARM before the start judged no new code (found by a hostile
 * pass, session 59). Unknown (no transition time): not counted, the release left STALLED.
 */
export function firedWhileItsRunnerRan(
  verdict: Pick<Verdict, 'details'>,
  record: Pick<DeploymentRecord, 'startedAt' | 'heartbeatAt'>,
  staleMs: number,
): boolean {
  const at = alarmFiredAt(verdict);
  return at !== undefined && at >= record.startedAt && at <= record.heartbeatAt + staleMs;
}

/**
 * The failing alarm was in ALARM before the deployment began (`--ignore-initial-alarms` let it
 * start): whatever its action, the words must not say it failed "during" the deployment.
 */
export function firedBeforeStart(
  verdict: Pick<Verdict, 'details'>,
  record: Pick<DeploymentRecord, 'startedAt'>,
): boolean {
  const at = alarmFiredAt(verdict);
  return at !== undefined && at < record.startedAt;
}

/** When the failing alarm went to ALARM: the flap's transition, else the earliest firing alarm's. */
export function alarmFiredAt(verdict: Pick<Verdict, 'details'>): number | undefined {
  const details = verdict.details ?? {};
  const flapped = details.flapped as { at?: number } | undefined;
  if (flapped?.at !== undefined) return flapped.at;
  const states = (Array.isArray(details.alarms) ? details.alarms : []) as AlarmState[];
  const times = states.filter((s) => s.state === 'ALARM').map((s) => s.transitionedAt);
  if (times.length === 0 || times.some((t) => t === undefined)) return undefined;
  return Math.min(...(times as number[]));
}
