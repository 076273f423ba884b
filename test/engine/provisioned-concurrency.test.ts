/**
 * Issue 14: after each weight write the shift waits (bounded, reported) until the alias's
 * provisioned concurrency is READY again, and only then does the step's hold count.
 */
import { describe, expect, it } from 'vitest';
import { runDeploy } from '../../src/engine/deploy.js';
import { batchMetricReads } from '../../src/engine/metric-batch.js';
import { awaitProvisionedConcurrencyReady } from '../../src/engine/provisioned-concurrency.js';
import { createSpilloverGate } from '../../src/engine/spillover-gate.js';
import type { MetricQuery } from '../../src/ports/metrics.js';
import { canary, createWorld, driven, FN, linear, request } from './world.js';

describe('awaitProvisionedConcurrencyReady in a shift', () => {
  it('waits after every weight write until READY, and the hold counts from then', async () => {
    // A manual clock: the polls beside the wait (wait-watch.ts) must not move it ahead.
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, 'live', 10, ['IN_PROGRESS', 'IN_PROGRESS']);
    const result = await driven(w, runDeploy(w.deps, request(linear(50, 60))));
    expect(result.status).toBe('promoted');
    const infos = w.sink
      .ofType('log')
      .filter((e) => e.level === 'info')
      .map((e) => e.message);
    const waits = infos.filter((m) => m.startsWith('waiting for the provisioned concurrency of demo:live'));
    const ready = infos.filter((m) => m.startsWith('provisioned concurrency of demo:live READY'));
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBe(
      'waiting for the provisioned concurrency of demo:live to be READY again (IN_PROGRESS, 5 of 10 allocated)',
    );
    expect(ready).toEqual([
      'provisioned concurrency of demo:live READY (10 of 10 allocated) after 10 s',
      'provisioned concurrency of demo:live READY (10 of 10 allocated) after 10 s',
    ]);
    // Each step's start (when its hold counts) is 10 s (two polls) after its weight write.
    const writes = w.lambda.callsOf('updateAlias').map((c) => c.at);
    expect(result.steps.map((s) => s.startedAt - writes[s.index]!)).toEqual([10_000, 10_000]);
  });

  it('gives up at the bound with a warning and lets the hold count', async () => {
    // A manual clock: on an auto-advancing one the health poll beside the wait and the wait's own
    // sleeps each jumped time ahead, and the give-up read could land a poll past the bound.
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, 'live', 4, Array(100).fill('IN_PROGRESS'));
    const result = await driven(w, runDeploy(w.deps, request(canary(10, 600))));
    expect(result.status).toBe('promoted');
    const warnings = w.sink
      .ofType('log')
      .filter((e) => e.level === 'warn')
      .map((e) => e.message);
    expect(warnings).toContain(
      'provisioned concurrency of demo:live still IN_PROGRESS after 300 s (2 of 4 allocated); the hold counts from now',
    );
  });

  it('a wall clock stepped forward past the bound while it waits: still waits for READY, no give-up', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, 'live', 10, ['IN_PROGRESS', 'IN_PROGRESS']);
    // NTP steps the runner's clock 10 minutes forward 3 s after the first weight write.
    w.clock.after(3_000, () => w.clock.stepWall(10 * 60_000));
    const result = await driven(w, runDeploy(w.deps, request(linear(50, 60))));
    expect(result.status).toBe('promoted');
    const said = w.sink.ofType('log').map((e) => e.message);
    expect(said.filter((m) => m.includes('still IN_PROGRESS'))).toEqual([]);
    expect(said.filter((m) => m.startsWith('provisioned concurrency of demo:live READY'))[0]).toBe(
      'provisioned concurrency of demo:live READY (10 of 10 allocated) after 10 s',
    );
  });

  it('reads once, in preflight, when the alias has none: no read after any weight write', async () => {
    // In a release of 100 functions a read after each first write doubled the first level's
    // requests at Lambda's 15/s (docs/releases.md).
    const w = createWorld();
    await runDeploy(w.deps, request(linear(25, 60)));
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(4);
    const reads = w.lambda.callsOf('getProvisionedConcurrency');
    expect(reads.map((c) => c.args[1])).toEqual(['live']);
  });

  it('reports an unreadable allocation and does not wait', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, 'live', 4);
    w.lambda.fail({ op: 'getProvisionedConcurrency', times: 1 });
    const outcome = await awaitProvisionedConcurrencyReady(
      w.deps,
      { functionName: FN, alias: 'live' },
      w.clock,
    );
    expect(outcome.kind).toBe('unreadable');
    expect(w.sink.ofType('log').at(-1)?.message).toMatch(
      /could not read the provisioned concurrency of demo:live/,
    );
  });
});

