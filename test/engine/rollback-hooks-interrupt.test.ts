/**
 * A signal that comes while the rollback hooks of a rollback a gate caused are running (the
 * terminal closed, a CI cancel): the hooks are how people learn production was rolled back, so
 * they get what they get after a rollback a signal caused — each at most 4 s from the signal, the
 * ones not started yet side by side at once — instead of the running hook killed at once and the
 * others never run (found by a hostile pass: `tmux kill-session` during a `cmd:` rollback hook cut
 * it after 0.3 s, "rollback hook … was interrupted", and a second hook would not have run).
 */
import { describe, expect, it } from 'vitest';
import { runDeploy } from '../../src/engine/deploy.js';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from '../../src/engine/deploy-types.js';
import { INTERRUPTED_ROLLBACK_HOOK_SECONDS } from '../../src/engine/settle-rollback.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALARM, canary, createWorld, request, type World } from './world.js';

/** A hook that, once started, lets the signal come and waits until its own signal ends it. */
function interruptingHook(w: World, controller: AbortController, seen: { ranMs?: number }) {
  return async (_payload: unknown, opts: { signal?: AbortSignal }) => {
    const started = w.clock.elapsedMs();
    controller.abort(new Error('interrupted by SIGHUP'));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => {
      if (!opts.signal || opts.signal.aborted) resolve();
      else opts.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    seen.ranMs = w.clock.elapsedMs() - started;
    return { ok: false, reason: 'killed', durationMs: seen.ranMs };
  };
}

describe('a signal during the rollback hooks of a rollback a gate caused', () => {
  it('the running hook keeps 4 s, and the hooks not started yet run side by side, 4 s each', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 5_000, reason: 'errors' });
    const controller = new AbortController();
    const seen: { ranMs?: number } = {};
    w.hooks.script('cmd:page', interruptingHook(w, controller, seen));
    const hooks = { rollback: [cmdHook('page'), cmdHook('chat'), cmdHook('ticket')] };
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks, signal: controller.signal }));

    expect(result.status).toBe('rolled_back');
    expect(seen.ranMs).toBe(INTERRUPTED_ROLLBACK_HOOK_SECONDS * 1000);
    expect(w.hooks.calls.map((c) => c.spec.raw)).toEqual(['cmd:page', 'cmd:chat', 'cmd:ticket']);
    expect(w.hooks.calls.slice(1).map((c) => c.timeoutMs)).toEqual([4000, 4000]);
    expect(result.rollbackHooks).toMatchObject({ kind: 'interrupted', hook: 'cmd:page' });
    expect(w.lambda.peekAlias('demo', 'live')?.functionVersion).toBe('1');
  });

  it('a hook that ends as the signal comes: the others still run, 4 s each, and no wait is left behind', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 5_000, reason: 'errors' });
    const controller = new AbortController();
    w.hooks.script('cmd:page', () => {
      controller.abort(new Error('interrupted by SIGHUP'));
      return { ok: true, durationMs: 0 };
    });
    const hooks = { rollback: [cmdHook('page'), cmdHook('chat')] };
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), hooks, signal: controller.signal }));

    expect(result.status).toBe('rolled_back');
    expect(w.hooks.calls.map((c) => [c.spec.raw, c.timeoutMs])).toEqual([
      ['cmd:page', DEFAULT_HOOK_TIMEOUT_SECONDS * 1000],
      ['cmd:chat', 4000],
    ]);
    expect(w.clock.pendingSleeps).toBe(0);
  });
});
