/**
 * `lshift abort --release` while a lockstep level waits for one function's provisioned
 * concurrency after its weight write (the alias split, for minutes): the abort goes to the
 * release's command reader (fa), whose record that wait's beats read about once a poll interval,
 * whichever function's allocation is waited for. It is obeyed within a poll, answered `done`, the
 * wait ends, and every function rolls back with OPERATOR_ABORTED.
 */
import { describe, expect, it } from 'vitest';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { FNS, fleetWorld, fn, release, runUntil } from './release-takeover-world.js';
import { ALIAS, type World } from './world.js';

const POLL_MS = 10_000;

function abortAt(w: World, atMs: number): void {
  w.clock.after(atMs, () => {
    const command: OperatorCommand = { verb: 'abort', nonce: 'r1', state: 'sent', by: 'ann@laptop:9' };
    w.store.seed('fa', ALIAS, { ...w.store.peek('fa', ALIAS)!, command });
  });
}

function obeyedAt(w: World): number[] {
  return w.sink.events.flatMap((e) => (e.type === 'operator.command' && e.obeyed ? [e.at - w.start] : []));
}

describe('an abort of the release during the wait for provisioned concurrency', () => {
  for (const waiting of ['fa', 'fb']) {
    it(`while ${waiting}'s allocation is IN_PROGRESS after the 10% write: obeyed within a poll, every function rolled back`, async () => {
      const w = fleetWorld();
      // The allocation takes 4 minutes after each routing change (48 reads 5 s apart).
      w.lambda.setProvisionedConcurrency(waiting, ALIAS, 10, Array(48).fill('IN_PROGRESS'));
      abortAt(w, 100_000);
      const { settled, running } = await runUntil(w, release(undefined), 150_000);

      expect(settled).toBe(true);
      const result = await running;
      expect(result.status).toBe('rolled_back');
      for (const name of FNS) {
        expect(fn(result, name)).toMatchObject({
          status: 'rolled_back',
          cause: { code: 'OPERATOR_ABORTED' },
        });
        expect(w.lambda.peekAlias(name, ALIAS)).toMatchObject({
          functionVersion: '1',
          additionalWeights: {},
        });
      }
      const [at, ...more] = obeyedAt(w);
      expect(more).toEqual([]);
      expect(at).toBeLessThanOrEqual(100_000 + POLL_MS);
      expect(w.store.peek('fa', ALIAS)?.command).toMatchObject({ nonce: 'r1', state: 'done' });
    });
  }
});
