/**
 * A person's `lshift rollback` claims the record of a deploy that is writing its last weight and
 * its promotion. Tags have no conditional write: the deploy's record writes read first, then
 * write, and a claim landing in between was written over without the deploy ever seeing it. The
 * deploy then said "promoted" (exit 0) while the rollback, claimed before that, went on to put
 * all traffic back on the stable version (found by a hostile pass, its rollback's alias write
 * held 25 s at the endpoint). Whenever the deploy exits 0 here, no rollback's claim stood before
 * its promotion was final; otherwise it follows that rollback and says so (exit 3).
 */
import { describe, expect, it } from 'vitest';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { describeClaimedRollback } from '../../src/cli/describe-rollback.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { PROMOTION_SETTLE_MS } from '../../src/engine/promotion-settle.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { slowStore } from './paced-store.js';
import {
  claimHere,
  createRaceWorld,
  finalAlias,
  gate,
  isDeployWrite,
  isFullWrite,
  isRestore,
  runDeployAlone,
  runRace,
  TAKER,
} from './promote-race.js';
import { ALIAS, createWorld, FN, linear, request } from './world.js';

const STABLE = { functionVersion: '1', additionalWeights: {} };

describe("a rollback's claim against a deploy's last writes", () => {
  it('claimed just before the 100% write: the deploy sees the claim and follows the rollback (exit 3)', async () => {
    const race = createRaceWorld();
    race.holdAliasWrites.push([isFullWrite, claimHere(race)]);
    const [deploy, rollback] = await runRace(race);

    expect(rollback.status).toBe('rolled_back');
    expect(deploy.status).toBe('rolled_back');
    expect(exitCodeForStatus(deploy.status)).toBe(3);
    expect(finalAlias(race.w)).toEqual(STABLE);
  });

  it('claimed between the 100% write and its step record, which went over the claim: not promoted (exit 3)', async () => {
    const race = createRaceWorld();
    race.holdWrites.push([isDeployWrite('shifting', 100), claimHere(race)]);
    const [deploy, rollback] = await runRace(race);

    expect(rollback.status).toBe('rolled_back');
    expect(finalAlias(race.w)).toEqual(STABLE);
    expect(deploy.status).toBe('rolled_back');
    expect(exitCodeForStatus(deploy.status)).toBe(3);
  });

  it('claimed between the ownership read and the `promoted` write, which went over the claim: not promoted (exit 3)', async () => {
    const race = createRaceWorld();
    race.holdWrites.push([isDeployWrite('promoted'), claimHere(race)]);
    const [deploy, rollback] = await runRace(race);

    expect(rollback.status).toBe('rolled_back');
    expect(finalAlias(race.w)).toEqual(STABLE);
    expect(deploy.status).toBe('rolled_back');
    expect(exitCodeForStatus(deploy.status)).toBe(3);
  });

  // The hostile pass's run: the rollback's alias write to the stable version was held 25 s at
  // the endpoint (and retried by the SDK), so it landed long after the deploy had finished.
  for (const [what, write] of [
    ['its 100% step record', isDeployWrite('shifting', 100)],
    ['its `promoted` record', isDeployWrite('promoted')],
  ] as const) {
    it(`claim written over by ${what}, the rollback's alias write held 25 s: the deploy waits for the claim, not promoted (exit 3)`, async () => {
      const race = createRaceWorld();
      race.holdWrites.push([write, claimHere(race)]);
      race.holdAliasWrites.push([isRestore, () => race.w.clock.sleep(25_000)]);
      const [deploy, rollback] = await runRace(race);

      // Written over, the claim was written again (never a rollback behind the runner's back).
      const claims = race.w.store.writes.filter(
        (x) => x.record.owner === TAKER && x.record.phase === 'rolling-back',
      );
      expect(claims.length).toBe(2);
      expect(rollback.status).toBe('rolled_back');
      expect(finalAlias(race.w)).toEqual(STABLE);
      expect(deploy.status).toBe('rolled_back');
      expect(exitCodeForStatus(deploy.status)).toBe(3);
      expect(race.w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: TAKER });
    });
  }

  // The claimer's calls slow (a throttled endpoint: the SDK's retries), the runner's at once. The
  // deploy reads back 5 s after its write over the claim; the claim read back only after its 3 s
  // settle and written again two more reads later came back past that from 0.5 s a call
  // (exit 0, then all traffic put back on version 1). Looked at every second while it settles,
  // it is back in time while a read and a write take under 4 s together (check-claim.ts).
  for (const [what, write] of [
    ['its 100% step record', isDeployWrite('shifting', 100)],
    ['its `promoted` record', isDeployWrite('promoted')],
  ] as const) {
    for (const callMs of [600, 1_900]) {
      it(`claim written over by ${what}, each of the rollback's record calls taking ${callMs / 1000} s: not promoted (exit 3)`, async () => {
        const race = createRaceWorld();
        race.rollbackStore = slowStore(race.w, callMs);
        race.holdWrites.push([write, claimHere(race)]);
        const [deploy, rollback] = await runRace(race);

        expect(rollback.status).toBe('rolled_back');
        expect(finalAlias(race.w)).toEqual(STABLE);
        expect(deploy.status).toBe('rolled_back');
        expect(exitCodeForStatus(deploy.status)).toBe(3);
        expect(deploy.finishedBy).toMatchObject({ owner: TAKER });
      });
    }
  }

  // Past the margin (a read and a write taking 5 s together) the deploy may read back before the
  // claim is back and say promoted; the rollback knows its claim came back late, and says so.
  it('claim written over by its `promoted` record, each of the rollback’s record calls taking 2.5 s: promoted (exit 0), and the rollback says the deploy may have said so first', async () => {
    const race = createRaceWorld();
    race.rollbackStore = slowStore(race.w, 2_500);
    race.holdWrites.push([isDeployWrite('promoted'), claimHere(race)]);
    const [deploy, rollback] = await runRace(race);

    expect(deploy.status).toBe('promoted');
    expect(rollback).toMatchObject({ status: 'rolled_back', promotedFirst: true });
    expect(describeClaimedRollback(withReason(rollback))).toContain(
      `Deployment ${deploy.deploymentId} may have said promoted (exit 0) before this rollback`,
    );
    expect(finalAlias(race.w)).toEqual(STABLE);
  });

  it('claimed in time (calls of 0.6 s): the rollback does not say the deploy may have said promoted', async () => {
    const race = createRaceWorld();
    race.rollbackStore = slowStore(race.w, 600);
    race.holdWrites.push([isDeployWrite('promoted'), claimHere(race)]);
    const [deploy, rollback] = await runRace(race);

    expect(deploy.status).toBe('rolled_back');
    expect(rollback.status).toBe('rolled_back');
    expect(rollback.promotedFirst).toBeUndefined();
    expect(describeClaimedRollback(withReason(rollback))).not.toContain('may have said promoted');
  });

  it('the ownership read before the 100% step record fails: written blind over the claim, still not promoted (exit 3)', async () => {
    const race = createRaceWorld();
    race.holdAliasWrites.push([
      isFullWrite,
      async () => {
        await claimHere(race)();
        // The deploy's next read — the one before its step record — is throttled.
        race.w.store.failReads(new Error('Rate exceeded'), 1);
      },
    ]);
    race.holdAliasWrites.push([isRestore, () => race.w.clock.sleep(25_000)]);
    const [deploy, rollback] = await runRace(race);

    expect(rollback.status).toBe('rolled_back');
    expect(finalAlias(race.w)).toEqual(STABLE);
    expect(deploy.status).toBe('rolled_back');
    expect(exitCodeForStatus(deploy.status)).toBe(3);
  });

  it('a claim that comes after the promotion settled is a rollback of a promoted deployment: the deploy stays promoted (exit 0)', async () => {
    const race = createRaceWorld();
    race.holdWrites.push([
      isDeployWrite('promoted'),
      async () => {
        race.w.clock.after(PROMOTION_SETTLE_MS + 1_000, () => race.start.open());
      },
    ]);
    const [deploy, rollback] = await runRace(race);

    expect(deploy.status).toBe('promoted');
    expect(exitCodeForStatus(deploy.status)).toBe(0);
    expect(rollback.status).toBe('rolled_back');
    expect(finalAlias(race.w)).toEqual(STABLE);
  });

  it('the alias put back on the stable version with no claim the deploy could see (a rollback whose record writes failed): not promoted (exit 5)', async () => {
    const race = createRaceWorld();
    race.holdWrites.push([
      isDeployWrite('promoted'),
      async () => {
        race.w.clock.after(1_000, () => race.w.lambda.moveAlias(FN, ALIAS, STABLE));
      },
    ]);
    const deploy = await runDeployAlone(race);

    expect(deploy.status).toBe('conflict');
    expect(exitCodeForStatus(deploy.status)).toBe(5);
    expect(deploy.cause?.code).toBe('ALIAS_CHANGED');
    // Found by the read-back, not by a write's 412 (it said "(RevisionId mismatch)").
    expect(describeReason(deploy)).not.toContain('RevisionId mismatch');
    expect(finalAlias(race.w)).toEqual(STABLE);
    expect(race.w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });

  // Said "a read right after the promotion" after a ten-minute bake, as if the alias had moved in
  // the 5 s after the 100% write (h4's list, session 68): the words say what ran in between.
  it('the same after a bake: the read is said to come after the bake, the 100% written before it', async () => {
    const race = createRaceWorld();
    race.holdWrites.push([
      isDeployWrite('promoted'),
      async () => {
        race.w.clock.after(1_000, () => race.w.lambda.moveAlias(FN, ALIAS, STABLE));
      },
    ]);
    const deploy = await runDeployAlone(race, { bakeSeconds: 600 });

    expect(deploy.status).toBe('conflict');
    expect(deploy.cause?.detail).toContain(
      'a read after its 10m bake at 100%, once lshift had recorded the deployment promoted, found alias live routing version 1 (100%), not all traffic on version 2 as lshift wrote it before the bake',
    );
    expect(describeReason(deploy)).not.toContain('right after the promotion');
  });

  it('the claim read the record before `promoted` landed and went over it: the deploy sees it and follows (exit 3)', async () => {
    const race = createRaceWorld();
    // The rollback starts (and reads the record) while the promoted write is in flight; its claim
    // lands only after the promoted record did.
    race.holdWrites.push([
      isDeployWrite('promoted'),
      async () => {
        race.start.open();
        await race.w.clock.sleep(0);
      },
    ]);
    race.holdWrites.push([(r) => r.owner === TAKER, () => race.promotedRecord.passed]);
    const [deploy, rollback] = await runRace(race);

    expect(rollback.status).toBe('rolled_back');
    expect(finalAlias(race.w)).toEqual(STABLE);
    expect(deploy.status).toBe('rolled_back');
    expect(exitCodeForStatus(deploy.status)).toBe(3);
  });

  it("the rollback's alias write held past the deploy's 100% write (read before it): 412, re-read, retried; the deploy follows (exit 3)", async () => {
    const race = createRaceWorld();
    // The deploy's 100% write waits until the rollback, claimed, has read the alias and sent its
    // own write; that one is held until the deploy's has landed, so it carries the RevisionId of
    // before (a request held at the endpoint and retried by the SDK).
    const restoreSent = gate();
    race.holdAliasWrites.push([
      isFullWrite,
      async () => {
        race.start.open();
        await restoreSent.passed;
      },
    ]);
    race.holdAliasWrites.push([
      isRestore,
      async () => {
        restoreSent.open();
        await race.promotedAlias.passed;
      },
    ]);
    const [deploy, rollback] = await runRace(race);

    const restores = race.w.lambda.aliasWrites().filter(isRestore);
    expect(restores.length).toBe(2);
    expect(rollback.status).toBe('rolled_back');
    expect(finalAlias(race.w)).toEqual(STABLE);
    expect(deploy.status).toBe('rolled_back');
    expect(exitCodeForStatus(deploy.status)).toBe(3);
  });

  it("the rollback's write lands before the deploy's 100% write (held): the 100% write meets a 412 and the alias stays back (both say rolled back)", async () => {
    const race = createRaceWorld();
    const restored = gate();
    race.holdAliasWrites.push([
      isFullWrite,
      async () => {
        race.start.open();
        await restored.passed;
      },
    ]);
    race.w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias' && isRestore(call.args[2] as AliasWrite))
        race.w.clock.after(0, () => restored.open());
    };
    const [deploy, rollback] = await runRace(race);

    expect(
      race.w.lambda.callsOf('updateAlias').find((c) => isFullWrite(c.args[2] as AliasWrite))?.error,
    ).toBe('ALIAS_CHANGED');
    expect(rollback.status).toBe('rolled_back');
    expect(finalAlias(race.w)).toEqual(STABLE);
    expect(deploy.status).toBe('rolled_back');
    expect(exitCodeForStatus(deploy.status)).toBe(3);
  });
});

// Found by a hostile pass: a new deploy started within the read-back's 5 s, on the version this
// one had just promoted, made it exit 5 "someone else moved it" for a release that succeeded.
describe('a new deployment started while the deploy reads its promotion back', () => {
  it('the promotion stands (exit 0): the alias is the later deployment’s to move', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    const write = w.store.write.bind(w.store);
    w.store.write = async (fn, alias, record) => {
      await write(fn, alias, record);
      if (record.phase !== 'promoted' || record.id === 'd-next') return;
      await write(fn, alias, {
        ...record,
        id: 'd-next',
        owner: 'other@ci:9',
        phase: 'shifting',
        stableVersion: '2',
        targetVersion: '3',
        percent: 10,
        heartbeatAt: w.clock.now(),
        endedAt: undefined,
      });
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: { '3': 0.1 } });
    };
    const result = await runDeploy(w.deps, request(linear(50, 60)));
    expect(result.status).toBe('promoted');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-next' });
  });
});
