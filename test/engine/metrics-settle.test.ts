import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { DATA_THROUGH_KEY, settleState } from '../../src/domain/analysis/settle.js';
import type { Plan } from '../../src/domain/plan.js';
import type { Verdict } from '../../src/domain/verdict.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HealthGate, HealthWindow } from '../../src/engine/health-gate.js';
import { allAtOnce, canary, createWorld, request } from './world.js';

const MINUTE = 60_000;

/** A gate whose metrics arrive `lagMs` after each minute ends; it fails when `fails(win)` says so. */
function laggingGate(lagMs: number, fails: (win: HealthWindow) => boolean = () => false): HealthGate {
  return {
    name: 'analysis',
    evaluate: async (win): Promise<Verdict[]> => {
      const through = Math.floor((win.now - lagMs) / MINUTE) * MINUTE;
      return [
        {
          outcome: fails(win) ? 'fail' : 'pass',
          gate: 'error-rate-increase',
          summary: fails(win) ? 'worse' : 'fine',
          details: { [DATA_THROUGH_KEY]: through },
          at: win.now,
        },
      ];
    },
  };
}

function withSettle(p: { plan: Plan }, settleSeconds: number) {
  return { ...p, plan: { ...p.plan, settleSeconds } };
}

describe('settleState', () => {
  const T = Date.parse('2030-05-01T12:05:20Z');
  const verdicts = (through: number | null): Verdict[] => [
    { outcome: 'pass', gate: 'alarms', summary: '', at: 0 },
    {
      outcome: 'inconclusive',
      gate: 'error-rate-increase',
      summary: '',
      details: { [DATA_THROUGH_KEY]: through },
      at: 0,
    },
  ];

  it.each([
    [null, 'waiting'], // the analysis has no data yet
    [Date.parse('2030-05-01T12:05:00Z'), 'waiting'], // only up to 12:04 delivered
    [Date.parse('2030-05-01T12:06:00Z'), 'arrived'], // 12:05, the minute the step ended in
    [Date.parse('2030-05-01T12:07:00Z'), 'arrived'],
  ] as const)('data through %s → %s', (through, state) => {
    expect(settleState(verdicts(through), T)).toBe(state);
  });

  it('a step ending exactly on a minute needs the minute before it', () => {
    const end = Date.parse('2030-05-01T12:05:00Z');
    expect(settleState(verdicts(end), end)).toBe('arrived');
  });

  it('without an analysis verdict nothing measures arrival', () => {
    expect(settleState([{ outcome: 'pass', gate: 'alarms', summary: '', at: 0 }], T)).toBe('unmeasured');
  });
});

describe('runDeploy: the settle wait before 100%', () => {
  it('holds the last weight until the last step minutes have arrived, then writes 100%', async () => {
    const w = createWorld();
    const result = await runDeploy(
      { ...w.deps, gates: [laggingGate(2 * MINUTE)] },
      request(withSettle(canary(10, 300), 240)),
    );
    expect(result.status).toBe('promoted');
    const writes = w.lambda.callsOf('updateAlias');
    // The 10% step ends at +300 s; its last minute (+240 s to +300 s) is delivered 2 minutes
    // after it ends, at +420 s: the first poll at or after that ends the settle.
    expect(writes[1]!.at - w.start).toBe(420_000);
    const logs = w.sink.ofType('log').map((e) => e.message);
    expect(logs).toContain("settle: held 10% for 120 s until CloudWatch had the last step's minutes");
  });

  it('also holds the plan extra minutes at the last weight, and waits for their data too', async () => {
    const w = createWorld();
    const base = withSettle(canary(10, 300), 360);
    const result = await runDeploy(
      { ...w.deps, gates: [laggingGate(2 * MINUTE)] },
      request({ ...base, plan: { ...base.plan, settleExtraMinutes: 2 } }),
    );
    expect(result.status).toBe('promoted');
    // Step ends at +300 s; 2 more minutes at 10% end at +420 s; their last minute (+360 s to
    // +420 s) is delivered 2 minutes later, at +540 s.
    expect(w.lambda.callsOf('updateAlias')[1]!.at - w.start).toBe(540_000);
    expect(w.sink.ofType('log').map((e) => e.message)).toContain(
      "settle: held 10% for 240 s until CloudWatch had the last step's minutes and 2 more",
    );
  });

  it('stops at the longest settle when the metrics do not arrive, and says so', async () => {
    const w = createWorld();
    const result = await runDeploy(
      { ...w.deps, gates: [laggingGate(60 * MINUTE)] },
      request(withSettle(canary(10, 300), 120)),
    );
    expect(result.status).toBe('promoted');
    expect(w.lambda.callsOf('updateAlias')[1]!.at - w.start).toBe(420_000);
    expect(w.sink.warnings()).toContainEqual({
      message: "settle: held 10% for 120 s (the longest settle); the last step's minutes had not all arrived",
      about: 'analysis',
    });
  });

  it('rolls back on a failure found while settling, before 100% is written', async () => {
    const w = createWorld();
    const result = await runDeploy(
      { ...w.deps, gates: [laggingGate(2 * MINUTE, (win) => win.now - w.start > 330_000)] },
      request(withSettle(canary(10, 300), 240)),
    );
    expect(result.status).toBe('rolled_back');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(2); // the 10% write and the rollback
    // The hold had ended: "at step 1 (10%)" alone read as a failure within it.
    expect(describeReason(result)).toBe(
      'rolled back at step 1 (10%), during the settle wait: error-rate-increase: worse',
    );
  });

  it('without the analysis gate, no settle (alarms alone cannot tell when metrics arrived)', async () => {
    const w = createWorld();
    await runDeploy(w.deps, request(withSettle(canary(10, 300), 240)));
    expect(w.lambda.callsOf('updateAlias')[1]!.at - w.start).toBe(300_000);
  });

  it('no settle without one in the plan', async () => {
    const w = createWorld();
    await runDeploy({ ...w.deps, gates: [laggingGate(2 * MINUTE)] }, request(canary(10, 300)));
    expect(w.lambda.callsOf('updateAlias')[1]!.at - w.start).toBe(300_000);
  });
});

describe('runDeploy: the settle wait at the end of an all-at-once bake', () => {
  it('writes 100% at once, then waits after the bake for its last minutes before calling it complete', async () => {
    const w = createWorld();
    const result = await runDeploy(
      { ...w.deps, gates: [laggingGate(2 * MINUTE)] },
      request({ ...withSettle(allAtOnce(), 240), bakeSeconds: 300 }),
    );
    expect(result.status).toBe('promoted');
    // Nothing precedes 100%: no settle before the promote.
    expect(w.lambda.callsOf('updateAlias')[0]!.at - w.start).toBe(0);
    // The bake ends at +300 s; its last minute is delivered 2 minutes later, at +420 s.
    const completed = w.sink.ofType('bake.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.at - w.start).toBe(420_000);
  });
});
