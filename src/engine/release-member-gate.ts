/**
 * `lshift status` of a release's function found back on its stable version, nobody driving the
 * release: did its own gate fail while its runner could still move traffic? The next `lshift
 * check` rolls the whole release back when it did (check-decide.ts → check-rollback.ts →
 * check-release-verdict.ts), so status must not offer "keep fc on version 1 … then resume fa fb"
 * as if nothing had failed (found by a hostile pass, session 59: status advised the resume, the
 * next check rolled fa, fb and fc back). The same reads and the same rule as the check: the
 * alarms' states, a flap read from their history since the deployment began (check-flaps.ts),
 * and when the alarm went to ALARM (gate-fired-at.ts).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { MetricsPort } from '../ports/metrics.js';
import { judgeAlarms } from './alarm-gate.js';
import type { AlarmRead } from './check-alarms.js';
import { findCheckFlaps } from './check-flaps.js';
import { describeError } from './emit.js';
import { firedWhileItsRunnerRan } from './gate-fired-at.js';

/** Failed: the check's words for it. Unjudged: why status cannot say (a check may still roll back). */
export type MemberGate = { failed: string } | { unjudged: string } | { passed: true };

export async function judgeMemberGate(
  metrics: MetricsPort,
  member: { record: DeploymentRecord; alarmNames: readonly string[] },
  alarms: AlarmRead,
  now: number,
  staleMs: number,
): Promise<MemberGate> {
  const { record } = member;
  const alarmNames = [...member.alarmNames];
  if (alarmNames.length === 0) return { unjudged: 'status was given no alarms to read' };
  if ('error' in alarms) return { unjudged: `its alarms could not be read (${alarms.error})` };
  const flaps = await findCheckFlaps(metrics, [{ kind: 'orphaned', record, alarmNames }], alarms, now).catch(
    (error: unknown) => ({ error }),
  );
  if ('error' in flaps)
    return { unjudged: `its alarms' history could not be read (${describeError(flaps.error)})` };
  const [flap] = flaps;
  const own = alarms.states.filter((s) => alarmNames.includes(s.name));
  const verdict = flap ?? judgeAlarms(alarmNames, own, now);
  if (verdict.outcome === 'error') return { unjudged: verdict.summary };
  if (verdict.outcome === 'fail' && firedWhileItsRunnerRan(verdict, record, staleMs))
    return { failed: verdict.summary.replace(/\.$/, '') };
  return { passed: true };
}
