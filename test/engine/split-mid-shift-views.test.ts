/**
 * A split of the deployment's own two versions met mid-shift: the run exits 4 with `lshift
 * rollback` as its fix (split-mid-shift.test.ts) and closes its record `paused (weights changed by
 * hand)`. `status` and `check` call it STALLED, but led with `deploy --resume` ("finish it with …,
 * or undo it with `lshift rollback`") beside the run's rollback fix (the lead's brief, session 68):
 * they lead with the rollback the run named; the resume stays second, said as what it does.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, FN, linear, request } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.37 } };

describe("a split of the deployment's own versions, left by its run", () => {
  it('status and check lead with the rollback the run named, the resume second', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, SPLIT);
    const result = await runDeploy(w.deps, request(linear(10, 600)));
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'paused', endReason: 'weights changed by hand' });
    await w.clock.advance(600_000);

    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(needsOperator(status)).toBe(true);
    const text = renderStatus(status);
    const rollbackAt = text.indexOf('`lshift rollback demo --alias live`');
    const resumeAt = text.indexOf('--resume');
    expect(rollbackAt).toBeGreaterThan(-1);
    expect(resumeAt).toBeGreaterThan(rollbackAt);
    expect(text).toContain(
      'its alias was split by someone else while lshift shifted it, and its runner left it split: put all traffic back on version 1 with `lshift rollback demo --alias live` (what the run offered)',
    );
    expect(text).not.toContain('finish it with');

    const report = await runCheckWithReleases(
      { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [`${FN}-errors`] },
    );
    const reason = report.results[0]?.reason ?? '';
    expect(reason.indexOf('`lshift rollback demo --alias live`')).toBeGreaterThan(-1);
    expect(reason.indexOf('--resume')).toBeGreaterThan(reason.indexOf('`lshift rollback demo --alias live`'));
    expect(exitCodeForCheck(report)).toBe(4);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(SPLIT);
  });
});
