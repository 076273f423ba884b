/**
 * A release rolls back: its failing function's `rolling-back` mark is closed last, after every
 * other function's record. The others' rollback hooks may run for minutes (a page, a ticket).
 * Found by a hostile pass: the mark waited for them unbeaten, so `lshift status` called it STALE
 * ("the rollback … has stopped; the next lshift check finishes it") while its runner was alive
 * and a check could take it over. Then it was beaten while it waited; now it does not wait for
 * them (release-interrupt-hooks.test.ts: after a signal, two rounds of hooks met CI's SIGTERM).
 */
import { describe, expect, it } from 'vitest';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { driveUntil } from './race.js';
import { ALIAS, canary, createFleetWorld, request } from './world.js';

const FNS = ['fa', 'fb'];
const HOOK_MS = 5 * 60_000;

describe("a release's rollback: the mark does not wait for the other functions' rollback hooks", () => {
  it('fb (failing, marked) is closed rolled-back within seconds of fa’s 5-minute hook starting', async () => {
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
    const closedAt = w.store.writes.find((x) => x.functionName === 'fb' && x.record.phase === 'rolled-back')
      ?.record.endedAt;
    expect(closedAt).toBeDefined();
    // fa's record first, then the mark: before fa's hook has run 10 of its 300 s.
    expect(closedAt!).toBeLessThan(hookStartedAt + 10_000);
    const faClosed = w.store.writes.findIndex(
      (x) => x.functionName === 'fa' && x.record.phase === 'rolled-back',
    );
    const fbClosed = w.store.writes.findIndex(
      (x) => x.functionName === 'fb' && x.record.phase === 'rolled-back',
    );
    expect(faClosed).toBeGreaterThanOrEqual(0);
    expect(fbClosed).toBeGreaterThan(faClosed);
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });
});
