/**
 * An alarm that fires while the pre-traffic hooks run (a `lambda:` hook may run 15 minutes) stops
 * the deployment before its first weight write: the alarms are read once more after the hooks
 * (one DescribeAlarms for all of them), and one in ALARM ends it with nothing moved — rolled
 * back (exit 3), GATE_FAILED, the alarm named. Before, it was first seen at the first hold's poll,
 * with 10% of the traffic already on the new version.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALARM, createWorld, driven, linear, request, type World } from './world.js';

const HOOK_MS = 900_000;

function slowHook(w: World, ms: number) {
  return () =>
    new Promise<HookResult>((resolve) => {
      w.clock.after(ms, () => resolve({ ok: true, durationMs: ms }));
    });
}

describe('an alarm in ALARM when the pre-traffic hooks end', () => {
  it('fired during a 15-minute pre-traffic hook: no weight is written, rolled back with nothing moved', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, HOOK_MS));
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 300_000, reason: 'errors > 5' });
    const result = await driven(
      w,
      runDeploy(w.deps, request({ ...linear(10, 60), hooks: { pre: [cmdHook('slow')] } })),
    );

    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(false);
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED', data: { gates: ['alarms'] } });
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    const reason = describeReason(result);
    expect(reason).toBe(
      'stopped before the first weight write: when the pre-traffic hooks ended, alarm demo-errors is ALARM: errors > 5; no traffic was moved',
    );
    // The preflight's read and the one after the hooks.
    expect(w.metrics.callsOf('describeAlarms')).toHaveLength(2);
  });

  it('all quiet after the hooks: one read more, and the shift goes on', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    const result = await driven(
      w,
      runDeploy(w.deps, request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } })),
    );
    expect(result.status).toBe('promoted');
    const beforeFirstWrite = w.lambda.callsOf('updateAlias')[0]!.at;
    expect(w.metrics.callsOf('describeAlarms').filter((c) => c.at <= beforeFirstWrite)).toHaveLength(2);
  });

  it('no alarms to watch: no read at all', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    const req = request({ ...linear(50, 60), alarms: [], hooks: { pre: [cmdHook('slow')] } });
    const result = await driven(w, runDeploy(w.deps, req));
    expect(result.status).toBe('promoted');
    expect(w.metrics.callsOf('describeAlarms')).toEqual([]);
  });

  it('no pre-traffic hook: no read beyond the preflight (it was just made)', async () => {
    const w = createWorld({ auto: false });
    const result = await driven(w, runDeploy(w.deps, request(linear(50, 60))));
    expect(result.status).toBe('promoted');
    const beforeFirstWrite = w.lambda.callsOf('updateAlias')[0]!.at;
    expect(w.metrics.callsOf('describeAlarms').filter((c) => c.at <= beforeFirstWrite)).toHaveLength(1);
  });

  it('--ignore-initial-alarms: warned, and the first weight is written (the holds judge it)', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 30_000, reason: 'errors > 5' });
    const req = request({ ...linear(50, 60), ignoreInitialAlarms: true, hooks: { pre: [cmdHook('slow')] } });
    const result = await driven(w, runDeploy(w.deps, req));
    expect(result.trafficMoved).toBe(true);
    expect(result.cause?.code).toBe('GATE_FAILED');
    const warned = w.sink
      .ofType('log')
      .filter((e) => e.level === 'warn')
      .map((e) => e.message);
    expect(warned).toContain(
      'when the pre-traffic hooks ended, alarm demo-errors is ALARM: errors > 5; the first weight is written anyway (--ignore-initial-alarms)',
    );
  });

  it('unreadable after the hooks: tried again a poll apart, then stopped with nothing moved (never taken as quiet)', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    // The preflight's read is the first; every read after it fails.
    w.metrics.fail({ op: 'describeAlarms', nth: 2, times: Number.POSITIVE_INFINITY });
    const req = request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } });
    const result = await driven(w, runDeploy(w.deps, req));
    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(false);
    expect(result.cause).toMatchObject({ code: 'HEALTH_UNREADABLE', data: { consecutive: 3, limit: 3 } });
    expect(describeReason(result)).toMatch(
      /^stopped before the first weight write: could not read the alarms when the pre-traffic hooks ended \(3 of 3 attempts\): .*; no traffic was moved$/,
    );
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    const reads = w.metrics.callsOf('describeAlarms').slice(1);
    expect(reads.map((c) => c.at - reads[0]!.at)).toEqual([0, 10_000, 20_000]);
  });

  it('unreadable once, then read quiet: the shift goes on', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    w.metrics.fail({ op: 'describeAlarms', nth: 2, times: 1 });
    const req = request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } });
    const result = await driven(w, runDeploy(w.deps, req));
    expect(result.status).toBe('promoted');
  });
});
