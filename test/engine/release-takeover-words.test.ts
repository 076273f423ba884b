/**
 * One function of a running release taken over before the release's verdict (`lshift rollback
 * fb`, `deploy fb --resume`, a check). Rolled back by the taker (its alias all on its stable
 * version): the release rolls the others back and ends rolled back (exit 3), as a single deploy
 * does (docs/releases.md "One function rolled back by someone else"). Taken over otherwise (a
 * resume elsewhere, a rollback whose alias write has not landed): a conflict (exit 5,
 * "One function taken over"). Either way its words say which function, by whom, what state that
 * function is in now, and what became of every other one.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { type ReasonedRelease, withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { aliasWriteDenied } from '../helpers/fake-lambda.js';
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
  it('`lshift rollback fb` (alias back on 1, record rolled-back): the release ends rolled back (exit 3), naming fb, who rolled it back, and each other function back on its stable version', async () => {
    const w = fleetWorld();
    takeOverFb(w, 30_000, { phase: 'rolled-back' }, { functionVersion: '1', additionalWeights: {} });
    const result = await runTakenOver(w);

    // Not a conflict (exit 5): a pipeline retries that, and would redeploy what was just rolled back.
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: TAKER } },
      finishedBy: { owner: TAKER, phase: 'rolled-back' },
    });
    expect(fn(result, 'fb').heldBy).toBeUndefined();
    // Rolled back by someone else, not taken over: its row's finishedBy says by whom.
    expect(result.takenOver).toBeUndefined();
    expect(result.reason).toContain(
      `before the release's verdict, function fb (deployment d-1) was rolled back by ${TAKER} at step 1 (25%), while this lshift still ran it (recorded rolled back at`,
    );
    expect(result.reason).toContain(
      'the release rolled the others back: fa: rolled back, all traffic on version 1',
    );
    expect(result.reason).toContain('fc: rolled back, all traffic on version 1');
    expect(result.reason).toContain('all 3 functions of release r-hook01 are back on their stable versions');
    expect(result.reason).not.toContain('function fb failed');
    const text = renderReleaseResult(result);
    expect(text).toMatch(new RegExp(`↩ fb:live\\s+rolled_back .*rolled back by ${TAKER}`));
    // fb's record is left as its rollback wrote it.
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ owner: TAKER, phase: 'rolled-back' });
  });

  it('`lshift rollback fb`, and the release cannot put fc back: not rolled back but unsafe (exit 4), fc named', async () => {
    const w = fleetWorld();
    takeOverFb(w, 30_000, { phase: 'rolled-back' }, { functionVersion: '1', additionalWeights: {} });
    // Denied from the takeover on: the holds read their aliases (release-alias-watch.ts) and may
    // find fb moved at once, fc's rollback then written before any later instant.
    w.clock.after(30_000, () => {
      w.lambda.fail({
        op: 'updateAlias',
        times: Number.POSITIVE_INFINITY,
        match: (args) => args[0] === 'fc',
        error: aliasWriteDenied(),
      });
    });
    const result = await runTakenOver(w);

    expect(fn(result, 'fb').status).toBe('rolled_back');
    expect(fn(result, 'fc').status).toBe('unsafe');
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.reason).toContain(`before the release's verdict, function fb was rolled back by ${TAKER}`);
    expect(result.reason).toContain('the rollback of fc:live');
  });

  it('`deploy fb --resume` from another runner (record shifting, alias moved on to 50%): the reason says fb goes on under that runner, at its alias state', async () => {
    const w = fleetWorld();
    const resumer = { owner: 'ci@runner:9', phase: 'shifting' as const };
    takeOverFb(w, 30_000, resumer, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
    const result = await runTakenOver(w);

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(fn(result, 'fb').heldBy).toEqual({ owner: 'ci@runner:9', phase: 'shifting', deploymentId: 'd-1' });
    // --json: `failed` names the function the release stopped for; `takenOver` says it was taken, by whom.
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(result.takenOver).toEqual([
      {
        functionName: 'fb',
        alias: ALIAS,
        heldBy: { owner: 'ci@runner:9', phase: 'shifting', deploymentId: 'd-1' },
      },
    ]);
    expectValidResultOf('release', { schemaVersion: 4, ...result });
    expect(result.reason).toContain(
      'function fb was taken over by ci@runner:9 (its record: deployment d-1, shifting)',
    );
    expect(result.reason).toContain('it is now version 1 (50%) + version 2 (50%)');
    expect(result.reason).toContain('fa: rolled back, all traffic on version 1');
    // fb's own reason already says where its alias is: said once.
    expect(result.reason?.match(/version 1 \(50%\) \+ version 2 \(50%\)/g)).toHaveLength(1);
    expect(result.reason).toContain('lshift left fb to ci@runner:9');
    expect(w.lambda.peekAlias('fb', ALIAS)?.additionalWeights).toEqual({ '2': 0.5 });
  });
});

/**
 * Every other function's own reason (its row's `reason` under `--json`) says what became of the
 * function the release stopped for — rolled back by whom, or held by whom — not that it "failed":
 * a rollback from another shell is not a failure of that function, and a reader of one row
 * should not have to find the release's reason to learn it.
 */
