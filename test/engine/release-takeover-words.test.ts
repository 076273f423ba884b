/**
 * One function of a running release taken over before the release's verdict (`lshift rollback
 * fb`, `deploy fb --resume`, a check): the release ends as a conflict (exit 5, docs/releases.md
 * "One function taken over"), and its words say which function, by whom, what state that
 * function is in now, and what became of every other one — per function, as a release whose
 * rollback someone finished after the verdict already says (`finishedBy`).
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseResult, withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { fleetWorld, fn, release, runUntil, TAKER } from './release-takeover-world.js';
import { ALIAS, linear, type World } from './world.js';

/** At `atMs` another lshift claims fb's record (`patch`) and, unless `alias` is null, moves its alias. */
function takeOverFb(
  w: World,
  atMs: number,
  patch: Partial<DeploymentRecord>,
  alias: { functionVersion: string; additionalWeights: Record<string, number> } | null,
): void {
  w.clock.after(atMs, () => {
    const current = w.store.peek('fb', ALIAS)!;
    w.store.seed('fb', ALIAS, { ...current, owner: TAKER, heartbeatAt: w.clock.now(), ...patch });
    if (alias) w.lambda.moveAlias('fb', ALIAS, alias);
  });
}

async function runTakenOver(w: World) {
  const { settled, running } = await runUntil(w, release(undefined, linear(25, 60)), 200_000);
  expect(settled).toBe(true);
  return withReleaseReason(await running);
}

describe('a function of a release taken over before the verdict', () => {
  it('`lshift rollback fb` (alias back on 1, record rolled-back): the reason names fb, who took it, its alias now, and each other function back on its stable version', async () => {
    const w = fleetWorld();
    takeOverFb(w, 30_000, { phase: 'rolled-back' }, { functionVersion: '1', additionalWeights: {} });
    const result = await runTakenOver(w);

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({
      status: 'conflict',
      heldBy: { owner: TAKER, phase: 'rolled-back', deploymentId: 'd-1' },
    });
    expect(result.reason).toContain(
      `function fb was taken over by ${TAKER} (its record: deployment d-1, rolled-back)`,
    );
    expect(result.reason).toContain('lshift wrote nothing more to fb, whose alias is version 1 (100%)');
    expect(result.reason).toContain('fa: rolled back, all traffic on version 1');
    expect(result.reason).toContain('fc: rolled back, all traffic on version 1');
    expect(result.reason).not.toContain('function fb failed');
    const text = renderReleaseResult(result);
    expect(text).toMatch(new RegExp(`✖ fb:live\\s+conflict .*taken over by ${TAKER} \\(rolled-back\\)`));
  });

  it('`deploy fb --resume` from another runner (record shifting, alias moved on to 50%): the reason says fb goes on under that runner, at its alias state', async () => {
    const w = fleetWorld();
    const resumer = { owner: 'ci@runner:9', phase: 'shifting' as const };
    takeOverFb(w, 30_000, resumer, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
    const result = await runTakenOver(w);

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(fn(result, 'fb').heldBy).toEqual({ owner: 'ci@runner:9', phase: 'shifting', deploymentId: 'd-1' });
    expect(result.reason).toContain(
      'function fb was taken over by ci@runner:9 (its record: deployment d-1, shifting)',
    );
    expect(result.reason).toContain('whose alias is version 1 (50%) + version 2 (50%)');
    expect(result.reason).toContain('fa: rolled back, all traffic on version 1');
    expect(w.lambda.peekAlias('fb', ALIAS)?.additionalWeights).toEqual({ '2': 0.5 });
  });
});
