/**
 * A `--stagger` release (one function after the other) whose function still waiting for its turn
 * was moved by hand (`aws lambda update-alias`, the console, `lshift alias`): found before (found
 * by the brief of session 54) only by that function's own first weight write, once every function
 * before it had walked to 100% — then all rolled back (exit 5), production traffic churned for
 * nothing. Now the aliases of every function whose traffic has not moved are read before the
 * release's first weight write (its pre-flight) and before each function's turn
 * (fleet-steps.ts, turnReads): the release stops there, for the function moved, a conflict
 * (ALIAS_CHANGED, exit 5) as a move found by a lockstep level's reads is.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import type { ReleaseRequest } from '../../src/engine/release.js';
import { runRelease } from '../../src/engine/release.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];

function release(fns = FNS, rel: Partial<ReleaseRequest> = {}): ReleaseRequest {
  return {
    releaseId: 'r-stag01',
    stagger: true,
    members: fns.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(50, 60) }),
    ),
    ...rel,
  };
}

/** Runs the release on the manual clock, a second at a time. */
async function run(w: World, rel: ReleaseRequest) {
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  return withReleaseReason(await running);
}

/** `[function, percent on version 2]` of every alias write (refused ones too), in order. */
function writes(w: World): [string, number][] {
  return w.lambda.aliasWrites().map((write, i) => {
    const fn = w.lambda.callsOf('updateAlias')[i]!.args[0] as string;
    const percent =
      write.functionVersion === '2' ? 100 : Math.round((write.additionalWeights['2'] ?? 0) * 100);
    return [fn, percent];
  });
}

describe('a --stagger release: the alias of a function waiting for its turn moved by hand', () => {
  it("is found before the next function's turn: fb never moves, fc is left as moved, fa goes back (exit 5)", async () => {
    const w = createFleetWorld(FNS, { auto: false });
    // fa walks 50% (0–60 s) then 100%; fc, two turns away, is put on version 2 by hand at 30 s.
    w.lambda.moveAliasAt(w.start + 30_000, 'fc', ALIAS, { functionVersion: '2', additionalWeights: {} });
    const result = await run(w, release());

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    // Before: fa 50, fa 100, fb 50, fb 100, fc 50 (refused: 412), then fa and fb back.
    expect(writes(w)).toEqual([
      ['fa', 50],
      ['fa', 100],
      ['fa', 0],
    ]);
    expect(result.reason).toBe(
      "function fc was taken over before the release's verdict: alias live of function fc changed underneath before any traffic moved: someone else moved it (a read before fb's turn (its first weight write, step 1 (50%)) found it routing all traffic to version 2, not all traffic to version 1 as lshift last read it); lshift moved none of its traffic; it is now version 2 (100%); lshift left fc to whoever moved its alias; the other functions: fa: rolled back, all traffic on version 1; fb: unchanged, all traffic still on version 1. To go on: `lshift status fc` shows where its alias is now (Lambda does not say who moved it; AWS CloudTrail's UpdateAlias events do); once fc may be deployed again, run the release's `lshift deploy` again (every other function is back on its stable version), or deploy the others without fc",
    );
    expect(result.failed).toEqual({ functionName: 'fc', alias: ALIAS });
    expect(result.takenOver).toEqual([{ functionName: 'fc', alias: ALIAS }]);
    expectValidResultOf('release', { schemaVersion: 4, ...result });
    const fb = result.functions.find((f) => f.functionName === 'fb')!;
    expect(fb).toMatchObject({ status: 'rolled_back', trafficMoved: false });
    // fc's record is closed as moved by hand (on its new version alone: promoted), not left
    // `shifting` for a resume: a new release is not refused for it.
    expect(w.store.peek('fc', ALIAS)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
    expect(w.lambda.peekAlias('fc', ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    for (const fn of ['fa', 'fb']) {
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(fn, ALIAS)?.phase).toBe('rolled-back');
    }
    // Found when fb's turn came (60 s), not at fc's (120 s).
    expect(result.endedAt - w.start).toBeLessThan(65_000);
  });

  it('moved during the pre-traffic hook: the pre-flight read before the first weight write stops it, nothing moves', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.hooks.script(
      'cmd:./smoke',
      () =>
        new Promise<HookResult>((resolve) => {
          w.clock.after(60_000, () => resolve({ ok: true, durationMs: 60_000 }));
        }),
    );
    // The same routing written again (a new RevisionId): its first write would meet a 412 too.
    w.lambda.moveAliasAt(w.start + 30_000, 'fc', ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await run(w, release(FNS, { hooks: { pre: [cmdHook('./smoke')] } }));

    expect(result.status).toBe('conflict');
    expect(writes(w)).toEqual([]);
    expect(result.reason).toContain(
      "(a read before the release's first weight write (fa's step 1 (50%)) found it written again by someone else with the same routing (all traffic to version 1, a new RevisionId))",
    );
    expect(result.reason).toContain(
      'the other functions: fa: unchanged, all traffic still on version 1; fb: unchanged, all traffic still on version 1. To go on:',
    );
    expect(result.endedAt - w.start).toBeLessThan(65_000);
  });

  it('the function whose turn starts is read too: stopped before its own first write, not by its 412', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.lambda.moveAliasAt(w.start + 30_000, 'fb', ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.3 },
    });
    const result = await run(w, release());

    // A split left with nobody driving it: unsafe, exit 4 (DESIGN.md §6; split-mid-shift.test.ts), was a conflict.
    expect(result.status).toBe('unsafe');
    expect(writes(w)).toEqual([
      ['fa', 50],
      ['fa', 100],
      ['fa', 0],
    ]);
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(result.functions.find((f) => f.functionName === 'fb')?.reason).toContain(
      "a read before fb's turn (its first weight write, step 1 (50%)) found it routing version 1 + version 2 at 30%, not all traffic to version 1 as lshift last read it",
    );
  });

  it('costs one GetAlias a waiting function a turn, and the walking function its own paced hold reads', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    const result = await run(w, release());

    expect(result.status).toBe('promoted');
    const calls = w.lambda.calls
      .filter((c) => c.op === 'getAlias' || c.op === 'updateAlias')
      .map((c) => `${c.op === 'getAlias' ? 'read' : 'write'} ${c.args[0] as string}`);
    // The preflight's three reads; the first turn's three (every function); fa walks, reading its
    // own alias once in its 60 s hold (every 30 s: release-alias-watch.ts; none until session 68);
    // fb's turn reads fb and fc; fb walks; fc's turn reads fc; fc walks; the read-back's three.
    // Before: the same without the 3 + 2 + 1 turn reads.
    expect(calls).toEqual([
      ...['read fa', 'read fb', 'read fc'],
      ...['read fa', 'read fb', 'read fc', 'write fa', 'read fa', 'write fa'],
      ...['read fb', 'read fc', 'write fb', 'read fb', 'write fb'],
      ...['read fc', 'write fc', 'read fc', 'write fc'],
      ...['read fa', 'read fb', 'read fc'],
    ]);
  });
});
