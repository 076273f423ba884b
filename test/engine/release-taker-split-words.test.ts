/**
 * A release member taken over by another lshift's rollback (`lshift rollback fb`) that then left
 * fb's alias split — it failed there, or it met a split someone made and closed over it
 * (engine/taken-split-left.ts): the release exits 4 with the fix (session 68), but its reason
 * said "function fb failed: deployment d-1 was taken over …", as if fb's own checks had failed
 * (session 68's LOW). It now says what happened: taken over by that rollback, which left it split,
 * where the alias is, the way back, and how every other function ended.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { WEIGHTS_BY_HAND } from '../../src/engine/record-view.js';
import { fleetWorld, fn, release, runUntil, TAKER } from './release-takeover-world.js';
import { ALIAS, linear, type World } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.37 } };

/** The claimer takes fb at 70 s; at 200 s someone has split fb's alias and the claimer closes its record. */
function takerLeavesSplit(w: World, phase: 'failed' | 'rolled-back'): void {
  w.clock.after(70_000, () => {
    const current = w.store.peek('fb', ALIAS)!;
    w.store.seed('fb', ALIAS, {
      ...current,
      phase: 'rolling-back',
      owner: TAKER,
      heartbeatAt: w.clock.now(),
    });
  });
  w.clock.after(200_000, () => {
    const now = w.clock.now();
    w.lambda.moveAlias('fb', ALIAS, SPLIT);
    const byHand = phase === 'rolled-back' ? { endReason: WEIGHTS_BY_HAND } : {};
    w.store.seed('fb', ALIAS, {
      ...w.store.peek('fb', ALIAS)!,
      phase,
      endedAt: now,
      heartbeatAt: now,
      ...byHand,
    });
  });
}

async function run(w: World) {
  const { settled, running } = await runUntil(w, release(undefined, linear(25, 60)), 600_000);
  expect(settled).toBe(true);
  return withReleaseReason(await running);
}

describe("a release member taken over by a rollback that left it split: the release's reason", () => {
  it.each([
    ['failed', 'failed', 'which failed and left alias live split'],
    ['rolled-back', 'by-hand', 'which found alias live split by someone else and left it split'],
  ] as const)(
    'taker %s: names the rollback and the split, not "function fb failed"',
    async (phase, left, how) => {
      const w = fleetWorld();
      takerLeavesSplit(w, phase);
      const result = await run(w);

      expect(exitCodeForStatus(result.status)).toBe(4);
      expect(fn(result, 'fb').cause).toMatchObject({
        code: 'TAKEN_OVER',
        data: { splitLeft: left, by: TAKER },
      });
      expect(result.reason).not.toContain('function fb failed');
      expect(result.reason).toBe(
        `before the release's verdict, function fb (deployment d-1) was taken over by the rollback of ${TAKER}, ${how} (version 1 (63%) + version 2 (37%)); nobody drives that split: \`lshift rollback fb --alias live\` puts all traffic on version 1 over it; the other functions: fa: rolled back, all traffic on version 1; fc: rolled back, all traffic on version 1`,
      );
      expect(renderReleaseResult(result)).toContain('fix: lshift rollback fb --alias live');
    },
  );
});
