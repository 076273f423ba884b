import { describe, expect, it } from 'vitest';
import type { HealthAssessment } from '../../src/domain/health-assessment.js';
import type { Verdict } from '../../src/domain/verdict.js';
import type { RecordLagWatch } from '../../src/engine/health-monitor-types.js';
import { unhealthyOf } from '../../src/engine/health-poll-once.js';
import { healthyEnd, holdsPastEnd, obeyOperator, startHold } from '../../src/engine/hold-state.js';
import type { OperatorOrder } from '../../src/engine/operator-control.js';

/** The hold's pure decisions (moved out of health-monitor.ts), each on its own. */
describe('a hold’s state and decisions (hold-state.ts, health-poll-once.ts)', () => {
  it.each([
    // at, hold, interval, gridFrom → end, first poll
    [1_000, 60_000, 20_000, undefined, 61_000, 21_000],
    // A release's shared grid began earlier: the first poll keeps to it.
    [1_000, 60_000, 20_000, 500, 61_000, 20_500],
    // A grid that begins later than the hold is not waited for.
    [1_000, 60_000, 20_000, 5_000, 61_000, 21_000],
  ])(
    'startHold(%i, %i, %i, %s): ends at %i, polls first at %i',
    (at, hold, interval, gridFrom, end, next) => {
      const s = startHold(at, hold, interval, gridFrom);
      expect(s).toMatchObject({ end, nextPoll: next, aliasReadAt: at, pollNow: false, skipped: false });
      expect(holdsPastEnd(s)).toBe(false);
      expect(healthyEnd(s)).toEqual({ kind: 'healthy' });
    },
  );

  it.each([
    ['paused', { pausedLeft: 5_000 }],
    ['unreadable', { unreadable: true }],
    ['unrecorded', { unrecorded: true }],
  ])('holds past its end while %s', (_why, change) => {
    expect(holdsPastEnd({ ...startHold(0, 1_000, 100), ...change })).toBe(true);
  });

  it.each([
    [
      { skipped: true, wasPaused: true },
      { kind: 'healthy', early: 'skipped' },
    ],
    [{ wasPaused: true }, { kind: 'healthy', early: 'paused' }],
  ])('a healthy end says why it came early: %o', (change, outcome) => {
    expect(healthyEnd({ ...startHold(0, 1_000, 100), ...change })).toEqual(outcome);
  });

  const operator = (order: OperatorOrder | undefined) => ({ paused: () => false, take: () => order });
  const behind = (lagging: boolean) => ({ behind: () => lagging }) as unknown as RecordLagWatch;
  const abort: OperatorOrder = { kind: 'abort', by: 'ana@host', reason: 'p99' };
  it.each([
    ['no order', undefined, {}, undefined, false],
    ['a promote', { kind: 'skip' }, {}, { kind: 'healthy', early: 'skipped' }, false],
    // Beside another's hold (--stagger): it ends with that hold, not with a promote.
    ['a promote, alongside', { kind: 'skip' }, { alongside: true }, undefined, false],
    // The next weight waits for the record: remembered, obeyed once a write lands.
    [
      'a promote while the record lags',
      { kind: 'skip' },
      { recordGated: true, lagging: true },
      undefined,
      true,
    ],
    [
      'a promote, the record gated but keeping up',
      { kind: 'skip' },
      { recordGated: true },
      { kind: 'healthy', early: 'skipped' },
      false,
    ],
    // A hold whose end writes no weight (not record-gated) obeys at once, lagging or not.
    [
      'a promote, the record lagging, not gated',
      { kind: 'skip' },
      { lagging: true },
      { kind: 'healthy', early: 'skipped' },
      false,
    ],
    ['an abort', abort, {}, { ...abort, kind: 'aborted' }, false],
    ['an abort, alongside', abort, { alongside: true }, { ...abort, kind: 'aborted' }, false],
  ] as const)('obeyOperator: %s', (_what, order, how, outcome, skipped) => {
    const s = startHold(0, 1_000, 100);
    const h = how as { alongside?: boolean; recordGated?: boolean; lagging?: boolean };
    const got = obeyOperator(s, { operator: operator(order), record: behind(h.lagging === true) }, 0, {
      alongside: h.alongside === true,
      recordGated: h.recordGated === true,
    });
    expect(got).toEqual(outcome);
    expect(s.skipped).toBe(skipped);
  });

  const verdicts: Verdict[] = [{ outcome: 'fail', gate: 'alarms', summary: 'alarm a is ALARM', at: 1 }];
  it.each<[string, HealthAssessment, unknown]>([
    ['continue', { status: 'continue' }, undefined],
    [
      'continue with errors below the limit',
      { status: 'continue', errors: { message: 'x', consecutive: 1, limit: 3 } },
      undefined,
    ],
    [
      'failed',
      {
        status: 'failed',
        reason: 'alarm a is ALARM',
        cause: { code: 'GATE_FAILED', data: { gates: ['alarms'] } },
      },
      {
        kind: 'unhealthy',
        reason: 'alarm a is ALARM',
        cause: { code: 'GATE_FAILED', data: { gates: ['alarms'] } },
        verdicts,
      },
    ],
  ])('unhealthyOf: %s', (_what, assessment, outcome) => {
    expect(unhealthyOf(assessment, verdicts)).toEqual(outcome);
  });
});
