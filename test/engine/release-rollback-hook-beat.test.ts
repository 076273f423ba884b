/**
 * A release rolls back: its failing function's `rolling-back` mark is closed last, after every
 * other function's record — and their rollback hooks, which may run for minutes (a page, a
 * ticket). Found by a hostile pass: the mark was not beaten meanwhile, so `lshift status` called
 * it STALE ("the rollback … has stopped; the next lshift check finishes it") while its runner was
 * alive and a check could take it over.
 */
import { describe, expect, it } from 'vitest';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { driveUntil } from './race.js';
import { ALIAS, canary, createFleetWorld, request } from './world.js';

const FNS = ['fa', 'fb'];
const HOOK_MS = 5 * 60_000;

describe("a release's rollback: the mark beats while the other functions' rollback hooks run", () => {
  it('fb (failing, marked) is written rolling-back during fa’s 5-minute rollback hook', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.metrics.setAlarm('fb-errors', 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
    let hookStartedAt = 0;
    w.hooks.script('cmd:./page-oncall', async () => {
      hookStartedAt = w.clock.now();
      await w.clock.sleep(HOOK_MS);
      return { ok: true, durationMs: HOOK_MS };
    });
    const rel: ReleaseRequest = {
      releaseId: 'r-hook01',
      members: FNS.map((fn, i) =>
        request({
          functionName: fn,
          alarms: [`${fn}-errors`],
          deploymentId: `d-${i}`,
          ...canary(10, 600),
          ...(fn === 'fa' ? { hooks: { rollback: [cmdHook('./page-oncall')] } } : {}),
        }),
      ),
    };
    const result = await driveUntil(w, runRelease(w.deps, rel));
    expect(result.status).toBe('rolled_back');
    expect(hookStartedAt).toBeGreaterThan(0);
    const beats = w.store.writes
      .filter((x) => x.functionName === 'fb' && x.record.phase === 'rolling-back')
      .map((x) => x.record.heartbeatAt)
      .filter((at) => at > hookStartedAt && at < hookStartedAt + HOOK_MS);
    // A heartbeat every 60 s of the hook's 5 minutes (the release's interval), give or take one.
    expect(beats.length).toBeGreaterThanOrEqual(4);
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });
});
