/**
 * One health poll of a hold (health-monitor.ts): every gate asked at once, the verdicts reported,
 * and the poll judged on the history so far by the domain (assessHealth, src/domain/
 * health-assessment.ts). Apart from the hold's loop, which decides when to poll and what an
 * outcome does to the hold.
 */

import type { WaitBeside } from '../domain/events.js';
import { assessHealth, type HealthPoll } from '../domain/health-assessment.js';
import type { Verdict } from '../domain/verdict.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AlarmGate } from './alarm-gate.js';
import { describeError, emitEvent } from './emit.js';
import type { HealthGate, HealthWindow } from './health-gate.js';
import type { HealthMonitorOptions, WatchWindow } from './health-monitor-types.js';

export class HealthPolls {
  private readonly history: HealthPoll[] = [];
  /**
   * Each gate's verdicts of the last poll that asked it, replaced whole: kept by verdict name, an
   * `error` of an early poll (`analysis`, `async-delivery` while CloudWatch failed) stayed in a
   * promoted result beside the later passes that replaced it under other names, or none (found by
   * a hostile pass: "⚠️ error" rows under a "✅ promoted" heading).
   */
  private readonly latest = new Map<string, Verdict[]>();

  constructor(
    private readonly deps: { clock: Clock; events: EventSink },
    private readonly alarmGate: AlarmGate,
    private readonly gates: readonly HealthGate[],
    private readonly opts: HealthMonitorOptions,
  ) {}

  /** The most recent verdict of each gate. */
  latestVerdicts(): Verdict[] {
    return [...this.latest.values()].flat();
  }

  /**
   * Whether this poll could not read some gate (an `error` verdict below the limit): no hold —
   * a step's, a settle wait's, a bake's — ends on it, or the next weight (100% the worst) was
   * written, or the bake declared healthy, right after a poll that saw nothing (found by a
   * hostile pass: CloudWatch 500s from the settle wait on, `health: unreadable (1/3)`, then
   * `step 4/4: 100%` and `promoted`, exit 0). It polls on until one reads health, or the error
   * limit rolls back. Not when unreadable health is to be ignored (`ignoreHealthErrors`).
   */
  endsOnUnreadable(verdicts: readonly Verdict[]): boolean {
    return !this.opts.ignoreHealthErrors && verdicts.some((v) => v.outcome === 'error');
  }

  report(
    window: WatchWindow,
    verdicts: Verdict[],
    mark: { remainingSeconds: number; alongside?: true; during?: WaitBeside },
  ): void {
    emitEvent(this.deps, {
      type: 'health.polled',
      index: window.stepIndex,
      percent: window.percent,
      alarms: this.alarmGate.lastAlarms,
      verdicts,
      ...mark,
      ...(this.opts.operator?.paused() === true ? { paused: true as const } : {}),
    });
  }

  /** All gates at once (alarms and metrics are independent reads); verdicts keep the gates' order. */
  async poll(window: HealthWindow, alarmsOnly: boolean): Promise<Verdict[]> {
    const gates = alarmsOnly ? [this.alarmGate] : [this.alarmGate, ...this.gates];
    const perGate = await Promise.all(
      gates.map(async (gate): Promise<Verdict[]> => {
        try {
          return await gate.evaluate(window);
        } catch (error) {
          // Gates should return `error` verdicts rather than throw; treat a throw the same way.
          const summary = `gate ${gate.name} could not evaluate: ${describeError(error)}`;
          return [{ outcome: 'error', gate: gate.name, summary, at: window.now }];
        }
      }),
    );
    for (const [i, gate] of gates.entries()) this.latest.set(gate.name, perGate[i] ?? []);
    return perGate.flat();
  }

  /** Adds the poll to the history and asks the domain what it means. */
  assess(verdicts: Verdict[], endOfStep: boolean) {
    // Polls before the last one without an error can no longer change an assessment.
    if (!verdicts.some((v) => v.outcome === 'error')) this.history.length = 0;
    this.history.push({ verdicts, endOfStep });
    const assessment = assessHealth(this.history, this.opts);
    if (assessment.errors) emitEvent(this.deps, { type: 'health.error', ...assessment.errors });
    return assessment;
  }
}
