/**
 * A person's `lshift rollback` of a deployment whose runner died meets its alias moved by hand (a
 * 412, the alias re-read at a routing the deployment never wrote): it leaves the alias there
 * (exit 5) and closes the record as moved by hand, as a deploy's own rollback does
 * (rollback-moved-close.test.ts). It put its claim back instead, the record said `shifting` under
 * the dead runner's heartbeat, and `lshift check` said STALLED and offered a `deploy --resume`
 * that would write its next step over the person's move (session 61, F4).
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeClaimedRollback } from '../../src/cli/describe-rollback.js';
import { exitCodeForCheck, exitCodeForRollback } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const ELSEWHERE: RoutingState = { functionVersion: '3', additionalWeights: {} };

/** A dead runner's deployment at 20%; `moved` lands just before the person's rollback write. */
function rollbackMeeting(moved: RoutingState, alsoAtMove: (w: World) => void = () => {}) {
  const w = createWorld();
  w.lambda.addVersion(FN);
  leaveDeployment(w, deadRecord(w));
  let landed = false;
  w.lambda.onCall = (call) => {
    if (call.op !== 'updateAlias' || landed) return;
    landed = true;
    w.lambda.moveAlias(FN, ALIAS, moved);
    alsoAtMove(w);
  };
  const run = rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback by op' },
  );
  return { w, run };
}

async function checkLater(w: World) {
  await w.clock.advance(10 * 60_000);
  const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host:1' };
  return runCheck(deps, { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] });
}

const words = (result: Awaited<ReturnType<typeof rollbackClaimed>>) =>
  describeClaimedRollback(withReason(result));

describe("a person's lshift rollback that meets a move by hand", () => {
  it('moved to version 3: left there, the record closed rolled-back (moved by hand to version 3), exit 5', async () => {
    const { w, run } = rollbackMeeting(ELSEWHERE);
    const result = await run;
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(ELSEWHERE);
    expect(result.status).toBe('conflict');
    expect(exitCodeForRollback(result.status)).toBe(5);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      id: 'd-dead01',
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
    });
    const text = words(result);
    expect(text).toContain('  Alias now: version 3 (100%)');
    expect(text).toContain(
      '  Deployment d-dead01 is closed as rolled-back (moved by hand to version 3); `lshift check` leaves it alone.',
    );
    const ended = w.clock.now();
    const report = await checkLater(w);
    expect(w.lambda.callsOf('updateAlias').filter((c) => c.at > ended)).toEqual([]);
    expect(report.results.map((r) => r.action)).not.toContain('stalled');
    expect(exitCodeForCheck(report)).toBe(0);
  });

  // Split by hand: closed rolled-back (weights changed by hand), exit 4, since session 67
  // (rollback-person-split-close.test.ts); it closed `paused` and offered a resume forward.

  it('a record its runner still beats (no claim taken) is left to that runner, which meets the move itself', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 10_000 }));
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias') w.lambda.moveAlias(FN, ALIAS, ELSEWHERE);
    };
    const result = await rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'op' });
    expect(exitCodeForRollback(result.status)).toBe(5);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'shifting', owner: 'ci@runner:7' });
  });

  it('the record claimed meanwhile by a check: left to it, still a conflict (exit 5)', async () => {
    let taken: DeploymentRecord | undefined;
    const { w, run } = rollbackMeeting(ELSEWHERE, (w) => {
      taken = {
        ...w.store.peek(FN, ALIAS)!,
        phase: 'rolling-back',
        owner: 'check:cron@host:1',
        heartbeatAt: w.clock.now(),
      };
      w.store.seed(FN, ALIAS, taken);
    });
    const result = await run;
    expect(exitCodeForRollback(result.status)).toBe(5);
    expect(w.store.peek(FN, ALIAS)).toEqual(taken);
    expect(words(result)).toContain(
      '  Its deployment record was taken meanwhile by check:cron@host:1: left to it.',
    );
  });

  it('its close not landing: exit 4, the alias as it is now and both ways out', async () => {
    const { w, run } = rollbackMeeting(ELSEWHERE, (w) =>
      w.store.failWrites(new OperationError('THROTTLED', 'Rate exceeded (lambda:TagResource).', {})),
    );
    const result = await run;
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(ELSEWHERE);
    expect(result.status).toBe('unsafe');
    expect(exitCodeForRollback(result.status)).toBe(4);
    const text = words(result);
    expect(text).toContain(
      '✖ UNSAFE: demo:live was moved by someone else during the rollback and left there, but its deployment record could not be closed as moved by hand.',
    );
    expect(text).toContain('  Alias now: version 3 (100%)');
    expect(text).toContain(
      "a check may put version 1 back over that move. To keep the move, record it with `lshift alias demo live 3` once the record's heartbeat is over 2m old; to roll back instead, `lshift rollback demo --alias live`.",
    );
  });
});
