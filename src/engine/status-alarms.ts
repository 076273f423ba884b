/**
 * `lshift status`'s alarm reads: the states it shows (an alarm that cannot be read is UNKNOWN,
 * never OK), and, for a release's function found back on its stable version with nobody driving
 * it, whether its gate failed while its runner ran (release-member-gate.ts).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import { mapBounded } from './bounded.js';
import type { AlarmRead } from './check-alarms.js';
import { isReleaseQuiet } from './check-release-close.js';
import { DEFAULT_RELEASE_CONCURRENCY, DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
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
 * while its runner ran, by the next check's rule (release-member-gate.ts), and whether that check
 * would roll the release back for it (none of its other records says it is owned or decided).
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
  if ('passed' in gate) return {};
  // Only a quiet release is rolled back for its gate, by the check's own rule: one a resume
  // drives, or an earlier check was rolling back, is not (its words are the release line's).
  const mates = await readReleaseMates(deps.store, record.releaseId, req.releaseMates);
  if (!isReleaseQuiet(mates, deps.clock.now(), staleMs)) return {};
  return 'failed' in gate ? { releaseGateFailed: gate.failed } : { releaseGateUnjudged: gate.unjudged };
}

/**
 * The records of the release's other functions this status shows (one ListTags each, read only
 * for a function whose gate the next check may judge). One that cannot be read is left out, as
 * the check leaves out a record it could not read when it asks the same question.
 */
async function readReleaseMates(
  store: StateStore | undefined,
  releaseId: string,
  mates: StatusRequest['releaseMates'],
): Promise<DeploymentRecord[]> {
  if (!store || !mates || mates.length === 0) return [];
  const records = await mapBounded(DEFAULT_RELEASE_CONCURRENCY, mates, (m) =>
    store.read(m.functionName, m.alias).catch(() => undefined),
  );
  return records.filter((r): r is DeploymentRecord => r?.releaseId === releaseId);
}
