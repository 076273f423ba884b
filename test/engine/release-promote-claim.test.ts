/**
 * An operator's rollback claims a release's function while the release writes its last records
 * (its 100% step, `promoted`). Tags have no conditional write: each of those writes reads the
 * record, then writes it, and a claim landing in between was written over unseen. The release
 * said "promoted" (exit 0) while the rollback, claimed before that, read its claim back, claimed
 * again and put fb — or, `rollback --release`, every function — back on version 1: fa and fc on
 * version 2, fb on version 1, the release's record of them `promoted`. Now the release reads its
 * promotion back once (release-promotion-settle.ts): a claim found then is followed and every
 * other function rolled back for it (exit 3); an alias found moved is a conflict (exit 5).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { PROMOTION_SETTLE_MS } from '../../src/engine/promotion-settle.js';
import {
  claimHere,
  FNS,
  finalAliases,
  isRunnerWrite,
  raceOneRollback,
  raceReleaseRollback,
  releaseRace,
  runReleaseAlone,
  TAKER,
} from './release-promote-race.js';
import { fn } from './release-takeover-world.js';
import { ALIAS, type World } from './world.js';

const ALL_BACK = { fa: '1', fb: '1', fc: '1' };

function expectFbRolledBackByTaker(result: Awaited<ReturnType<typeof raceOneRollback>>[0], w: World): void {
  expect(result.status).toBe('rolled_back');
  expect(exitCodeForStatus(result.status)).toBe(3);
  expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
  expect(fn(result, 'fb')).toMatchObject({
    status: 'rolled_back',
    cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: TAKER } },
    finishedBy: { owner: TAKER },
  });
  // Rolled back by the release for fb, each saying who rolled fb back.
  for (const other of ['fa', 'fc']) {
    expect(fn(result, other)).toMatchObject({
      status: 'rolled_back',
      stoppedFor: { functionName: 'fb', alias: ALIAS, rolledBackBy: TAKER },
    });
    expect(w.store.peek(other, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'tester@host:1' });
  }
  expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolled-back', owner: TAKER });
  expect(finalAliases(w)).toEqual(ALL_BACK);
}

describe("`lshift rollback fb` claiming during a release's last record writes", () => {
  it('written over by fb’s `promoted` record: not promoted — fb followed, fa and fc rolled back for it (exit 3)', async () => {
    const race = releaseRace();
    race.holdWrites.push([isRunnerWrite('fb', 'promoted'), claimHere(race)]);
    const [result, rollback] = await raceOneRollback(race);

    expect(rollback.status).toBe('rolled_back');
    expectFbRolledBackByTaker(result, race.w);
  });

  it('written over by fb’s 100% step record: the same (exit 3)', async () => {
    const race = releaseRace();
    race.holdWrites.push([isRunnerWrite('fb', 'shifting', 100), claimHere(race)]);
    const [result, rollback] = await raceOneRollback(race);

    expect(rollback.status).toBe('rolled_back');
    expectFbRolledBackByTaker(result, race.w);
  });

  it('landing after fb’s `promoted`, while the release still records fa: the same (exit 3)', async () => {
    const race = releaseRace();
    race.holdWrites.push([isRunnerWrite('fa', 'promoted'), claimHere(race)]);
    const [result, rollback] = await raceOneRollback(race);

    expect(rollback.status).toBe('rolled_back');
    expectFbRolledBackByTaker(result, race.w);
  });

  it('landing once the promotion was read back: a rollback of a promoted release — it stays promoted (exit 0)', async () => {
    const race = releaseRace();
    race.holdWrites.push([
      isRunnerWrite('fc', 'promoted'),
      async () => race.w.clock.after(PROMOTION_SETTLE_MS + 1_000, () => race.start.open()),
    ]);
    const [result, rollback] = await raceOneRollback(race);

    expect(result.status).toBe('promoted');
    expect(exitCodeForStatus(result.status)).toBe(0);
    expect(rollback.status).toBe('rolled_back');
    expect(finalAliases(race.w)).toEqual({ fa: '2', fb: '1', fc: '2' });
  });
});

describe("`lshift rollback --release` claiming during the release's `promoted` writes", () => {
  it('one claim written over: the release sees the others, leaves every function to the rollback, not promoted (exit 3)', async () => {
    const race = releaseRace(FNS.length);
    race.holdWrites.push([isRunnerWrite('fb', 'promoted'), claimHere(race)]);
    const [result, rollback] = await raceReleaseRollback(race);

    expect(rollback.status).toBe('rolled_back');
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.failed).toBeDefined();
    for (const name of FNS) {
      expect(fn(result, name)).toMatchObject({
        status: 'rolled_back',
        cause: { code: 'ROLLED_BACK_BY_OTHER' },
        finishedBy: { owner: TAKER },
      });
      expect(race.w.store.peek(name, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: TAKER });
    }
    expect(finalAliases(race.w)).toEqual(ALL_BACK);
  });
});

describe("a release's alias moved while its promotion settles", () => {
  it('fb put back on version 1 with no claim to see (a rollback whose record writes failed): conflict naming fb (exit 5), the others rolled back', async () => {
    const race = releaseRace();
    const { w } = race;
    race.holdWrites.push([
      isRunnerWrite('fb', 'promoted'),
      async () => {
        w.clock.after(1_000, () =>
          w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: {} }),
        );
      },
    ]);
    const result = await runReleaseAlone(race);

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({ status: 'conflict', cause: { code: 'ALIAS_CHANGED' } });
    expect(fn(result, 'fb').cause?.detail).toContain('a read right after the promotion found alias live');
    // A read found it, not a write's 412.
    expect(describeReason(fn(result, 'fb'))).not.toContain('RevisionId mismatch');
    for (const other of ['fa', 'fc']) {
      expect(fn(result, other)).toMatchObject({
        status: 'rolled_back',
        stoppedFor: { functionName: 'fb', aliasChanged: true },
      });
    }
    expect(finalAliases(w)).toEqual(ALL_BACK);
  });
});

describe('a later deployment of fb started while the release reads its promotion back', () => {
  it('the promotion stands (exit 0) and fb is left to it: nothing written to fb after its `promoted`', async () => {
    const race = releaseRace();
    const { w } = race;
    w.lambda.addVersion('fb');
    race.holdWrites.push([
      isRunnerWrite('fc', 'promoted'),
      async () => {
        const promoted = w.store.peek('fb', ALIAS)!;
        w.store.seed('fb', ALIAS, {
          ...promoted,
          id: 'd-next',
          owner: 'other@ci:9',
          phase: 'shifting',
          stableVersion: '2',
          targetVersion: '3',
          percent: 10,
          heartbeatAt: w.clock.now() + 1,
          endedAt: undefined,
        });
        w.lambda.moveAlias('fb', ALIAS, { functionVersion: '2', additionalWeights: { '3': 0.1 } });
      },
    ]);
    const result = await runReleaseAlone(race);

    expect(result.status).toBe('promoted');
    expect(result.functions.map((f) => f.status)).toEqual(['promoted', 'promoted', 'promoted']);
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ id: 'd-next', owner: 'other@ci:9' });
    expect(finalAliases(w)).toEqual({ fa: '2', fb: '2 + 3@0.1', fc: '2' });
  });
});
