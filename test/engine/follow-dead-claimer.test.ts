/**
 * A person's `lshift rollback` killed right after it claimed a live deployment (kill -9 between
 * its claim and its alias write): the claim stands, `rolling-back` under `rollback:…:<pid>`, and
 * the alias is split. `lshift status` and `lshift check` on that machine call it abandoned at once
 * (its process no longer runs). The runner it stopped followed it for its whole 3-minute bound
 * (30 simulated minutes at the sandbox's 10×) with its alarms unwatched, then exited 4 (seen on
 * the sandbox, h1 session 70). It now stops at its next poll, exit 4 with the fix, as for any
 * dead claim; a claimer whose pid still runs is followed as before.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { FOLLOW_ROLLBACK_MS } from '../../src/engine/settle-result.js';
import type { LocalProcesses } from '../../src/ports/local-processes.js';
import { ALIAS, canary, createWorld, driven, FN, request, type World } from './world.js';

/** Same user@host as the runner (`tester@host:1`, no machine token): its pid can be asked about. */
const CLAIMER = 'rollback:tester@host:3';
const CLAIM_AT_MS = 100_000;

/** The live deploy (canary 10%, 1 h); at 100 s, the claim a killed rollback left, and nothing more. */
async function claimLeftBeside(w: World, running: (pid: number) => boolean) {
  const processes: LocalProcesses = { isRunning: running };
  let claimedAt: number | undefined;
  w.clock.after(CLAIM_AT_MS, () => {
    const current = w.store.peek(FN, ALIAS)!;
    claimedAt = w.clock.elapsedMs();
    void w.store.write(FN, ALIAS, {
      ...current,
      phase: 'rolling-back',
      owner: CLAIMER,
      heartbeatAt: w.clock.now(),
    });
  });
  const result = await driven(w, runDeploy({ ...w.deps, processes }, request(canary(10, 3600))));
  return { result, followedMs: w.clock.elapsedMs() - claimedAt! };
}

describe('a runner whose rollback claimer was killed on this machine right after its claim', () => {
  it('stops at its next poll, not at its 3-minute bound: exit 4, alias left split, the fix named', async () => {
    const w = createWorld({ auto: false });
    const { result, followedMs } = await claimLeftBeside(w, (pid) => pid !== 3);
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_ABANDONED', data: { owner: CLAIMER } });
    expect(result.fixCommand).toContain('update-alias');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.1 },
    });
    expect(followedMs).toBeLessThan(30_000);
  });

  it('a claimer whose pid still runs is followed to the bound, as before', async () => {
    const w = createWorld({ auto: false });
    const { result, followedMs } = await claimLeftBeside(w, () => true);
    expect(result.status).toBe('unsafe');
    expect(followedMs).toBeGreaterThanOrEqual(FOLLOW_ROLLBACK_MS);
  });
});
