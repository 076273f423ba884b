/**
 * `lshift rollback fb` from another shell claims fb's record (`rolling-back`, its own owner) and
 * only then writes fb's alias. A release that finds the claim in between follows it, as a single
 * deploy does (settle-result.ts, followRollbackOf): once the claimer's alias write lands, fb was
 * rolled back by them and the release ends rolled back (exit 3, ROLLED_BACK_BY_OTHER) — not a
 * conflict (exit 5) a pipeline would retry into redeploying what was just rolled back. The follow
 * runs after every other function is back and closed, so no other record waits on it. A claimer
 * that dies (its claim never ends) or fails (the alias still split) leaves a conflict, as for a
 * single deploy.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { FOLLOW_ROLLBACK_MS } from '../../src/engine/settle-result.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { fleetWorld, fn, release, runUntil, TAKER } from './release-takeover-world.js';
import { ALIAS, linear, type World } from './world.js';

/** At `atMs` the claimer writes its claim on fb's record; the alias is left where it is. */
function claimFbAt(w: World, atMs: number): void {
  w.clock.after(atMs, () => {
    const current = w.store.peek('fb', ALIAS)!;
    w.store.seed('fb', ALIAS, {
      ...current,
      phase: 'rolling-back',
      owner: TAKER,
      heartbeatAt: w.clock.now(),
    });
  });
}

/** At `atMs` the claimer's rollback ends: the alias all on version 1 (unless `failed`), its record closed. */
function claimEndsAt(w: World, atMs: number, phase: 'rolled-back' | 'failed' = 'rolled-back'): void {
  w.clock.after(atMs, () => {
    if (phase === 'rolled-back')
      w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: {} });
    const now = w.clock.now();
    w.store.seed('fb', ALIAS, { ...w.store.peek('fb', ALIAS)!, phase, endedAt: now, heartbeatAt: now });
  });
}

/** What fa's and fc's records say when the claimer's rollback of fb ends. */
function othersAt(w: World, atMs: number): { phases?: string[] } {
  const seen: { phases?: string[] } = {};
  w.clock.after(atMs - 1, () => {
    seen.phases = ['fa', 'fc'].map((name) => w.store.peek(name, ALIAS)!.phase);
  });
  return seen;
}

async function run(w: World, untilMs: number) {
  const { settled, running } = await runUntil(w, release(undefined, linear(25, 60)), untilMs);
  expect(settled).toBe(true);
  return withReleaseReason(await running);
}