describe('awaitProvisionedConcurrencyReady: a record taken over during the wait', () => {
  it("ends at the first read after the loss, naming whose record it was (in a release, maybe another function's)", async () => {
    const w = createWorld();
    w.lambda.setPcAfterPut(FN, '2', Array(100).fill('IN_PROGRESS'));
    await w.deps.lambda.putProvisionedConcurrency(FN, '2', 4);
    let beats = 0;
    const taken = { functionName: 'other', alias: 'live' };
    const outcome = await awaitProvisionedConcurrencyReady(
      w.deps,
      { functionName: FN, alias: '2', first: true },
      w.clock,
      { timeoutMs: 300_000, pollMs: 5_000 },
      {
        beat: async () => {
          beats += 1;
        },
        lost: () => (beats >= 2 ? { taken, reason: 'taken over by rollback:ops@desk:3' } : undefined),
      },
    );
    expect(outcome).toEqual({ kind: 'lost', taken, reason: 'taken over by rollback:ops@desk:3' });
    expect(beats).toBe(2);
  });
});

describe('preflight: provisioned concurrency', () => {
  it('warns that the new version starts cold when only the alias has provisioned concurrency', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, 'live', 10);
    await runDeploy(w.deps, request());
    const warnings = w.sink
      .ofType('log')
      .filter((e) => e.level === 'warn')
      .map((e) => e.message);
    expect(warnings[0]).toMatch(
      /^alias live has provisioned concurrency \(10\), but version 2 has none ready of its own: its share starts cold/,
    );
    const check = w.sink.ofType('preflight.check').find((c) => c.check === 'provisioned-concurrency');
    expect(check?.message).toBe(
      'alias live has provisioned concurrency 10 (READY); version 2: none of its own',
    );
  });
});

describe('spillover of the new version', () => {
  it("is reported in a pass verdict with both versions' counts, read per version", async () => {
    const w = createWorld();
    w.metrics.onMetricData((queries: MetricQuery[], startMs, endMs) =>
      queries.map((q) => {
        const version = 'dimensions' in q ? q.dimensions.ExecutedVersion : undefined;
        const timestamps = startMs < endMs ? [startMs] : [];
        return {
          id: q.id,
          timestamps,
          values: timestamps.map(() => (version === '2' ? 7 : 0)),
          status: 'Complete',
        };
      }),
    );
    const metrics = batchMetricReads(w.metrics);
    const result = await runDeploy(
      { ...w.deps, metrics, gates: [createSpilloverGate(metrics)] },
      request(canary(10, 300)),
    );
    expect(result.status).toBe('promoted');
    const verdict = result.verdicts.find((v) => v.gate === 'pc-spillover');
    expect(verdict).toMatchObject({ outcome: 'pass' });
    expect(verdict?.summary).toBe(
      'provisioned-concurrency spillover since this step began: version 2 7, version 1 0 invocations on standard concurrency (possible cold starts)',
    );
    const asked = w.metrics.callsOf('getMetricData')[0]!.args[0] as MetricQuery[];
    expect(asked[0]).toMatchObject({
      metricName: 'ProvisionedConcurrencySpilloverInvocations',
      dimensions: { FunctionName: 'demo', Resource: 'demo:live', ExecutedVersion: '2' },
    });
  });
});
