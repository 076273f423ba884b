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
import type { StateStore } from '../../src/ports/state-store.js';
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

/** The world's store, whose reads fail (throttled) once `go` opened. */
function unreadableOnce(w: World, go: Gate, store: StateStore = w.store): StateStore {
  return {
    read: async (fn, alias) => {
      if (go.isOpen()) throw new Error('ThrottlingException: Rate exceeded');
      return store.read(fn, alias);
    },
    write: (fn, alias, record, opts) => store.write(fn, alias, record, opts),
  };
}

/** The world's store, whose first write waits until deployment `first`'s record was stored. */
function claimsAfter(w: World, first: string, store: StateStore = w.store): StateStore {
  let waited = false;
  return {
    read: (fn, alias) => store.read(fn, alias),
    write: async (fn, alias, record, opts) => {
      if (!waited) {
        waited = true;
        await until(w, () => w.store.peek(FN, ALIAS)?.id === first);
      }
      return store.write(fn, alias, record, opts);
    },
  };
}

async function until(w: World, done: () => boolean): Promise<void> {
  while (!done()) await w.clock.sleep(100);
}

type Variant =
  | 'plain'
  | 'loser-read-races'
  | 'loser-first-then-unreadable'
  | 'winner-first-then-unreadable'
  | 'winner-first';

function race(variant: Variant) {
  const loserReadRaces = variant === 'loser-read-races';
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
  // The winner's claim lands after the loser's: the loser meets the winner's record while held. Its
  // reads of the record fail once it is let go: its close at the 412 cannot see whose it is.
  const loserFirst = variant === 'loser-first-then-unreadable';
  // Or the loser's claim lands last: its own record is the last stored, it never meets the
  // winner's while held (no rival), and its reads fail once it is let go.
  const unreadable = loserFirst || variant === 'winner-first-then-unreadable';
  const loserStore = variant.startsWith('winner-first') ? claimsAfter(w, 'd-winner') : w.store;
  const loserDeps = unreadable
    ? { ...w.deps, store: unreadableOnce(w, loserGo, loserStore) }
    : { ...w.deps, store: loserStore };
  const b = runDeploy(
    { ...loserDeps, lambda: heldFirstWrite(w, loserGo.passed, beforeAnswer) },
    request({ ...linear(50, 60), deploymentId: 'd-loser', owner: 'ci@b:2' }),
  );
  const winnerStore = loserFirst ? claimsAfter(w, 'd-loser') : w.store;
  const a = runDeploy(
    { ...w.deps, store: winnerStore, lambda: heldFirstWrite(w, winnerGo.passed) },
    request({ ...linear(50, 60), deploymentId: 'd-winner', owner: 'ci@a:1' }),
  );
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
  const named: Record<Variant, string> = {
    plain: '',
    'loser-read-races': ', its alias read just before the winner’s write',
    'loser-first-then-unreadable': ', its record unreadable at the 412 (the winner’s record met before)',
    'winner-first-then-unreadable': ', its record unreadable at the 412 (the winner’s record never met)',
    'winner-first': ', the loser’s claim stored last (the winner’s record never met while held)',
  };
  for (const variant of Object.keys(named) as Variant[]) {
    it(`the loser ends conflict (exit 5) naming the winner, or exit 4 when it cannot know${named[variant]}`, async () => {
      const { w, run } = race(variant);
      const [won, lost] = await run;
      const logs = w.sink.ofType('log').map((e) => e.message);
      expect(won.status, logs.join('\n')).toBe('promoted');
      // Who moved the alias unknown (its record unreadable, no rival met): the split may be a
      // person's, so exit 4 with `lshift status` first (DESIGN §6: only exit 4 leaves a split).
      const unknown = variant === 'winner-first-then-unreadable';
      expect(lost.status, logs.join('\n')).toBe(unknown ? 'unsafe' : 'conflict');
      expect(exitCodeForStatus(lost.status)).toBe(unknown ? 4 : 5);
      if (unknown) expect(lost.fixCommand).toBe('lshift status demo --alias live');
      // Its record unreadable throughout, the loser cannot name the winner: it says so.
      expect(lost.cause?.detail).toContain(
        variant === 'winner-first-then-unreadable'
          ? 'this deployment never moved the alias and its record could not be read, so which deployment holds alias live of function demo is unknown'
          : 'deployment d-winner (ci@a:1)',
      );
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
