/**
 * A claim on a release's function that lands between the level's alias write and that function's
 * record write (`lshift rollback fb` from another shell: it reads the alias, claims the record,
 * then writes the alias). The release's record write follows its alias write by seconds (it
 * queues behind the level's other writes: traffic-steps.ts), so it must read the record first:
 * written blind, it put the release's `shifting` record over the claim, the rollback met a 412 on
 * its alias write (exit 5) and the release went on to promote fb — the operator asked for a
 * rollback and did not get one.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { keepClaimBeating } from './claim-beat.js';
import { fleetWorld, fn, release, runUntil, TAKER } from './release-takeover-world.js';
import { ALIAS, linear, type World } from './world.js';

/**
 * Right after the release's alias write of fb to `percent` lands, another lshift claims fb's record
 * (`rolling-back`, its own owner), as `lshift rollback fb` does before its own alias write.
 */
function claimFbAfterLevelWrite(w: World, percent: number): { claim?: DeploymentRecord } {
  const write = w.lambda.updateAlias.bind(w.lambda);
  const seen: { claim?: DeploymentRecord } = {};
  let claimed = false;
  w.lambda.updateAlias = async (functionName: string, alias: string, aliasWrite: AliasWrite) => {
    const written = await write(functionName, alias, aliasWrite);
    if (!claimed && functionName === 'fb' && aliasWrite.additionalWeights['2'] === percent / 100) {
      claimed = true;
      const current = w.store.peek('fb', ALIAS)!;
      seen.claim = { ...current, phase: 'rolling-back', owner: TAKER, heartbeatAt: w.clock.now() };
      w.store.seed('fb', ALIAS, seen.claim);
      keepClaimBeating(w, 'fb', ALIAS, TAKER);
    }
    return written;
  };
  return seen;
}

async function runClaimed(w: World) {
  const { settled, running } = await runUntil(w, release(undefined, linear(25, 60)), 600_000);
  expect(settled).toBe(true);
  return running;
}

describe("a rollback's claim between a release level's alias write and its record write", () => {
  it('the record write reads first and leaves the claim standing: fb is not promoted, the release stops for it', async () => {
    const w = fleetWorld();
    claimFbAfterLevelWrite(w, 50);
    // The rollback's own alias write (RevisionId read before the release's write) met a 412 and
    // it gave up: the alias stays where the release's level put it.
    const result = await runClaimed(w);

    expect(w.store.peek('fb', ALIAS)).toMatchObject({ owner: TAKER, phase: 'rolling-back', id: 'd-1' });
    // The release wrote fb's 25% and 50% and nothing after: no 75%, no promote, no restore.
    const fbWrites = w.lambda.callsOf('updateAlias').filter((c) => c.args[0] === 'fb');
    expect(fbWrites.map((c) => (c.args[2] as AliasWrite).additionalWeights)).toEqual([
      { '2': 0.25 },
      { '2': 0.5 },
    ]);
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({
      status: 'conflict',
      heldBy: { owner: TAKER, phase: 'rolling-back', deploymentId: 'd-1' },
    });
    expect(fn(result, 'fa').status).toBe('rolled_back');
    expect(fn(result, 'fc').status).toBe('rolled_back');
  });

  it('the claimant then puts fb back on version 1 and closes it: the release ends rolled back (exit 3), naming who rolled fb back', async () => {
    const w = fleetWorld();
    const taker = claimFbAfterLevelWrite(w, 50);
    // The rollback read the alias after the release's write: its own write lands a second after
    // its claim (before the release's next poll), then it closes its record (its own claim).
    w.clock.after(61_000, () => {
      w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: {} });
      const at = w.clock.now();
      w.store.seed('fb', ALIAS, { ...taker.claim!, phase: 'rolled-back', endedAt: at, heartbeatAt: at });
    });
    const result = await runClaimed(w);

    expect(w.store.peek('fb', ALIAS)).toMatchObject({ owner: TAKER, phase: 'rolled-back' });
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: TAKER } },
      finishedBy: { owner: TAKER, phase: 'rolled-back' },
    });
    for (const name of ['fa', 'fc']) {
      expect(fn(result, name).status).toBe('rolled_back');
      expect(w.lambda.peekAlias(name, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
    // Every function on its stable version: rolled back (exit 3), not a conflict a pipeline retries.
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
  });
});
