/**
 * A release's rollback whose record writes all hang (TagResource unanswered from the verdict on):
 * the release's one mark is waited for 5 s (mark-wait.ts), then each function writes its own
 * `rolling-back` before its alias, as a single deploy does. Those fallback marks waited 5 s more
 * each (in parallel) behind a store already known to hang: every alias back 10 s after the
 * verdict. Now they wait 1 s, as a mark does once a write of its record failed: 6 s. The marks
 * stay queued and land in their turn; the mark is still closed last (release-close-hang-left.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runRelease } from '../../src/engine/release.js';
import { driveUntil } from './race.js';
import { ALIAS, canary, createFleetWorld, request } from './world.js';

const FNS = ['fa', 'fb', 'fc'];

/** fc's alarm at 85 s; every record write from `hangFromMs` on never answers. */
async function releaseWithHungStore(hangFromMs: number) {
  const w = createFleetWorld(FNS, { auto: false });
  w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
  const write = w.store.write.bind(w.store);
  w.store.write = async (fn, alias, record: DeploymentRecord, opts) =>
    w.clock.now() - w.start >= hangFromMs ? new Promise(() => undefined) : write(fn, alias, record, opts);
  const members = FNS.map((fn, i) =>
    request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...canary(10, 600) }),
  );
  const result = await driveUntil(w, runRelease(w.deps, { releaseId: 'r-marks1', members }));
  const restores = w.lambda
    .callsOf('updateAlias')
    .filter(
      (c) => (c.args[2] as { functionVersion: string; additionalWeights: object }).functionVersion === '1',
    )
    .filter((c) => Object.keys((c.args[2] as { additionalWeights: object }).additionalWeights).length === 0);
  return { w, result, restores };
}

describe('a release rolled back over a record store that hangs', () => {
  it('every alias is back 6 s after the verdict (5 s for the release mark, 1 s for the fallback marks)', async () => {
    const { w, result, restores } = await releaseWithHungStore(87_000);
    expect(result.functions.map((r) => r.status)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
    for (const fn of FNS)
      expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({
        functionVersion: '1',
        additionalWeights: {},
      });
    // The verdict at fc's 91 s poll; the release's mark given up on at 96 s, each function's own
    // at 97 s (at 101 s before), the aliases written then.
    expect(restores.map((c) => (c.at - w.start) / 1000)).toEqual([97, 97, 97]);
    const waits = w.sink.logs('warn').filter((l) => l.includes('(rolling-back)'));
    expect(waits).toEqual([
      'the deployment record (rolling-back) of fc alias live is not written after 5s (a write of the record hangs): lshift goes on without waiting for it, and it is written in its turn',
      ...['fa', 'fb', 'fc'].map(
        (fn) =>
          `the deployment record (rolling-back) of ${fn} alias live is not written after 1s (a write of the record hangs): lshift goes on without waiting for it, and it is written in its turn`,
      ),
    ]);
  });

  it('a mark that lands is waited for as before: no fallback, the aliases written at once', async () => {
    const { w, restores } = await releaseWithHungStore(Number.POSITIVE_INFINITY);
    expect(restores.map((c) => (c.at - w.start) / 1000)).toEqual([91, 91, 91]);
    expect(w.sink.logs('warn').filter((l) => l.includes('not written after'))).toEqual([]);
  });
});
