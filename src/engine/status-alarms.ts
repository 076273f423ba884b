/**
 * `lshift status`'s alarm reads: the states it shows (an alarm that cannot be read is UNKNOWN,
 * never OK), and, for a release's function found back on its stable version with nobody driving
 * it, whether its gate failed while its runner ran (release-member-gate.ts).
 */
import type { MetricsPort } from '../ports/metrics.js';
import type { AlarmRead } from './check-alarms.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describeError } from './emit.js';
import { judgeMemberGate } from './release-member-gate.js';
import type { StatusAlarm, StatusDeps, StatusRecord, StatusRequest } from './status-types.js';

/** The alarms as shown, and as read (a release's function back on stable is judged on them). */
export async function readAlarms(
  metrics: MetricsPort,
  alarmNames: string[],
): Promise<{ shown: StatusAlarm[]; read: AlarmRead }> {
  const names = [...new Set(alarmNames)];
  if (names.length === 0) return { shown: [], read: { states: [] } };
  try {
    const states = await metrics.describeAlarms(names);
    const byName = new Map(states.map((s) => [s.name, s]));
    const shown = names.map((name): StatusAlarm => {
      const s = byName.get(name);
      return s
        ? { name, state: s.state, reason: s.reason, updatedAt: s.updatedAt }
        : { name, state: 'UNKNOWN', reason: 'alarm not found' };
    });
    return { shown, read: { states } };
  } catch (error) {
    const reason = `could not read alarms: ${describeError(error)}`;
    const shown = names.map((name): StatusAlarm => ({ name, state: 'UNKNOWN', reason }));
    return { shown, read: { error: describeError(error) } };
  }
}

/**
 * A release's function back on its stable version, nobody driving it: whether its gate failed
 * while its runner ran, by the next check's rule (release-member-gate.ts).
 */
export async function judgeBackMember(
  deps: StatusDeps,
  req: StatusRequest,
  record: StatusRecord,
  alarms: AlarmRead,
): Promise<Pick<StatusRecord, 'releaseGateFailed' | 'releaseGateUnjudged'>> {
  if (!record.releaseId || !record.stale) return {};
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  const member = { record, alarmNames: req.alarms };
  const gate = await judgeMemberGate(deps.metrics, member, alarms, deps.clock.now(), staleMs);
  if ('failed' in gate) return { releaseGateFailed: gate.failed };
  return 'unjudged' in gate ? { releaseGateUnjudged: gate.unjudged } : {};
}
