/**
 * `lshift check` is runCheck then checkReleases, in that order, as one use-case
 * (runCheckWithReleases): runCheck holds back the lines of a release's functions
 * (check-held-reports.ts) and only checkReleases says them, with the release's verdict. The
 * command called the two one after the other and relied on that order; now it calls this one.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine/check.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { ALIAS, createFleetWorld, deadRecord, type World } from './world.js';

/** fa and fb of release r-held01, both at 25% with a dead runner; fa's alarm fires. */
function abandonedRelease(): World {
  const w = createFleetWorld(['fa', 'fb']);
  for (const [i, fn] of ['fa', 'fb'].entries()) {
    w.store.seed(
      fn,
      ALIAS,
      deadRecord(w, { id: `d-${i}`, releaseId: 'r-held01', strategy: 'linear:25%:1m' }),
    );
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.25 } });
  }
  w.metrics.setAlarm('fa-errors', 'ALARM', { reason: 'errors over 3' });
  return w;
}

const request = {
  functionNames: ['fa', 'fb'],
  alias: ALIAS,
  windowSeconds: 3600,
  alarms: ['{function}-errors'],
};

/** The check's line for `fn` (check-entry.ts: `check fn:live: <action> — <reason>`). */
function linesOf(w: World, fn: string): string[] {
  return w.sink.logs().filter((m) => m.startsWith(`check ${fn}:${ALIAS}:`));
}

describe('runCheckWithReleases', () => {
  it("says each function of a release once, with the release's verdict: fb rolled back with fa, not 'stalled'", async () => {
    const w = abandonedRelease();
    const report = await runCheckWithReleases({ ...w.deps, store: w.store }, request);

    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['fa', 'rolled_back'],
      ['fb', 'rolled_back'],
    ]);
    expect(linesOf(w, 'fa')).toHaveLength(1);
    expect(linesOf(w, 'fb')).toEqual([expect.stringContaining('check fb:live: rolled back — ')]);
    expect(w.sink.logs().join('\n')).not.toContain('stalled');
  });

  it('runCheck alone says nothing of a release function: its line is held for checkReleases (why the order is one function)', async () => {
    const w = abandonedRelease();
    await runCheck({ ...w.deps, store: w.store }, request);
    expect(linesOf(w, 'fa')).toEqual([]);
    expect(linesOf(w, 'fb')).toEqual([]);
  });
});
