/**
 * A deploy that met a split someone made of versions it does not place (9/2 over a 1 → 2 deploy,
 * 1/9) exits 4, "nobody drives that split", with `lshift rollback … --to 1` (split-mid-shift.test.ts),
 * and closes its record `rolled-back (moved by hand to a split: …)`. `lshift status` then exited 0
 * and `lshift check` said "rolled back …; nothing to watch" over that same split (the lead's pass,
 * session 68): one answer now — STALLED, exit 4, the same rollback, in both (split-left-closed.ts).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { ALIAS, createWorld, FN, linear, request, type World } from './world.js';

async function deployMeeting(split: RoutingState): Promise<World> {
  const w = createWorld();
  w.lambda.addVersion(FN); // 3
  w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, split);
  const result = await runDeploy(w.deps, request(linear(10, 600)));
  expect(result.status).toBe('unsafe');
  expect(exitCodeForStatus(result.status)).toBe(4);
  expect(w.store.peek(FN, ALIAS)?.endReason).toMatch(/^moved by hand to a split/);
  await w.clock.advance(600_000);
  return w;
}

async function judge(w: World) {
  const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
  const report = await runCheckWithReleases(
    { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
    { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [`${FN}-errors`] },
  );
  return { status, report };
}

describe('a split of versions the deployment does not place, left by its run (exit 4)', () => {
  const splits: RoutingState[] = [
    { functionVersion: '3', additionalWeights: { '2': 0.37 } },
    { functionVersion: '1', additionalWeights: { '3': 0.37 } },
  ];
  for (const split of splits) {
    it(`${JSON.stringify(split)}: status and check say STALLED (exit 4) with the run's fix, and it works`, async () => {
      const w = await deployMeeting(split);
      const { status, report } = await judge(w);
      const fix = 'lshift rollback demo --alias live --to 1';

      expect(needsOperator(status)).toBe(true);
      expect(status.record?.stalled).toBe(true);
      const text = renderStatus(status);
      expect(text).toContain('STALLED: deployment d-abc123 met its alias split by someone else and left it');
      expect(text).toContain('nothing drives that split');
      expect(text).toContain(`to put all traffic back on version 1: \`${fix}\``);

      const [entry] = report.results;
      expect(entry).toMatchObject({ action: 'stalled', stalled: true });
      expect(entry?.reason).toContain(`. To put all traffic back on version 1: \`${fix}\``);
      expect(entry?.reason).not.toContain('nothing to watch');
      expect(exitCodeForCheck(report)).toBe(4);
      // Nothing wrote over the split.
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(split);

      // The offered rollback puts it back; then both are content (exit 0).
      const back = await rollbackClaimed(
        { ...w.deps, store: w.store, owner: 'rollback:ops@desk:3' },
        { functionName: FN, alias: ALIAS, to: '1', reason: 'the fix status offered' },
      );
      expect(back.status).not.toBe('unsafe');
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      const after = await judge(w);
      expect(needsOperator(after.status)).toBe(false);
      expect(exitCodeForCheck(after.report)).toBe(0);
    });
  }

  it('put all on one version by hand since: someone holds it, exit 0 as before', async () => {
    const w = await deployMeeting({ functionVersion: '3', additionalWeights: { '2': 0.37 } });
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const { status, report } = await judge(w);
    expect(needsOperator(status)).toBe(false);
    expect(status.record?.stalled).toBeUndefined();
    expect(exitCodeForCheck(report)).toBe(0);
  });
});
