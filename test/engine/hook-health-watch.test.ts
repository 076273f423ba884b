/**
 * Health watched while a step or post-traffic hook runs (src/engine/wait-watch.ts). A step hook
 * runs with the alias split, a post-traffic hook with all traffic on the new version, each for
 * as long as it takes (here `cmd:sleep 600`, ten minutes). Before, no alarm was read meanwhile:
 * an alarm that fired during a step hook was seen at the next hold, one during a post-traffic
 * hook by nobody until a later `lshift check`.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { sleepHook } from './release-takeover-world.js';
import { ALARM, canary, createWorld, linear, request, writesOf } from './world.js';

describe('health during step and post-traffic hooks', () => {
  it('rolls back from a split alias when an alarm fires during a step hook, ending the hook', async () => {
    const w = createWorld();
    const hook = sleepHook(w);
    // Step 1 (20%) holds 60 s; the step hook before 40% starts then, and the alarm fires 2 min in.
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 180_000, reason: 'errors' });
    const result = await runDeploy(
      w.deps,
      request({ ...linear(20, 60), hooks: { step: [cmdHook('sleep 600')] } }),
    );
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED' });
    expect(describeReason(result)).toContain('alarm demo-errors is ALARM: errors');
    expect(hook.signal?.aborted).toBe(true);
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.2 }],
      ['1', {}],
    ]);
    // Within a poll of the alarm, not at the hook's end (600 s after it began).
    const rolledBack = w.sink.ofType('rollback.started')[0]!;
    expect(rolledBack.at - (w.start + 180_000)).toBeLessThanOrEqual(10_000);
    const ended = w.sink.ofType('hook.completed').find((e) => e.hook === 'cmd:sleep 600')!;
    expect(ended).toMatchObject({ ok: false, phase: 'step' });
    expect(ended.reason).toMatch(/^ended: alarm demo-errors is ALARM/);
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'step-hook');
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((e) => e.percent === 20 && e.remainingSeconds === 0)).toBe(true);
  });

  it('rolls back from 100% when an alarm fires during a post-traffic hook, ending the hook', async () => {
    const w = createWorld();
    const hook = sleepHook(w);
    // The canary holds 10% for 60 s, the promote writes 100%, the post-traffic hook starts then.
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 300_000, reason: 'errors' });
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { post: [cmdHook('sleep 600')] } }),
    );
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain('alarm demo-errors is ALARM: errors');
    expect(hook.signal?.aborted).toBe(true);
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['2', {}],
      ['1', {}],
    ]);
    const rolledBack = w.sink.ofType('rollback.started')[0]!;
    expect(rolledBack.at - (w.start + 300_000)).toBeLessThanOrEqual(10_000);
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'post-hook');
    expect(during.length).toBeGreaterThan(0);
    // Alarms only at 100%: the canary analysis judged the new version before it.
    expect(during.every((e) => e.verdicts.every((v) => v.gate === 'alarms'))).toBe(true);
  });

  it('promotes when the health stays good through a long post-traffic hook, which runs to its end', async () => {
    const w = createWorld();
    const hook = sleepHook(w);
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { post: [cmdHook('sleep 600')] } }),
    );
    expect(result.status).toBe('promoted');
    expect(hook.signal?.aborted).toBe(false);
    const ended = w.sink.ofType('hook.completed').find((e) => e.hook === 'cmd:sleep 600')!;
    expect(ended).toMatchObject({ ok: true, phase: 'post' });
    // Polled through the ten minutes, about every poll interval (10 s, plus the world's reads).
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'post-hook');
    expect(during.length).toBeGreaterThanOrEqual(40);
    expect(during.at(-1)!.at - during[0]!.at).toBeGreaterThanOrEqual(570_000);
  });

  it('does not watch during a pre-traffic hook: no traffic has moved', async () => {
    const w = createWorld();
    sleepHook(w);
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { pre: [cmdHook('sleep 600')] } }),
    );
    expect(result.status).toBe('promoted');
    expect(w.sink.ofType('health.polled').some((e) => e.during !== undefined)).toBe(false);
  });
});
