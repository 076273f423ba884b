/**
 * The alarm gate: one DescribeAlarms per poll over the `--alarm` names. Any alarm in ALARM
 * fails the deployment, and so does one that went to ALARM and back since the last poll (its
 * history is read only when its state changed: alarm-flap-check.ts); a read failure or an alarm
 * that disappeared is an `error` (never a pass); INSUFFICIENT_DATA counts as not alarming — a quiet canary often has no datapoints yet,
 * which is what CloudWatch reports then (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation).
 */
import { shortList } from '../domain/short-list.js';
import type { Verdict } from '../domain/verdict.js';
import type { AlarmState, MetricsPort } from '../ports/metrics.js';
import { checkFlaps, withoutChanges } from './alarm-flap-check.js';
import { describeError } from './emit.js';
import type { HealthGate, HealthWindow } from './health-gate.js';

export const ALARM_GATE_NAME = 'alarms';

export interface AlarmGate extends HealthGate {
  /** The alarm states read by the last successful poll (empty before, or when it failed). */
  readonly lastAlarms: AlarmState[];
  /**
   * The last poll left alarm histories to read at the next (over FLAP_READS_PER_POLL): the watch
   * does not end a settle wait early on it (health-monitor.ts).
   */
  readonly readsWaiting: boolean;
  /**
   * When the latest poll that judged every alarm (all OK or INSUFFICIENT_DATA, every changed
   * alarm's history read and quiet) began: every flap that ended before then was seen. Undefined
   * before such a poll. The promotion records it so `lshift check` reads flaps from there, not
   * from the promotion (check-flaps.ts): a flap after this poll and before the promotion write
   * would otherwise be seen by nobody.
   */
  readonly judgedUntil: number | undefined;
}

export function createAlarmGate(metrics: MetricsPort, alarmNames: string[]): AlarmGate {
  const names = [...new Set(alarmNames)];
  let lastAlarms: AlarmState[] = [];
  /** Alarm → its last state change already judged (kept across steps and the bake). */
  const seen = new Map<string, number>();
  let readsWaiting = false;
  let judgedUntil: number | undefined;
  return {
    name: ALARM_GATE_NAME,
    get lastAlarms() {
      return lastAlarms;
    },
    get readsWaiting() {
      return readsWaiting;
    },
    get judgedUntil() {
      return judgedUntil;
    },
    async evaluate(window: HealthWindow): Promise<Verdict[]> {
      readsWaiting = false;
      if (names.length === 0) return [];
      let states: AlarmState[];
      try {
        states = await metrics.describeAlarms(names);
      } catch (error) {
        lastAlarms = [];
        return [readFailure(names, error, window.now)];
      }
      lastAlarms = states;
      const verdict = judgeAlarms(names, states, window.now);
      if (verdict.outcome !== 'pass') return [verdict];
      const check = {
        gate: ALARM_GATE_NAME,
        states,
        deploymentStartedAt: window.deploymentStartedAt,
        now: window.now,
        readAll: window.endOfStep || window.readAllAlarms === true,
      };
      const judged =
        withoutChanges(seen, check, verdict) ?? (await checkFlaps(metrics, seen, check, verdict));
      readsWaiting = judged.outcome === 'inconclusive';
      // The poll's start, not its end: DescribeAlarms answered for some instant after it.
      if (judged.outcome === 'pass') judgedUntil = window.now;
      return [judged];
    },
  };
}

/** One verdict for one read of the alarms. Pure. */
export function judgeAlarms(names: string[], states: AlarmState[], at: number): Verdict {
  const byName = new Map(states.map((s) => [s.name, s]));
  const missing = names.filter((n) => !byName.has(n));
  const firing = states.filter((s) => s.state === 'ALARM');
  const insufficient = states.filter((s) => s.state === 'INSUFFICIENT_DATA').map((s) => s.name);
  const details = {
    alarms: states,
    missing,
    insufficientData: insufficient,
    note: 'INSUFFICIENT_DATA counts as not alarming',
  };
  if (firing.length > 0) {
    return { outcome: 'fail', gate: ALARM_GATE_NAME, summary: describeFiring(firing), details, at };
  }
  if (missing.length > 0) {
    // "Does not exist", not "no longer": `lshift check --alarm <typo>` reads it the first time.
    const list = shortList(missing);
    return {
      outcome: 'error',
      gate: ALARM_GATE_NAME,
      summary: `alarm${missing.length === 1 ? '' : 's'} ${list} ${missing.length === 1 ? 'does' : 'do'} not exist; health cannot be read`,
      details,
      at,
    };
  }
  const ok = names.length - insufficient.length;
  const summary =
    insufficient.length === 0
      ? `${ok} alarm${ok === 1 ? '' : 's'} OK`
      : `${ok} alarm${ok === 1 ? '' : 's'} OK, ${insufficient.join(', ')} INSUFFICIENT_DATA (counted as not alarming)`;
  return { outcome: 'pass', gate: ALARM_GATE_NAME, summary, details, at };
}

function describeFiring(firing: AlarmState[]): string {
  const parts = firing.map((s) => (s.reason ? `${s.name}: ${s.reason}` : s.name));
  if (firing.length === 1) {
    const only = firing[0]!;
    return `alarm ${only.name} is ALARM${only.reason ? `: ${only.reason}` : ''}`;
  }
  const more = parts.length > 10 ? `; and ${parts.length - 10} more` : '';
  return `alarms ${shortList(firing.map((s) => s.name))} are ALARM: ${parts.slice(0, 10).join('; ')}${more}`;
}

function readFailure(names: string[], error: unknown, at: number): Verdict {
  return {
    outcome: 'error',
    gate: ALARM_GATE_NAME,
    summary: `could not read alarm${names.length === 1 ? '' : 's'} ${shortList(names)}: ${describeError(error)}`,
    details: { alarms: names, error: describeError(error) },
    at,
  };
}