/** One function's own reason (its `reason` under `--json`). */
function reasonOf(result: ReasonedRelease, name: string): string | undefined {
  return result.functions.find((f) => f.functionName === name)?.reason;
}

describe("each other function's reason, when one was taken over", () => {
  it('fb rolled back by `lshift rollback fb`: fa and fc say it was rolled back by the claimer', async () => {
    const w = fleetWorld();
    takeOverFb(w, 30_000, { phase: 'rolled-back' }, { functionVersion: '1', additionalWeights: {} });
    const result = await runTakenOver(w);

    for (const other of ['fa', 'fc']) {
      const reason = reasonOf(result, other);
      expect(reason).toBe(
        `rolled back at step 1 (25%): function fb was rolled back by ${TAKER} before the release's verdict`,
      );
      expect(fn(result, other).cause?.detail).not.toContain('failed');
      expect(fn(result, other).stoppedFor).toEqual({ functionName: 'fb', alias: ALIAS, rolledBackBy: TAKER });
      // The function's own result line in the progress output (deploy.finished) says the same.
      const finished = w.sink.ofType('deploy.finished').find((e) => e.result.functionName === other);
      expect(describeReason(finished!.result)).toBe(reason);
    }
  });

  it('fb taken over by `deploy fb --resume`: fa and fc say who holds it, in which phase', async () => {
    const w = fleetWorld();
    const resumer = { owner: 'ci@runner:9', phase: 'shifting' as const };
    takeOverFb(w, 30_000, resumer, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
    const result = await runTakenOver(w);

    for (const other of ['fa', 'fc']) {
      expect(reasonOf(result, other)).toBe(
        "rolled back at step 1 (25%): function fb was taken over by ci@runner:9 (its record: deployment d-1, shifting) before the release's verdict",
      );
    }
  });

  it("fb rolled back by the claimer, fc's own rollback failing: fc's reason names the claimer too", async () => {
    const w = fleetWorld();
    takeOverFb(w, 30_000, { phase: 'rolled-back' }, { functionVersion: '1', additionalWeights: {} });
    // Denied from the takeover on: the holds read their aliases (release-alias-watch.ts) and may
    // find fb moved at once, fc's rollback then written before any later instant.
    w.clock.after(30_000, () => {
      w.lambda.fail({
        op: 'updateAlias',
        times: Number.POSITIVE_INFINITY,
        match: (args) => args[0] === 'fc',
        error: aliasWriteDenied(),
      });
    });
    const result = await runTakenOver(w);

    expect(fn(result, 'fc').status).toBe('unsafe');
    expect(reasonOf(result, 'fc')).toContain(
      `could not roll back (at step 1 (25%): function fb was rolled back by ${TAKER} before the release's verdict)`,
    );
    expect(reasonOf(result, 'fc')).not.toContain('function fb stopped');
  });
});
