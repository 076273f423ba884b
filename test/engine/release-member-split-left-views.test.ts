/**
 * A release member split by someone onto versions its deployment does not place (version 3 (70%) +
 * version 1 (30%) over a 1 → 2 release): the release rolls the others back and closes fb
 * `rolled-back (moved by hand to a split: …)`, left split (exit 4). fb's own status and `lshift
 * check fb` say STALLED (exit 4) with `lshift rollback fb --alias live --to 1`. Reviewed against
 * them (session 68's LOW), the release's views disagreed:
 * - status's release line said "all rolled-back", naming nothing to do (the exit was 4 all the same);
 * - `lshift check fa fb fc` skipped fb — "its record was closed meanwhile, while this check judged
 *   it: rolled back …; nothing left to do", exit 0 over a split nobody drives
 *   (check-release-acting.ts skipClosedMeanwhile took the close for a race).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { runCheck } from '../../src/engine/check.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];
const ROLLBACK = '`lshift rollback fb --alias live --to 1`';

async function releaseMeetingForeignSplit(): Promise<World> {
  const w = createFleetWorld(FNS, { auto: false });
  const v3 = w.lambda.addVersion('fb');
  w.lambda.moveAliasAt(w.start + 30_000, 'fb', ALIAS, {
    functionVersion: v3,
    additionalWeights: { '1': 0.3 },
  });
  const rel: ReleaseRequest = {
    releaseId: 'r-split3',
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
  };
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  expect((await running).status).toBe('unsafe');
  expect(w.store.peek('fb', ALIAS)).toMatchObject({
    phase: 'rolled-back',
    endReason: 'moved by hand to a split: 70% on 3, 30% on 1',
  });
  return w;
}

const checkDeps = (w: World) => ({ ...w.deps, store: w.store, owner: 'check:cron@host:1' });

describe("a release member left on a split of versions it does not place: the release's views agree with its own", () => {
  it("status's release line says STALLED and names fb, as fb's own lines do", async () => {
    const w = await releaseMeetingForeignSplit();
    const statuses = await Promise.all(
      FNS.map((fn) => getStatus(w.deps, { functionName: fn, alias: ALIAS, alarms: [] })),
    );
    expect(renderStatus(statuses[1]!)).toContain(ROLLBACK);
    const [line] = renderReleaseStatus(statuses).split('\n');
    expect(line).toContain('release r-split3: STALLED (');
    expect(line).toContain(
      'fb was split by someone else, and its deployment left it split: nothing drives it: see its lines below for the rollback',
    );
    expect(line).not.toContain('all rolled-back');
    expect(statuses.some(needsOperator)).toBe(true);
  });

  it('lshift check of the release says fb STALLED (exit 4), as `lshift check fb` does, and writes nothing', async () => {
    const w = await releaseMeetingForeignSplit();
    const writes = w.lambda.aliasWrites().length;
    const alone = await runCheck(checkDeps(w), {
      functionNames: ['fb'],
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['fb-errors'],
    });
    expect(alone.results[0]).toMatchObject({ action: 'stalled' });
    expect(exitCodeForCheck(alone)).toBe(4);

    const report = await runCheckWithReleases(checkDeps(w), {
      functionNames: FNS,
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    });
    const fb = report.results.find((r) => r.functionName === 'fb');
    expect(fb).toMatchObject({ action: 'stalled', stalled: true });
    expect(fb?.reason).toContain(ROLLBACK);
    expect(fb?.reason).not.toContain('closed meanwhile');
    expect(exitCodeForCheck(report)).toBe(4);
    expect(w.lambda.aliasWrites().length).toBe(writes);
  });
});
