/**
 * Two `deploy` of one alias started together, both held at their first UpdateAlias (CI's race
 * test, test/e2e/race.test.ts: the sandbox gate), then let go: the winner moves the alias, the
 * loser meets a 412. Tags have no conditional write: while neither had moved the alias, each put
 * its own record back over the other's (recorder-loss.ts keepOursDespite), and a loser whose
 * alias read said "not moved" just before the winner's write landed stored its record over the
 * winner's. At its 412 it then read its own record, closed it "moved by hand" and said "nobody
 * drives that split: `lshift rollback` …" over the winner's live deployment (exit 4, CI under load).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import { gate } from './promote-race.js';
import { runTogether } from './race.js';
import { ALIAS, createWorld, FN, linear, request, type World } from './world.js';

type Gate = ReturnType<typeof gate>;

/**
 * `w.lambda` whose first UpdateAlias waits for `go`. `raceRead`: a GetAlias of it made while that
 * write is held (its recorder's "has the alias moved?" before putting its record back) answers
 * as read, but only once `beforeAnswer` has run (the winner's write landing meanwhile).
 */
function heldFirstWrite(w: World, go: Promise<void>, beforeAnswer?: () => Promise<void>): LambdaPort {
  let state: 'before' | 'held' | 'released' = 'before';
  let raced = false;
  return new Proxy(w.lambda, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'updateAlias')
        return async (...args: Parameters<LambdaPort['updateAlias']>) => {
          if (state === 'before') {
            state = 'held';
            await go;
            state = 'released';
          }
          return target.updateAlias(...args);
        };
      if (prop === 'getAlias' && beforeAnswer)
        return async (...args: Parameters<LambdaPort['getAlias']>) => {
          const seen = await target.getAlias(...args);
          if (state === 'held' && !raced) {
            raced = true;
            await beforeAnswer();
          }
          return seen;
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function until(w: World, done: () => boolean): Promise<void> {
  while (!done()) await w.clock.sleep(100);
}

function race(loserReadRaces: boolean) {
  const w = createWorld({ auto: false });
  const winnerGo: Gate = gate();
  const loserGo: Gate = gate();
  const winnerAt50 = () => {
    const stored = w.store.peek(FN, ALIAS);
    return stored?.id === 'd-winner' && stored.percent >= 50;
  };
  // The loser's read of the alias (made while both are held) is answered once the winner's weight and record write landed.
  const beforeAnswer = loserReadRaces
    ? async () => {
        winnerGo.open();
        await until(w, winnerAt50);
        // And the loser's own write is let go at once: its 412 comes before its next heartbeat.
        loserGo.open();
      }
    : undefined;
  const deploy = (id: string, owner: string, lambda: LambdaPort) =>
    runDeploy({ ...w.deps, lambda }, request({ ...linear(50, 60), deploymentId: id, owner }));
  const a = deploy('d-winner', 'ci@a:1', heldFirstWrite(w, winnerGo.passed));
  const b = deploy('d-loser', 'ci@b:2', heldFirstWrite(w, loserGo.passed, beforeAnswer));
  const release = (async () => {
    await w.clock.sleep(95_000);
    winnerGo.open();
    await until(w, winnerAt50);
    await w.clock.sleep(1_000);
    loserGo.open();
  })();
  return { w, run: runTogether(w, a, b, release) };
}

describe('two deploys held at their first weight write, then let go', () => {
  for (const loserReadRaces of [false, true]) {
    it(`the loser ends conflict (exit 5) naming the winner${loserReadRaces ? ', its alias read just before the winner’s write' : ''}`, async () => {
      const { w, run } = race(loserReadRaces);
      const [won, lost] = await run;
      const logs = w.sink.ofType('log').map((e) => e.message);
      expect(won.status, logs.join('\n')).toBe('promoted');
      expect(lost.status, logs.join('\n')).toBe('conflict');
      expect(exitCodeForStatus(lost.status)).toBe(5);
      expect(lost.cause?.detail).toContain('deployment d-winner (ci@a:1)');
      expect(logs.join('\n')).not.toContain('nobody drives');
      // The loser never put its record back over the winner's, and left it be while both were
      // held: the winner put its own back once at most (over the loser's first record), not after
      // each of the loser's writes (4 times in CI).
      expect(logs.filter((l) => l.includes('d-winner (ci@a:1) stored its record over ours'))).toEqual([]);
      expect(
        logs.filter((l) => l.includes('d-loser (ci@b:2) stored its record over ours')).length,
      ).toBeLessThan(2);
      expect(logs.join('\n')).toContain(
        'also stored its record on demo alias live, and neither has moved the alias yet: this deployment leaves that record there until its own first weight write lands',
      );
      expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-winner', phase: 'promoted' });
    });
  }
});
