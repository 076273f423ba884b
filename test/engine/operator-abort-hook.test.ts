/**
 * An `abort` sent while a hook runs (pre-traffic, step, post-traffic) is obeyed at the hook's
 * next beat — within one poll interval — not at the first poll after the hook: the hook is ended
 * (its `hook.completed` says by the operator's abort), no further hook runs, the command is
 * answered `done`, and the deployment rolls back with OPERATOR_ABORTED. A pause or promote is
 * still left for the first poll after the hook (operator-command-waits.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { OperatorCommand, OperatorVerb } from '../../src/domain/operator-command.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, createWorld, FN, linear, request, type World } from './world.js';

const POLL_MS = 10_000;
const HOOK_MS = 900_000;

/** A hook that takes `ms` of clock time unless its signal ends it; records that signal. */
function slowHook(w: World, ms: number, seen: { signal?: AbortSignal }) {
  return (_payload: unknown, opts: { signal?: AbortSignal }) =>
    new Promise<HookResult>((resolve) => {
      seen.signal = opts.signal;
      w.clock.after(ms, () => resolve({ ok: true, durationMs: ms }));
      opts.signal?.addEventListener('abort', () => resolve({ ok: false, reason: 'killed', durationMs: 0 }));
    });
}

function sendAt(w: World, atMs: number, verb: OperatorVerb, nonce: string): void {
  w.clock.at(w.start + atMs, () => {
    const command: OperatorCommand = { verb, nonce, state: 'sent', by: 'ann@laptop:9', reason: 'pager' };
    w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, command });
  });
}

const obeyed = (w: World) =>
  w.sink.events.flatMap((e) =>
    e.type === 'operator.command' ? [{ verb: e.verb, obeyed: e.obeyed, at: e.at - w.start }] : [],
  );

async function run(w: World, req: ReturnType<typeof request>, untilMs: number) {
  const done = runDeploy(w.deps, req);
  await w.clock.advance(0);
  await w.clock.advance(untilMs);
  return done;
}

function completedHooks(w: World) {
  return w.sink
    .ofType('hook.completed')
    .map((e) => ({ phase: e.phase, hook: e.hook, ok: e.ok, reason: e.reason }));
}

describe('an abort sent while a hook runs', () => {
  it('during a 15-minute pre-traffic hook: the hook is ended within a poll, nothing moved, the next hook never runs', async () => {
    const w = createWorld({ auto: false });
    const seen: { signal?: AbortSignal } = {};
    w.hooks.script('cmd:slow', slowHook(w, HOOK_MS, seen));
    w.hooks.script('cmd:next', () => Promise.resolve({ ok: true, durationMs: 1 }));
    sendAt(w, 61_000, 'abort', 'a1');
    const result = await run(
      w,
      request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow'), cmdHook('next')] } }),
      HOOK_MS + 600_000,
    );

    expect(result.status).toBe('rolled_back');
    expect(result).toMatchObject({
      trafficMoved: false,
      position: { kind: 'before-traffic', during: 'pre-hook' },
    });
    expect(result.cause?.code).toBe('OPERATOR_ABORTED');
    expect(result.cause?.detail ?? JSON.stringify(result.cause)).toMatch(/ann@laptop:9/);
    const [abort, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(abort).toMatchObject({ verb: 'abort', obeyed: true });
    expect(abort!.at).toBeLessThanOrEqual(61_000 + POLL_MS);
    expect(seen.signal?.aborted).toBe(true);
    expect(completedHooks(w)).toEqual([
      { phase: 'pre', hook: 'cmd:slow', ok: false, reason: 'ended: aborted by the operator (ann@laptop:9)' },
    ]);
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ nonce: 'a1', state: 'done' });
    // Nothing moved: no weight was ever written.
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('during a step hook: ended within a poll, the alias put back on the stable version', async () => {
    const w = createWorld({ auto: false });
    const seen: { signal?: AbortSignal } = {};
    w.hooks.script('cmd:soak', slowHook(w, HOOK_MS, seen));
    // linear 25% every 60 s: 25% held 0–60 s, the step hook from 60 s.
    sendAt(w, 100_000, 'abort', 's1');
    const result = await run(w, request({ ...linear(25, 60), hooks: { step: [cmdHook('soak')] } }), HOOK_MS);

    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('OPERATOR_ABORTED');
    const [abort, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(abort!.at).toBeLessThanOrEqual(100_000 + POLL_MS);
    expect(seen.signal?.aborted).toBe(true);
    expect(completedHooks(w)).toEqual([
      { phase: 'step', hook: 'cmd:soak', ok: false, reason: 'ended: aborted by the operator (ann@laptop:9)' },
    ]);
    expect(w.store.peek(FN, ALIAS)?.command).toMatchObject({ nonce: 's1', state: 'done' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('during a post-traffic hook: ended within a poll, all traffic put back on the stable version', async () => {
    const w = createWorld({ auto: false });
    const seen: { signal?: AbortSignal } = {};
    w.hooks.script('cmd:post', slowHook(w, HOOK_MS, seen));
    // linear 50% every 60 s: 100% written at 60 s, then the post-traffic hook.
    sendAt(w, 150_000, 'abort', 'p1');
    const result = await run(w, request({ ...linear(50, 60), hooks: { post: [cmdHook('post')] } }), HOOK_MS);

    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('OPERATOR_ABORTED');
    const [abort, ...more] = obeyed(w);
    expect(more).toEqual([]);
    expect(abort!.at).toBeLessThanOrEqual(150_000 + POLL_MS);
    expect(seen.signal?.aborted).toBe(true);
    expect(completedHooks(w)).toEqual([
      { phase: 'post', hook: 'cmd:post', ok: false, reason: 'ended: aborted by the operator (ann@laptop:9)' },
    ]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('a pause sent during a hook is not obeyed by it: the hook runs to its end, the pause at the first poll after', async () => {
    const w = createWorld({ auto: false });
    const seen: { signal?: AbortSignal } = {};
    w.hooks.script('cmd:slow', slowHook(w, 300_000, seen));
    sendAt(w, 61_000, 'pause', 'q1');
    sendAt(w, 400_000, 'resume', 'q2');
    const result = await run(w, request({ ...linear(50, 60), hooks: { pre: [cmdHook('slow')] } }), 1_500_000);

    expect(result.status).toBe('promoted');
    expect(seen.signal?.aborted).toBe(false);
    const [pause] = obeyed(w);
    expect(pause).toMatchObject({ verb: 'pause', obeyed: true });
    expect(pause!.at).toBeGreaterThanOrEqual(300_000);
  });
});
