/**
 * An operator's `lshift rollback` of a running deploy claims its record, then writes the alias
 * back to the stable version. A deploy that meets the alias write before it has seen the claim —
 * a 412 on its next weight write, a hold's read of the alias, the promotion read-back — reads its
 * record and, finding that rollback of this very deployment there, ends as it does when a poll
 * sees the claim first: rolled back by the operator (exit 3), not a conflict (exit 5) that sends
 * people looking for someone else's deployment. A record it cannot read changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { throttled } from '../helpers/fake-lambda.js';
import { createConflictRace, DEPLOYER, deployLogs, OPERATOR, runConflictRace } from './conflict-race.js';
import { isDeployWrite, isFullWrite } from './promote-race.js';
import { ALIAS, createWorld, FN, linear, request } from './world.js';

const STABLE = { functionVersion: '1', additionalWeights: {} };

/** What a deploy rolled back by the operator ends with, however it learnt of the rollback. */
function expectRolledBackByOperator(result: Awaited<ReturnType<typeof runConflictRace>>[0], at: string) {
  expect(result.status).toBe('rolled_back');
  expect(exitCodeForStatus(result.status)).toBe(3);
  expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: OPERATOR } });
  expect(result.finishedBy).toMatchObject({ owner: OPERATOR });
  expect(describeReason(result)).toMatch(
    new RegExp(
      `^rolled back by rollback:ops@desk:3 ${at}, while this lshift still ran it \\(recorded rolled back at [^)]+\\): all traffic is on version 1$`,
    ),
  );
}

describe('a deploy meets the alias write of an operator’s rollback before its claim', () => {
  it('the 412 on its 100% write, then GetAlias throttled: the rollback in its record is followed, rolled back by them (exit 3)', async () => {
    const race = createConflictRace();
    const { w } = race;
    // The rollback runs from 55 s, while the deploy's polls cannot read the record; it is done
    // before the 100% write at 60 s, which meets its 412. Then the deploy's alias reads that
    // follow are throttled: the 412's own, the write's routing check, the stop's, and the first
    // read of the takeover path's — its follow reads the alias again (settle-result.ts).
    w.clock.at(w.start + 53_000, () => {
      race.readsFail = true;
    });
    w.clock.at(w.start + 55_000, () => race.start.open());
    w.lambda.onCall = (call) => {
      if (call.op !== 'updateAlias' || !isFullWrite(call.args[2] as AliasWrite)) return;
      race.readsFail = false;
      w.lambda.fail({ op: 'getAlias', times: 4, error: throttled('lambda:GetAlias') });
    };
    const [deploy, rollback] = await runConflictRace(race, linear(50, 60));

    expect(rollback.status).toBe('rolled_back');
    expect(w.lambda.callsOf('updateAlias').find((c) => isFullWrite(c.args[2] as AliasWrite))?.error).toBe(
      'ALIAS_CHANGED',
    );
    expectRolledBackByOperator(deploy, 'at step 2 \\(100%\\)');
    expect(w.lambda.callsOf('getAlias').filter((c) => c.error === 'THROTTLED')).toHaveLength(4);
    expect(deployLogs(w)).toContainEqual(expect.stringContaining(`taken over by ${OPERATOR}`));
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(STABLE);
    // Their record stands: the deploy wrote nothing after the 412.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: OPERATOR });
  });

  it('the 412 on its 100% write, its record read throttled once: the next read finds the rollback (exit 3)', async () => {
    const race = createConflictRace();
    const { w } = race;
    w.clock.at(w.start + 53_000, () => {
      race.readsFail = true;
    });
    w.clock.at(w.start + 55_000, () => race.start.open());
    w.lambda.onCall = (call) => {
      if (call.op !== 'updateAlias' || !isFullWrite(call.args[2] as AliasWrite)) return;
      race.readsFail = false;
      race.failingReads = 1;
    };
    const [deploy] = await runConflictRace(race, linear(50, 60));

    // Its 100% write was refused: step 1's weight is the last of this run the alias had, as the
    // record says (until session 64: "at step 2 (100%)").
    expectRolledBackByOperator(deploy, 'at step 1 \\(50%\\)');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: OPERATOR });
    expect(w.store.peek(FN, ALIAS)?.endReason).toBeUndefined();
  });

  it('a hold’s read of the alias finds it back on version 1, its record read throttled once: rolled back by them (exit 3)', async () => {
    const race = createConflictRace();
    const { w } = race;
    // 50% held 120 s; the hold reads its alias every 30 s. The rollback runs at 35 s, unseen by
    // the polls (their reads throttled) until the hold's alias read at 60 s finds it moved.
    w.clock.at(w.start + 33_000, () => {
      race.readsFail = true;
    });
    w.clock.at(w.start + 35_000, () => race.start.open());
    w.lambda.onCall = (call) => {
      if (call.op !== 'getAlias' || !race.rolledBack.isOpen() || !race.readsFail) return;
      race.readsFail = false;
      race.failingReads = 1;
    };
    const [deploy] = await runConflictRace(race, linear(50, 120));

    expect(w.lambda.callsOf('updateAlias')).toHaveLength(2);
    expectRolledBackByOperator(deploy, 'at step 1 \\(50%\\)');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: OPERATOR });
  });

  it('the promotion read-back finds the alias back on version 1, its record reads throttled: rolled back by them (exit 3)', async () => {
    const race = createConflictRace();
    const { w } = race;
    // The rollback starts once `promoted` is stored: its claim lands during the 5-s read-back
    // wait, and the read-back's own record read (and the one after the alias read) are throttled.
    const write = w.store.write.bind(w.store);
    w.store.write = async (fn, alias, record) => {
      await write(fn, alias, record);
      if (!isDeployWrite('promoted')(record)) return;
      race.failingReads = 2;
      race.start.open();
    };
    const [deploy] = await runConflictRace(race, linear(50, 60));

    expectRolledBackByOperator(deploy, 'after step 2 \\(100%\\)');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(STABLE);
  });

  it('its record unreadable from the rollback on: a conflict (exit 5), as before', async () => {
    const race = createConflictRace();
    const { w } = race;
    w.clock.at(w.start + 53_000, () => {
      race.readsFail = true;
    });
    w.clock.at(w.start + 55_000, () => race.start.open());
    const [deploy] = await runConflictRace(race, linear(50, 60));

    // Nothing it could read said rollback: where traffic is, and the conflict, as before.
    expect(deploy.status).toBe('conflict');
    expect(exitCodeForStatus(deploy.status)).toBe(5);
    expect(deploy.cause?.code).toBe('ALIAS_CHANGED');
    expect(deploy.aliasState).toEqual(STABLE);
    expect(describeReason(deploy)).toMatch(
      /^alias live of function demo changed underneath at step 1 \(50%\): someone else moved it/,
    );
    // Its close as moved by hand, unable to read the record first, is not written blind over the
    // operator's: it said `moved by hand` under the deployer's owner (found by a helper's pass).
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ owner: OPERATOR, phase: 'rolled-back' });
  });
});

