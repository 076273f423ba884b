/**
 * Health watched while a hook runs in a release (src/engine/wait-watch.ts): every function whose
 * traffic moved is polled beside the hook — a hook of the whole release, and a function's own
 * hook, which the others wait for. One function's alarm firing meanwhile ends the hook and fails
 * the release for that function; every function rolls back.
 */
import { describe, expect, it } from 'vitest';
import { cmdHook } from '../helpers/fake-hooks.js';
import { fleetWorld, fn, release, runUntil, sleepHook } from './release-takeover-world.js';
import { ALIAS, linear } from './world.js';

describe('a release: health during hooks', () => {
  it('fb’s alarm fires during a step hook of the whole release: the hook ends, the release fails for fb, all roll back', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    // linear 50% for 60 s: the step hook before 100% starts at about 60 s.
    w.metrics.setAlarm('fb-errors', 'ALARM', { at: w.start + 150_000, reason: 'errors' });
    const { settled, running } = await runUntil(
      w,
      release({ step: [cmdHook('sleep 600')] }, linear(50, 60)),
      240_000,
    );
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({ status: 'rolled_back', cause: { code: 'GATE_FAILED' } });
    for (const f of ['fa', 'fb', 'fc']) expect(w.lambda.peekAlias(f, ALIAS)?.functionVersion).toBe('1');
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'step-hook');
    // A release's events name their function (release.ts, namedEvents).
    const named = during.map((e) => (e as { target?: { functionName: string } }).target?.functionName);
    expect(new Set(named)).toEqual(new Set(['fa', 'fb', 'fc']));
  });

  it('fc’s alarm fires during fa’s own post-traffic hook: the release fails for fc, not fa', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 200_000, reason: 'errors' });
    const { settled, running } = await runUntil(
      w,
      release(undefined, linear(50, 60), (f) =>
        f === 'fa' ? { hooks: { post: [cmdHook('sleep 600')] } } : {},
      ),
      320_000,
    );
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    expect(result.failed).toEqual({ functionName: 'fc', alias: ALIAS });
    for (const f of ['fa', 'fb', 'fc']) expect(w.lambda.peekAlias(f, ALIAS)?.functionVersion).toBe('1');
  });
});
