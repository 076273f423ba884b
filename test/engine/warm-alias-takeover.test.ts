/**
 * `lshift alias demo live 1` during a `--warm` deploy's hold: the deploy's poll finds its record
 * closed `moved by hand` and stops as taken over — and a takeover leaves the temporary
 * provisioned concurrency to the record's new owner (rollback.ts, resume.ts remove it). `lshift
 * alias` removes none, so it stayed allocated and billed (found by a helper's hostile pass).
 */
import { describe, expect, it } from 'vitest';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, createWorld, FN, linear, request } from './world.js';

describe('a --warm deploy whose alias `lshift alias` moves back during a hold', () => {
  it('removes its temporary provisioned concurrency itself', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.clock.after(30_000, () => {
      const ours = w.store.peek(FN, ALIAS)!;
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
      w.store.seed(FN, ALIAS, {
        ...ours,
        phase: 'rolled-back',
        percent: 0,
        endReason: 'moved by hand',
        owner: 'ann@laptop:9',
        heartbeatAt: w.clock.now(),
        endedAt: w.clock.now(),
      });
    });
    const result = await runDeploy(w.deps, request({ ...linear(50, 60), warm: true }));

    expect(result.status).not.toBe('promoted');
    expect(w.lambda.callsOf('deleteProvisionedConcurrency').map((c) => c.args)).toEqual([[FN, '2']]);
  });
});
