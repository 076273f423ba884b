import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import type { Verdict } from '../../src/domain/verdict.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HealthGate, HealthWindow } from '../../src/engine/health-gate.js';
import { ALARM, ALIAS, canary, createWorld, FN, linear, request, writesOf } from './world.js';

function scriptedGate(
  name: string,
  outcome: (win: HealthWindow) => Verdict['outcome'],
  log?: string[],
): HealthGate {
  return {
    name,
    evaluate: async (win) => {
      log?.push(name);
      return [{ outcome: outcome(win), gate: name, summary: `${name} says ${outcome(win)}`, at: win.now }];
    },
  };
}

describe('runDeploy: health', () => {
  it('rolls back when an alarm fires at step 2, naming the alarm, the step and the weight', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000, reason: 'Threshold Crossed: 5 errors' });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(describeReason(result)).toBe(
      'rolled back at step 2 (20%): alarm demo-errors is ALARM: Threshold Crossed: 5 errors',
    );
    expect(writesOf(w.lambda)).toEqual([
      ['1', { '2': 0.1 }, 'rev-4'],
      ['1', { '2': 0.2 }, 'rev-5'],
      ['1', {}, 'rev-6'],
    ]);
    // The rollback happened at the first poll that saw the alarm (t = 90 s), not at the end of the step.
    expect(w.lambda.callsOf('updateAlias')[2]?.at).toBe(w.start + 90_000);
    expect(result.steps.map((s) => [s.percent, s.result])).toEqual([
      [10, 'completed'],
      [20, 'failed'],
    ]);
    expect(result.verdicts).toEqual([expect.objectContaining({ gate: 'alarms', outcome: 'fail' })]);
    // Which function and alias go back: `lshift rollback`'s and `check`'s event streams have no
    // shift.started to say it.
    expect(w.sink.ofType('rollback.started')[0]).toMatchObject({
      functionName: FN,
      alias: ALIAS,
      fromPercent: 20,
      toVersion: '1',
    });
    expect(w.sink.types()).toContain('rollback.completed');
    expect(w.store.phases()).toEqual(['started', 'shifting', 'rolling-back', 'rolled-back']);
  });

  it('rolls back when an alarm went to ALARM and back to OK between two polls (a 10-second alarm)', async () => {
    const w = createWorld();
    // Polls every 10 s: at 80 s and 90 s; the alarm was ALARM from 82 s to 88 s.
    w.metrics
      .setAlarm(ALARM, 'ALARM', { at: w.start + 82_000, reason: 'Threshold Crossed: 3 errors in 10 s' })
      .setAlarm(ALARM, 'OK', { at: w.start + 88_000 });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe(
      `rolled back at step 2 (20%): alarm demo-errors went to ALARM at ${new Date(w.start + 82_000).toISOString()} ` +
        '(Threshold Crossed: 3 errors in 10 s) and cleared before the next poll (OK now)',
    );
    // Seen at the poll after the flap (t = 90 s), with one history read: only that poll asked,
    // from the last change already judged (none since the deployment began) to the new one. The
    // read before it is the preflight's (alarm-history: may the gate read it at all).
    expect(w.lambda.callsOf('updateAlias')[2]?.at).toBe(w.start + 90_000);
    expect(w.metrics.callsOf('describeAlarmHistory').map((c) => c.args)).toEqual([
      [ALARM, w.start - 60_000, w.start],
      // 1 s past the change: a history item's timestamp may differ from DescribeAlarms' by ms.
      [ALARM, w.start, w.start + 89_000],
    ]);
  });

  it('rolls back after 3 consecutive alarm-read failures ("health unreadable")', async () => {
    const w = createWorld();
    w.metrics.fail({ op: 'describeAlarms', nth: 2, times: 3 });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toMatch(
      /^rolled back at step 1 \(10%\): health unreadable: 3 consecutive polls failed \(limit 3\): could not read alarm demo-errors: THROTTLED/,
    );
    expect(w.sink.ofType('health.error').map((e) => [e.consecutive, e.limit])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['1', {}],
    ]);
  });

  it('does not roll back after 2 failures followed by a success (the count resets)', async () => {
    const w = createWorld();
    w.metrics.fail({ op: 'describeAlarms', nth: 2, times: 2 });
    w.metrics.fail({ op: 'describeAlarms', nth: 5, times: 2 });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result.status).toBe('promoted');
    expect(w.sink.ofType('health.error').map((e) => e.consecutive)).toEqual([1, 2, 1, 2]);
  });

  it('keeps going on unreadable health with ignoreHealthErrors, still reporting every error', async () => {
    const w = createWorld();
    w.metrics.fail({ op: 'describeAlarms', nth: 2, times: Number.POSITIVE_INFINITY });
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), ignoreHealthErrors: true }));
    expect(result.status).toBe('promoted');
    expect(w.sink.ofType('health.error')).toHaveLength(6);
    expect(result.verdicts[0]?.outcome).toBe('error');
  });

  it('treats an alarm that disappeared mid-shift as unreadable health, not as healthy', async () => {
    const w = createWorld();
    w.metrics.deleteAlarm(ALARM, w.start + 5_000);
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain('alarm demo-errors does not exist');
  });

  it('rolls back during the bake: FunctionVersion back to stable, routing cleared', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 60_000 + 95_000, reason: 'p99 too high' });
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), bakeSeconds: 300 }));

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe(
      'rolled back during the bake (100%): alarm demo-errors is ALARM: p99 too high',
    );
    expect(writesOf(w.lambda)).toEqual([
      ['1', { '2': 0.1 }, 'rev-4'],
      ['2', {}, 'rev-5'],
      ['1', {}, 'rev-6'],
    ]);
    expect(w.sink.ofType('rollback.started')[0]).toMatchObject({ fromPercent: 100 });
    expect(w.store.phases()).toEqual(['started', 'shifting', 'baking', 'rolling-back', 'rolled-back']);
    expect(w.sink.types()).not.toContain('bake.completed');
  });

  it('rolls back at the end of a step when a gate stays inconclusive and onInconclusive is fail', async () => {
    const w = createWorld();
    const gate = scriptedGate('error-rate-increase', () => 'inconclusive');
    const result = await runDeploy(
      { ...w.deps, gates: [gate] },
      request({ ...canary(10, 60), onInconclusive: 'fail' }),
    );

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe(
      'rolled back at step 1 (10%): inconclusive at the end of the step (--on-inconclusive fail): error-rate-increase: error-rate-increase says inconclusive',
    );
    // Decided at the end of the step: all 6 polls ran.
    expect(w.sink.ofType('health.polled')).toHaveLength(6);
    expect(w.lambda.callsOf('updateAlias')[1]?.at).toBe(w.start + 60_000);
  });

  it('still makes an end-of-step poll when a slow poll overran the end of the hold', async () => {
    const w = createWorld();
    const ends: boolean[] = [];
    // Each evaluation takes 25 s of clock time: the poll started at 50 s ends at 75 s, past the hold.
    const slow: HealthGate = {
      name: 'error-rate-increase',
      evaluate: async (win) => {
        await w.clock.sleep(25_000);
        ends.push(win.endOfStep);
        return [{ outcome: 'inconclusive', gate: 'error-rate-increase', summary: 'too few', at: win.now }];
      },
    };
    const result = await runDeploy(
      { ...w.deps, gates: [slow] },
      request({ ...canary(10, 60), onInconclusive: 'fail' }),
    );
    expect(ends.at(-1)).toBe(true);
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain('inconclusive at the end of the step');
  });

  it('continues through inconclusive verdicts by default', async () => {
    const w = createWorld();
    const gate = scriptedGate('error-rate-increase', () => 'inconclusive');
    const result = await runDeploy({ ...w.deps, gates: [gate] }, request(canary(10, 60)));
    expect(result.status).toBe('promoted');
  });

  it('polls the alarm gate first, then the extra gates, and rolls back on any gate failing', async () => {
    const w = createWorld();
    const order: string[] = [];
    w.metrics.describeAlarms = ((orig) => async (names: string[]) => {
      order.push('alarms');
      return orig(names);
    })(w.metrics.describeAlarms.bind(w.metrics));
    const analysis = scriptedGate(
      'analysis',
      (win) => (win.now - w.start >= 30_000 ? 'fail' : 'pass'),
      order,
    );
    const result = await runDeploy({ ...w.deps, gates: [analysis] }, request(canary(10, 60)));

    expect(order).toEqual(['alarms', 'alarms', 'analysis', 'alarms', 'analysis', 'alarms', 'analysis']);
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe('rolled back at step 1 (10%): analysis: analysis says fail');
    expect(result.verdicts.map((v) => `${v.gate}:${v.outcome}`)).toEqual(['alarms:pass', 'analysis:fail']);
  });

  it('counts a gate that throws as an error verdict', async () => {
    const w = createWorld();
    const broken: HealthGate = {
      name: 'broken',
      evaluate: async () => {
        throw new Error('boom');
      },
    };
    const result = await runDeploy({ ...w.deps, gates: [broken] }, request(canary(10, 60)));
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain('health unreadable');
    expect(describeReason(result)).toContain('gate broken could not evaluate: boom');
  });
});