// The alias all on the stable version, the record still this deployment as its runner wrote it:
// a rollback that could not write the record, or `aws lambda update-alias` by hand. Nothing the
// deploy can read says which; exit 3 would claim a rollback nobody recorded (moved-by-rollback.ts).
describe('the alias put back with the record still the deploy’s own', () => {
  it('an operator’s rollback that could neither read nor write the record: a conflict (exit 5), closed as moved by hand', async () => {
    const race = createConflictRace();
    const { w } = race;
    w.clock.at(w.start + 35_000, () => race.start.open());
    race.operatorStore = {
      read: async () => Promise.reject(new Error('AccessDeniedException: lambda:ListTags')),
      write: async () => Promise.reject(new Error('AccessDeniedException: lambda:TagResource')),
    };
    const [deploy, rollback] = await runConflictRace(race, linear(50, 60));

    expect(rollback.status).toBe('rolled_back');
    expect(deploy.status).toBe('conflict');
    expect(exitCodeForStatus(deploy.status)).toBe(5);
    expect(deploy.cause?.code).toBe('ALIAS_CHANGED');
    expect(deploy.aliasState).toEqual(STABLE);
    expect(deployLogs(w)).not.toContainEqual(expect.stringContaining('taken over'));
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      owner: DEPLOYER,
      phase: 'rolled-back',
      endReason: 'moved by hand',
    });
  });
});

// `lshift alias demo live 1` closes the record under the runner's own owner, `moved by hand`: no
// rollback, and no owner that would remove a `--warm` config. It stays rolled back by
// `lshift alias` (rolledBackByOther), and the deploy removes its temporary config itself.
describe('`lshift alias` back to the stable version, met through the 412', () => {
  it('rolled back by `lshift alias` (exit 3), and --warm’s temporary provisioned concurrency removed', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    const update = w.lambda.updateAlias.bind(w.lambda);
    w.lambda.updateAlias = async (fn, alias, aliasWrite) => {
      if (isFullWrite(aliasWrite)) {
        const ours = w.store.peek(FN, ALIAS)!;
        w.lambda.moveAlias(FN, ALIAS, STABLE);
        w.store.seed(FN, ALIAS, {
          ...ours,
          phase: 'rolled-back',
          percent: 0,
          endReason: 'moved by hand',
          heartbeatAt: w.clock.now() + 1,
          endedAt: w.clock.now() + 1,
        });
      }
      return update(fn, alias, aliasWrite);
    };
    const result = await runDeploy(w.deps, request({ ...linear(50, 60), warm: true }));

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toMatch(
      /^rolled back by `lshift alias` \(moved by hand\) at step 1 \(50%\)/,
    );
    expect(w.lambda.callsOf('deleteProvisionedConcurrency').map((c) => c.args)).toEqual([[FN, '2']]);
  });
});
