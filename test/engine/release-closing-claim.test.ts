/**
 * A rollback's claim (`lshift rollback fb` from another shell: `rolling-back`, its own owner)
 * written just before a release's closing record write of fb — after the release's own restore of
 * fb landed, or after its last level's record write. The closing write reads the record first,
 * as a step's record write does, and leaves the claim standing: written blind (it followed the
 * release's own alias write), it put `rolled-back` under the release's owner over the claim, and
 * the claimer's rollback, a moment later, found its claim gone.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { fleetWorld, fn, release, runUntil, TAKER } from './release-takeover-world.js';
import { ALIAS, linear, type World } from './world.js';

function claim(w: World, name: string): DeploymentRecord {
  // The claimer's own heartbeat: the fake clock has not moved since the release's last write, and
  // a record with the heartbeat of one the release wrote is the release's own (DeploymentRecorder.isOurs).
  const heartbeatAt = w.clock.now() + 1;
  const claimed = {
    ...w.store.peek(name, ALIAS)!,
    phase: 'rolling-back' as const,
    owner: TAKER,
    heartbeatAt,
  };
  w.store.seed(name, ALIAS, claimed);
  return claimed;
}

/**
 * The claim, once both the release's restore of `name` (all traffic on version 1) and its
 * `rolling-back` record of `name` have landed: the closing write is the release's next write.
 */
function claimBeforeClosingOf(w: World, name: string): { claim?: DeploymentRecord } {
  const seen: { claim?: DeploymentRecord } = {};
  let restored = false;
  let marked = false;
  const claimOnceBoth = () => {
    if (restored && marked && !seen.claim) seen.claim = claim(w, name);
  };
  const updateAlias = w.lambda.updateAlias.bind(w.lambda);
  w.lambda.updateAlias = async (functionName: string, alias: string, aliasWrite: AliasWrite) => {
    const written = await updateAlias(functionName, alias, aliasWrite);
    const restore =
      aliasWrite.functionVersion === '1' && Object.keys(aliasWrite.additionalWeights).length === 0;
    if (functionName === name && restore) restored = true;
    claimOnceBoth();
    return written;
  };
  const write = w.store.write.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    await write(functionName, alias, record);
    if (functionName === name && record.phase === 'rolling-back' && record.owner !== TAKER) marked = true;
    claimOnceBoth();
  };
  return seen;
}

/** fa's alarm fires during the second level's hold: the release rolls every function back. */
function failFaAt(w: World, atMs: number): void {
  w.clock.after(atMs, () => w.metrics.setAlarm('fa-errors', 'ALARM'));
}

async function run(w: World) {
  const { settled, running } = await runUntil(w, release(undefined, linear(25, 60)), 600_000);
  expect(settled).toBe(true);
  return running;
}

describe("a rollback's claim just before a failed release's closing write", () => {
  it.each([
    ['another function (fb)', 'fb'],
    ['the failing function, whose record carries the mark (fa)', 'fa'],
  ])('on %s: the claim stands, the function ends rolled back with the claimer named', async (_what, name) => {
    const w = fleetWorld();
    failFaAt(w, 90_000);
    const taker = claimBeforeClosingOf(w, name);
    const result = await run(w);

    expect(taker.claim).toBeDefined();
    expect(w.store.peek(name, ALIAS)).toEqual(taker.claim);
    expect(fn(result, name)).toMatchObject({
      status: 'rolled_back',
      finishedBy: { owner: TAKER, phase: 'rolling-back' },
    });
    expect(result.status).toBe('rolled_back');
    for (const other of ['fa', 'fb', 'fc'].filter((f) => f !== name)) {
      expect(w.store.peek(other, ALIAS)).toMatchObject({ phase: 'rolled-back' });
      expect(w.store.peek(other, ALIAS)?.owner).not.toBe(TAKER);
    }
  });
});

describe("a rollback's claim just before a release's promote (its closing write)", () => {
  it('the claim stands: fb is not recorded promoted, and the release does not say it is', async () => {
    const w = fleetWorld();
    const write = w.store.write.bind(w.store);
    let claimed: DeploymentRecord | undefined;
    w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
      await write(functionName, alias, record);
      // The last level's record write of fb (100%) landed; the claim comes before the promote's.
      if (!claimed && functionName === 'fb' && record.percent === 100 && record.phase !== 'promoted')
        claimed = claim(w, 'fb');
    };
    const result = await run(w);

    expect(claimed).toBeDefined();
    expect(w.store.peek('fb', ALIAS)).toEqual(claimed);
    expect(fn(result, 'fb').status).not.toBe('promoted');
    expect(result.status).not.toBe('promoted');
    // The others are not left on the new version while fb goes back: found when the release's
    // promotion was read back (release-promotion-settle.ts), they roll back for it (before, fa
    // and fc stayed `promoted` beside fb's claim).
    for (const other of ['fa', 'fc']) {
      expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
      expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
  });
});
