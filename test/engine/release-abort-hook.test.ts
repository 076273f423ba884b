/**
 * `lshift abort --release` while a hook runs — a hook of the whole release, or one function's
 * own hook — is written to the release's command reader (fa: the first running function), whose
 * record a hook's beats read at every poll: the hook is ended within a poll interval, answered
 * `done`, and the whole release rolls back with OPERATOR_ABORTED.
 */
import { describe, expect, it } from 'vitest';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { FNS, fleetWorld, fn, release, runUntil, sleepHook } from './release-takeover-world.js';
import { ALIAS, type World } from './world.js';

const POLL_MS = 10_000;
const REASON = 'ended: aborted by the operator (ann@laptop:9)';

/** `lshift abort --release` writes to the release's command reader: fa, the first running function. */
function abortAt(w: World, atMs: number): void {
  w.clock.after(atMs, () => {
    const command: OperatorCommand = { verb: 'abort', nonce: 'r1', state: 'sent', by: 'ann@laptop:9' };
    w.store.seed('fa', ALIAS, { ...w.store.peek('fa', ALIAS)!, command });
  });
}

function obeyedAt(w: World): number[] {
  return w.sink.events.flatMap((e) => (e.type === 'operator.command' && e.obeyed ? [e.at - w.start] : []));
}

function expectAllBack(w: World): void {
  for (const name of FNS) {
    expect(w.lambda.peekAlias(name, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  }
}

describe('an abort of the release while a hook runs', () => {
  it('during a pre-traffic hook of the whole release: ended within a poll, nothing moved, the release rolled back', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    abortAt(w, 100_000);
    const { settled, running } = await runUntil(w, release({ pre: [cmdHook('sleep 600')] }), 200_000);

    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    for (const name of FNS) {
      expect(fn(result, name)).toMatchObject({ status: 'rolled_back', cause: { code: 'OPERATOR_ABORTED' } });
    }
    const [at, ...more] = obeyedAt(w);
    expect(more).toEqual([]);
    expect(at).toBeLessThanOrEqual(100_000 + POLL_MS);
    expect(w.sink.ofType('hook.completed')).toEqual([
      expect.objectContaining({ phase: 'pre', ok: false, reason: REASON }),
    ]);
    expect(w.store.peek('fa', ALIAS)?.command).toMatchObject({ nonce: 'r1', state: 'done' });
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it("during fc's own step hook (the alias split): ended within a poll, every function back on its stable version", async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    // canary 10% for 60 s: the step hook runs after the 10% hold, from 60 s.
    abortAt(w, 100_000);
    const own = release(undefined, undefined, (f) =>
      f === 'fc' ? { hooks: { step: [cmdHook('sleep 600')] } } : {},
    );
    const { settled, running } = await runUntil(w, own, 200_000);

    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    for (const name of FNS) {
      expect(fn(result, name)).toMatchObject({ status: 'rolled_back', cause: { code: 'OPERATOR_ABORTED' } });
    }
    const [at, ...more] = obeyedAt(w);
    expect(more).toEqual([]);
    expect(at).toBeLessThanOrEqual(100_000 + POLL_MS);
    expect(w.sink.ofType('hook.completed')).toEqual([
      expect.objectContaining({ phase: 'step', ok: false, reason: REASON }),
    ]);
    expectAllBack(w);
  });
});
