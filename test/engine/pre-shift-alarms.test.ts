/**
 * An alarm that fires while the pre-traffic hooks run (a `lambda:` hook may run 15 minutes) stops
 * the deployment before its first weight write: the alarms are read once more after the hooks
 * (one DescribeAlarms for all of them), and one in ALARM ends it with nothing moved — rolled
 * back (exit 3), GATE_FAILED, the alarm named. Before, it was first seen at the first hold's poll,
 * with 10% of the traffic already on the new version.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { BEAT_BESIDE_CALL_MS } from '../../src/engine/beating-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  driven,
  FN,
  linear,
  request,
  sendCommandAt,
  type World,
} from './world.js';

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

/** `--warm` (temporary provisioned concurrency of 1 on version 2) that allocates for `minutes`. */
function warming(w: World, minutes: number): void {
  w.lambda.setProvisionedConcurrency(FN, '1', 10);
  w.lambda.setPcAfterPut(FN, '2', Array<'IN_PROGRESS'>(minutes * 12).fill('IN_PROGRESS'));
}

const pcCalls = (w: World) =>
  w.lambda.calls
    .filter((c) =>
      ['putProvisionedConcurrency', 'deleteProvisionedConcurrency', 'updateAlias'].includes(c.op),
    )
    .map((c) => c.op);

describe('an alarm in ALARM when the --warm wait ends', () => {
  it('fired during an 8-minute --warm wait: no weight is written, the temporary config removed, rolled back with nothing moved', async () => {
    const w = createWorld({ auto: false });
    warming(w, 8);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 120_000, reason: 'errors > 5' });
    const result = await driven(w, runDeploy(w.deps, request({ ...linear(10, 60), warm: true })));

    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(false);
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED', data: { gates: ['alarms'] } });
    expect(describeReason(result)).toBe(
      'stopped before the first weight write: when the --warm wait ended, alarm demo-errors is ALARM: errors > 5; no traffic was moved',
    );
    expect(pcCalls(w)).toEqual(['putProvisionedConcurrency', 'deleteProvisionedConcurrency']);
    // The preflight's read and the one after the wait.
    expect(w.metrics.callsOf('describeAlarms')).toHaveLength(2);
  });

  it('all quiet after the wait: one read more, and the shift goes on', async () => {
    const w = createWorld({ auto: false });
    warming(w, 1);
    const result = await driven(w, runDeploy(w.deps, request({ ...linear(50, 60), warm: true })));
    expect(result.status).toBe('promoted');
    const beforeFirstWrite = w.lambda.callsOf('updateAlias')[0]!.at;
    const reads = w.metrics.callsOf('describeAlarms').filter((c) => c.at <= beforeFirstWrite);
    expect(reads).toHaveLength(2);
    expect(reads[1]!.at).toBeGreaterThanOrEqual(
      w.lambda.callsOf('putProvisionedConcurrency')[0]!.at + 60_000,
    );
  });

  it('a pre-traffic hook follows the wait: read once, when the hooks end', async () => {
    const w = createWorld({ auto: false });
    warming(w, 1);
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    const req = request({ ...linear(50, 60), warm: true, hooks: { pre: [cmdHook('slow')] } });
    const result = await driven(w, runDeploy(w.deps, req));
    expect(result.status).toBe('promoted');
    const beforeFirstWrite = w.lambda.callsOf('updateAlias')[0]!.at;
    const hooksEnded = w.sink.ofType('hook.completed')[0]!.at;
    const reads = w.metrics.callsOf('describeAlarms').filter((c) => c.at <= beforeFirstWrite);
    expect(reads.map((c) => c.at >= hooksEnded)).toEqual([false, true]);
  });

  it('no alarms to watch: no read at all', async () => {
    const w = createWorld({ auto: false });
    warming(w, 1);
    const result = await driven(w, runDeploy(w.deps, request({ ...linear(50, 60), alarms: [], warm: true })));
    expect(result.status).toBe('promoted');
    expect(w.metrics.callsOf('describeAlarms')).toEqual([]);
  });
});

describe('the record while the alarms cannot be read before the first weight', () => {
  it('at --interval 60 (three attempts over two minutes) it keeps its heartbeat: never older than an interval and a beat', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    w.metrics.fail({ op: 'describeAlarms', nth: 2, times: Number.POSITIVE_INFINITY });
    // From a beat after the first read after the hook (a hook beats at its own pace, once a
    // poll interval) until the rollback begins.
    let oldest = 0;
    const sample = () => {
      const stored = w.store.peek(FN, ALIAS);
      const first = w.metrics.callsOf('describeAlarms')[1]?.at;
      const beaten = first !== undefined && w.clock.now() >= first + BEAT_BESIDE_CALL_MS;
      if (stored && beaten) oldest = Math.max(oldest, w.clock.now() - stored.heartbeatAt);
      if (w.sink.ofType('rollback.started').length === 0) w.clock.after(1_000, sample);
    };
    w.clock.after(1_000, sample);
    const req = request({ ...linear(50, 60), pollIntervalSeconds: 60, hooks: { pre: [cmdHook('slow')] } });
    const result = await driven(w, runDeploy(w.deps, req));

    expect(result.cause).toMatchObject({ code: 'HEALTH_UNREADABLE', data: { consecutive: 3, limit: 3 } });
    const reads = w.metrics.callsOf('describeAlarms').slice(1);
    expect(reads.map((c) => c.at - reads[0]!.at)).toEqual([0, 60_000, 120_000]);
    // Without a beat the record aged through both 60 s sleeps: past the 120 s stale limit.
    expect(oldest).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + BEAT_BESIDE_CALL_MS);
  });
});

describe('an abort sent while the alarms are read again before the first weight', () => {
  it('obeyed before the retry that would have read them quiet: stopped with nothing moved, the abort answered', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    // Read at 60 s (fails), 70 s (fails), 80 s (quiet: the first weight would follow).
    w.metrics.fail({ op: 'describeAlarms', nth: 2, times: 2 });
    sendCommandAt(w, 61_000);
    const req = request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } });
    const result = await driven(w, runDeploy(w.deps, req));

    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(false);
    expect(result.cause).toMatchObject({ code: 'OPERATOR_ABORTED', data: { by: 'ann@laptop:9' } });
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    const answers = w.sink.ofType('operator.command').map((e) => ({ verb: e.verb, obeyed: e.obeyed }));
    expect(answers).toEqual([{ verb: 'abort', obeyed: true }]);
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ nonce: 'a1', state: 'done' });
    // Obeyed within a poll interval: no read after the one it was seen beside.
    expect(w.metrics.callsOf('describeAlarms').length).toBeLessThanOrEqual(3);
  });

  it('unreadable to the end of a long error limit: the abort ends the retries, not the limit', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 60_000));
    w.metrics.fail({ op: 'describeAlarms', nth: 2, times: Number.POSITIVE_INFINITY });
    sendCommandAt(w, 75_000);
    const req = request({ ...linear(50, 60), healthErrorLimit: 30, hooks: { pre: [cmdHook('slow')] } });
    const result = await driven(w, runDeploy(w.deps, req));

    expect(result.cause?.code).toBe('OPERATOR_ABORTED');
    expect(result.trafficMoved).toBe(false);
    const after = w.metrics.callsOf('describeAlarms').filter((c) => c.at > w.start + 75_000);
    expect(after.length).toBeLessThanOrEqual(2);
  });
});