describe("a release that finds a rollback's claim on one function before its alias write lands", () => {
  it('follows the claim and ends rolled back by the claimer (exit 3) once its alias write lands; the others are closed first', async () => {
    const w = fleetWorld();
    claimFbAt(w, 70_000);
    claimEndsAt(w, 200_000);
    const others = othersAt(w, 200_000);
    const result = await run(w, 600_000);

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: TAKER } },
      finishedBy: { owner: TAKER, phase: 'rolled-back' },
    });
    expect(fn(result, 'fb').heldBy).toBeUndefined();
    // The others were back and their records closed before the claim ended: none waited on fb.
    expect(others.phases).toEqual(['rolled-back', 'rolled-back']);
    expect(result.reason).toContain(
      `before the release's verdict, function fb (deployment d-1) was rolled back by ${TAKER}`,
    );
    expect(result.reason).toContain('all 3 functions of release r-hook01 are back on their stable versions');
    // fb's rollback is the claimer's: the release wrote fb's weights, never a restore; the claimer's record stands.
    const fbWrites = w.lambda.callsOf('updateAlias').filter((c) => c.args[0] === 'fb');
    for (const c of fbWrites) expect(Object.keys((c.args[2] as AliasWrite).additionalWeights)).toEqual(['2']);
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ owner: TAKER, phase: 'rolled-back' });
    const said = w.sink.ofType('log').map((e) => e.message);
    expect(said).toContainEqual(
      expect.stringContaining(`${TAKER} is rolling deployment d-1 back; following it`),
    );
    expect(renderReleaseResult(result)).toMatch(
      new RegExp(`↩ fb:live\\s+rolled_back .*rolled back by ${TAKER}`),
    );
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it('a claimer that dies (its claim never ends, no heartbeat on it): unsafe (exit 4) after FOLLOW_ROLLBACK_MS, with the command that finishes it', async () => {
    const w = fleetWorld();
    claimFbAt(w, 70_000);
    const result = await run(w, 200_000 + FOLLOW_ROLLBACK_MS + 60_000);

    // Nobody is left watching fb's split alias: a human must finish it, not "someone has it".
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(fn(result, 'fb')).toMatchObject({
      status: 'unsafe',
      cause: { code: 'ROLLBACK_ABANDONED', data: { owner: TAKER } },
      aliasState: { functionVersion: '1', additionalWeights: { '2': 0.75 } },
      rollbackCommand: 'lshift rollback fb --alias live',
    });
    expect(fn(result, 'fa').status).toBe('rolled_back');
    expect(fn(result, 'fc').status).toBe('rolled_back');
    expect(result.reason).toContain(
      `the rollback by ${TAKER} that claimed this deployment at step 3 (75%) stopped before it put alias live back (no heartbeat on its claim since 2026-01-01T00:01:10Z): alias live is left at version 1 (25%) + version 2 (75%)`,
    );
  });

  it('a claimer still beating after FOLLOW_ROLLBACK_MS (a slow rollback): left to it, a conflict (exit 5)', async () => {
    const w = fleetWorld();
    claimFbAt(w, 70_000);
    const beat = () => {
      const claim = w.store.peek('fb', ALIAS)!;
      w.store.seed('fb', ALIAS, { ...claim, heartbeatAt: w.clock.now() });
      w.clock.after(30_000, beat);
    };
    w.clock.after(100_000, beat);
    const result = await run(w, 200_000 + FOLLOW_ROLLBACK_MS + 60_000);

    expect(result.status).toBe('conflict');
    expect(fn(result, 'fb')).toMatchObject({
      status: 'conflict',
      cause: { code: 'TAKEN_OVER' },
      heldBy: { owner: TAKER, phase: 'rolling-back', deploymentId: 'd-1' },
    });
    // fb's own reason says lshift wrote nothing more and where its alias was: the release's says it once.
    expect(result.reason?.match(/wrote nothing more/g)).toHaveLength(1);
    expect(result.reason?.match(/version 1 \(\d+%\) \+ version 2/g)).toHaveLength(1);
    expect(result.reason).toContain(`; lshift left fb to ${TAKER}; the other functions: fa: rolled back`);
  });

  it('a claimer whose rollback fails (the alias still split): unsafe (exit 4), nobody drives fb', async () => {
    // A conflict (exit 5, fb "held by" a claimer that had exited failed) until session 68: DESIGN.md
    // §6 lets only exit 4 leave an alias split (taken-over-split-left.test.ts).
    const w = fleetWorld();
    claimFbAt(w, 70_000);
    claimEndsAt(w, 200_000, 'failed');
    const result = await run(w, 600_000);

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(fn(result, 'fb')).toMatchObject({
      status: 'unsafe',
      cause: { code: 'TAKEN_OVER', data: { splitLeft: 'failed', by: TAKER } },
      rollbackCommand: 'lshift rollback fb --alias live',
    });
    // Words: release-taker-split-words.test.ts.
    expect(result.reason).toContain('which failed and left alias live split');
    expect(result.reason).toContain('nobody drives that split');
  });

  it('Ctrl-C while it follows ends the follow at once: a conflict (exit 5), the others already back, nothing written to fb', async () => {
    const w = fleetWorld();
    claimFbAt(w, 70_000);
    const interrupt = new AbortController();
    const base = release(undefined, linear(25, 60));
    const rel = {
      ...base,
      signal: interrupt.signal,
      members: base.members.map((m) => ({ ...m, signal: interrupt.signal })),
    };
    let following = false;
    const sink = w.deps.events;
    w.deps.events = {
      emit: (event) => {
        sink.emit(event);
        if (event.type === 'log' && event.message.includes('following it') && !following) {
          following = true;
          w.clock.after(10_000, () => interrupt.abort());
        }
      },
    };
    const { settled, running } = await runUntil(w, rel, 200_000 + 15_000);
    expect(following).toBe(true);
    expect(settled).toBe(true);
    const result = withReleaseReason(await running);

    expect(result.status).toBe('conflict');
    expect(fn(result, 'fb')).toMatchObject({
      status: 'conflict',
      heldBy: { owner: TAKER, phase: 'rolling-back' },
    });
    for (const other of ['fa', 'fc']) expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ owner: TAKER, phase: 'rolling-back' });
  });
});
