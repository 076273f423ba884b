/**
 * Under --no-analysis the analysis gate reads no metrics, so there is nothing for the settle wait
 * to wait for: it said "settle: holding 50% while waiting for metrics to arrive, at most 6m" and
 * wrote 100% at the next poll (found by a hostile pass). No wait is announced now; with a gate on,
 * it still is.
 */
import { describe, expect, it } from 'vitest';
import { resolveAnalysisConfig } from '../../src/domain/analysis/config-resolve.js';
import { createAnalysisGate } from '../../src/engine/analysis-gate.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { canary, createWorld, request } from './world.js';

async function deployWith(analysis: Parameters<typeof resolveAnalysisConfig>[0]) {
  const w = createWorld();
  w.deps = { ...w.deps, gates: [createAnalysisGate(w.metrics, resolveAnalysisConfig(analysis))] };
  const shift = canary(10, 60);
  const result = await runDeploy(w.deps, request({ ...shift, plan: { ...shift.plan, settleSeconds: 360 } }));
  return { w, result };
}

describe('the settle wait and the analysis gate', () => {
  it('every analysis gate off: no settle wait is said, the deployment promotes', async () => {
    const { w, result } = await deployWith({ maxErrorRateIncrease: 'off', maxLatencyIncrease: 'off' });
    expect(result.status).toBe('promoted');
    expect(w.sink.types()).not.toContain('settle.started');
  });

  it('a gate on: the settle wait is said before 100%', async () => {
    const { w } = await deployWith({});
    expect(w.sink.types()).toContain('settle.started');
  });
});
