/**
 * A signal during a release's rollback hooks (a gate caused the rollback; a terminal closed, a CI
 * cancel): each function said `interrupted during the rollback hooks: each runs for at most 4 s
 * more, …` on its own line, the same words three times over. Now the release says it once, naming
 * the functions whose hooks were running; one function alone still says it as before.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/domain/events.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import type { HookRunOptions } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { driveUntil } from './race.js';
import { canary, createFleetWorld, request, type World } from './world.js';

const FNS = ['alpha', 'beta', 'gamma'];
const SAID = 'interrupted during the rollback hooks';

/** Once `waitFor` of them run, the signal comes; each then waits until its own signal ends it. */
function hooksThatWaitForTheSignal(controller: AbortController, waitFor: number) {
  let running = 0;
  return async (_payload: unknown, opts: HookRunOptions) => {
    running += 1;
    if (running === waitFor) controller.abort(new Error('interrupted by SIGHUP'));
    await new Promise<void>((resolve) => {
      if (!opts.signal || opts.signal.aborted) resolve();
      else opts.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return { ok: false, reason: 'killed', durationMs: 0 };
  };
}

function release(signal: AbortSignal, withHooks: readonly string[]): ReleaseRequest {
  return {
    releaseId: 'r-abc123',
    signal,
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-abc12${i}`,
        ...canary(10, 60),
        // As the CLI gives it (release-setup.ts): each function's run sees the signal too.
        signal,
        ...(withHooks.includes(fn) ? { hooks: { rollback: [cmdHook(`./notify ${fn}`)] } } : {}),
      }),
    ),
  };
}

function saidLines(w: World): EngineEvent[] {
  return w.sink.events.filter((e) => e.type === 'log' && e.message.includes(SAID));
}

describe('a signal during the rollback hooks of a release', () => {
  it('said once for the release, naming the functions whose hooks were running', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.metrics.setAlarm('gamma-errors', 'ALARM', { at: w.start + 5_000, reason: 'errors' });
    const controller = new AbortController();
    const hook = hooksThatWaitForTheSignal(controller, 3);
    for (const fn of FNS) w.hooks.script(`cmd:./notify ${fn}`, hook);
    const result = await driveUntil(w, runRelease(w.deps, release(controller.signal, FNS)));

    expect(result.status).toBe('rolled_back');
    const said = saidLines(w);
    expect(said, JSON.stringify(said)).toHaveLength(1);
    expect(said[0]).toMatchObject({
      releaseId: 'r-abc123',
      message: `${SAID} of alpha:live, beta:live and gamma:live: each runs for at most 4 s more, the ones not started yet side by side (a second signal stops them)`,
    });
    expect(said[0]).not.toHaveProperty('target');
  });

  it('one function in its rollback hooks: said as before, on its own line', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.metrics.setAlarm('gamma-errors', 'ALARM', { at: w.start + 5_000, reason: 'errors' });
    const controller = new AbortController();
    w.hooks.script('cmd:./notify beta', hooksThatWaitForTheSignal(controller, 1));
    const result = await driveUntil(w, runRelease(w.deps, release(controller.signal, ['beta'])));

    expect(result.status).toBe('rolled_back');
    const said = saidLines(w);
    expect(said, JSON.stringify(said)).toHaveLength(1);
    expect(said[0]).toMatchObject({
      target: { functionName: 'beta', alias: 'live' },
      message: `${SAID}: each runs for at most 4 s more, the ones not started yet side by side (a second signal stops them)`,
    });
  });
});
