/**
 * `lshift rollback --release` racing a release's `promoted` writes, every claim written over
 * (each landed between the release's read of a record and its write of it), with the
 * rollback's record calls taking time as a real process's do. The release reads its promotion
 * back 5 s after its last `promoted` (release-promotion-settle.ts); the rollback must have
 * claimed each function again by then, or the release says promoted (exit 0) while the rollback
 * puts every function back. It claimed again only once every first claim was read back, then
 * read every record once more: at Lambda's 15 requests a second a hundred functions took it past
 * the read-back (exit 0 and all traffic on version 1), and three did on a throttled endpoint.
 * Now each claim is looked at while it settles and written again at once (check-claim.ts).
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeRollback } from '../../src/cli/describe-rollback.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import type { ReleaseResult } from '../../src/domain/release-result.js';
import type { ClaimedReleaseRollbackResult } from '../../src/engine/release-rollback-claim.js';
import { pacedStore, slowStore } from './paced-store.js';
import {
  FNS,
  finalAliases,
  isRunnerWrite,
  raceOneRollback,
  raceReleaseRollback,
  releaseRace,
  TAKER,
} from './release-promote-race.js';
import { fn } from './release-takeover-world.js';
import { ALIAS, type World } from './world.js';

const HUNDRED = Array.from({ length: 100 }, (_, i) => `f${String(i).padStart(3, '0')}`);

/** Both sides agree: the release follows the rollback (exit 3), every function back on version 1. */
function expectReleaseFollowed(
  result: ReleaseResult,
  rollback: ClaimedReleaseRollbackResult,
  fns: readonly string[],
  race: ReturnType<typeof releaseRace>,
): void {
  expect(rollback.status).toBe('rolled_back');
  expect(rollback.errors).toEqual([]);
  expect({ status: result.status, exit: exitCodeForStatus(result.status) }).toEqual({
    status: 'rolled_back',
    exit: 3,
  });
  for (const name of fns) {
    expect(fn(result, name)).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER' },
      finishedBy: { owner: TAKER },
    });
    expect(race.w.store.peek(name, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: TAKER });
  }
  expect(new Set(Object.values(finalAliases(race.w, fns)))).toEqual(new Set(['1']));
}

/** Every function's `promoted` write waits until the rollback's claim on it landed: written over. */
function writeOverEveryClaim(race: ReturnType<typeof releaseRace>): void {
  for (const name of race.fns)
    race.holdWrites.push([
      isRunnerWrite(name, 'promoted'),
      async () => {
        race.start.open();
        await race.claimLanded(name);
      },
    ]);
}

describe('`lshift rollback --release` whose every claim the release’s `promoted` writes went over', () => {
  for (const [what, fns, store] of [
    ['100 functions, the rollback’s calls at 15 a second', HUNDRED, (w: World) => pacedStore(w, 67)],
    ['3 functions, the rollback’s calls at 15 a second', FNS, (w: World) => pacedStore(w, 67)],
    ['3 functions, each of the rollback’s calls taking 0.6 s', FNS, (w: World) => slowStore(w, 600)],
    ['3 functions, each of the rollback’s calls taking 1.5 s', FNS, (w: World) => slowStore(w, 1500)],
  ] as const) {
    it(`${what}: the release follows the rollback (exit 3), never promoted beside it`, async () => {
      const race = releaseRace(fns.length, fns);
      race.rollbackStore = store(race.w);
      writeOverEveryClaim(race);
      const [result, rollback] = await raceReleaseRollback(race);

      expectReleaseFollowed(result, rollback, fns, race);
    }, 60_000);
  }
});

describe('`lshift rollback --release` past the margin (each of its calls taking 2.5 s)', () => {
  it('the release says promoted (exit 0); the rollback says of each function that the release may have said so first', async () => {
    const race = releaseRace(FNS.length, FNS);
    race.rollbackStore = slowStore(race.w, 2_500);
    writeOverEveryClaim(race);
    const [result, rollback] = await raceReleaseRollback(race);

    expect(result.status).toBe('promoted');
    expect(rollback.status).toBe('rolled_back');
    for (const f of rollback.functions) {
      expect(f).toMatchObject({ status: 'rolled_back', promotedFirst: true });
      expect(describeRollback(withReason(f))).toContain(
        'Release r-hook01 may have said promoted (exit 0) before this rollback',
      );
    }
    expect(finalAliases(race.w)).toEqual({ fa: '1', fb: '1', fc: '1' });
  });
});

describe('`lshift rollback fb` whose claim the release’s `promoted` write of fb went over', () => {
  for (const callMs of [600, 1500]) {
    it(`each of the rollback’s calls taking ${callMs / 1000} s: not promoted — fb followed, fa and fc rolled back for it (exit 3)`, async () => {
      const race = releaseRace();
      race.rollbackStore = slowStore(race.w, callMs);
      race.holdWrites.push([
        isRunnerWrite('fb', 'promoted'),
        async () => {
          race.start.open();
          await race.claimLanded('fb');
        },
      ]);
      const [result, rollback] = await raceOneRollback(race);

      expect(rollback.status).toBe('rolled_back');
      expect(result.status).toBe('rolled_back');
      expect(exitCodeForStatus(result.status)).toBe(3);
      expect(fn(result, 'fb')).toMatchObject({ status: 'rolled_back', finishedBy: { owner: TAKER } });
      expect(finalAliases(race.w)).toEqual({ fa: '1', fb: '1', fc: '1' });
    });
  }
});
