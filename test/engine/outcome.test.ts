import { describe, expect, it } from 'vitest';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALARM, canary, createWorld, linear, request } from './world.js';

/** Outcomes are data: `{status, step, cause: {code, data}}`; the program index says where it ended. */
describe('structured outcomes', () => {
  it('an alarm at step 2: rolled_back, at the hold of step 2, cause GATE_FAILED naming the gate', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result).toMatchObject({
      status: 'rolled_back',
      step: 3,
      cause: { code: 'GATE_FAILED', data: { gates: ['alarms'] } },
    });
  });

  it('promoted: no cause, the step is the program’s last (done)', async () => {
    const w = createWorld();
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('promoted');
    expect(result.cause).toBeUndefined();
    expect(result.step).toBe(3);
  });

  it('a failing pre-traffic hook: HOOK_FAILED at step 0 with the hook named', async () => {
    const w = createWorld();
    const spec = parseHookSpec('cmd:./smoke.sh', '--pre-hook');
    w.hooks.script(spec.raw, { ok: false, reason: 'exit 1' });
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [spec] } }));
    expect(result).toMatchObject({
      status: 'rolled_back',
      step: 0,
      cause: { code: 'HOOK_FAILED', data: { phase: 'pre' } },
    });
  });

  it('someone else moves the alias onto one version: conflict, ALIAS_CHANGED', async () => {
    const w = createWorld();
    w.clock.after(30_000, () =>
      w.lambda.moveAlias('demo', 'live', { functionVersion: '1', additionalWeights: {} }),
    );
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result).toMatchObject({ status: 'conflict', cause: { code: 'ALIAS_CHANGED' } });
  });

  it('someone else splits the alias: unsafe (nobody drives that split, DESIGN.md §6), ALIAS_CHANGED', async () => {
    const w = createWorld();
    w.clock.after(30_000, () =>
      w.lambda.moveAlias('demo', 'live', { functionVersion: '1', additionalWeights: { '2': 0.5 } }),
    );
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(result).toMatchObject({
      status: 'unsafe',
      cause: { code: 'ALIAS_CHANGED', data: { splitLeft: true } },
    });
  });
});
