import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/cli/renderers/describe-event.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, allAtOnce, createWorld, FN, request, type World } from './world.js';

/**
 * `lshift promote` during a bake skips the rest of it: the deploy then said "bake: completed,
 * healthy" (and, at a terminal, "✔ Bake at 100% for 30m") as if the whole bake had been watched.
 * bake.completed now says how long it watched when an operator ended it early.
 */
describe('a bake ended early by `lshift promote`', () => {
  function promoteAt(w: World, seconds: number): void {
    w.clock.at(w.start + seconds * 1000, () => {
      const record = w.store.peek(FN, ALIAS);
      if (!record) throw new Error('no record to command');
      const command: OperatorCommand = { verb: 'promote', nonce: 'n1', state: 'sent', by: 'ann@laptop:9' };
      w.store.seed(FN, ALIAS, { ...record, command });
    });
  }

  it('bake.completed carries how long it watched of how long it was to, and the line says it ended early', async () => {
    const w = createWorld();
    promoteAt(w, 95);
    const result = await runDeploy(w.deps, request({ ...allAtOnce(), bakeSeconds: 1800 }));
    expect(result.status).toBe('promoted');
    const [completed] = w.sink.ofType('bake.completed');
    expect(completed?.endedEarly?.afterSeconds).toBeGreaterThanOrEqual(95);
    expect(completed?.endedEarly?.afterSeconds).toBeLessThanOrEqual(105);
    expect(describeEvent(completed!)).toMatch(
      /^bake: ended early by an operator's promote after 1m 4\ds of 30m, healthy until then$/,
    );
  });

  it('a bake watched to its end says nothing of the kind', async () => {
    const w = createWorld();
    await runDeploy(w.deps, request({ ...allAtOnce(), bakeSeconds: 120 }));
    const [completed] = w.sink.ofType('bake.completed');
    expect(completed?.endedEarly).toBeUndefined();
    expect(describeEvent(completed!)).toBe('bake: completed, healthy');
  });
});
