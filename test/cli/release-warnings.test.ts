import { describe, expect, it } from 'vitest';
import { resolveDeployOptions } from '../../src/cli/deploy-options.js';
import { sayOnce, warnBeforeRelease } from '../../src/cli/release-warnings.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeMetrics } from '../helpers/fake-metrics.js';

/**
 * Requests a minute per function, from the Resource dimension of each query: the 15 whole
 * minutes before now, each reporting the rate (the last ones count as still filling).
 */
function trafficOf(rates: Record<string, number>, clock: FakeClock) {
  const end = Math.floor(clock.now() / 60_000) * 60_000;
  const timestamps = Array.from({ length: 15 }, (_, i) => end - (15 - i) * 60_000);
  return (queries: { id: string; dimensions?: Record<string, string> }[]) =>
    queries.map((q) => {
      const fn = (q.dimensions?.FunctionName ?? '') as string;
      const rate = rates[fn] ?? 0;
      return { id: q.id, timestamps, values: timestamps.map(() => rate), status: 'Complete' };
    });
}

function world(rates: Record<string, number>) {
  const clock = new FakeClock();
  const metrics = new FakeMetrics(clock).onMetricData(trafficOf(rates, clock) as never);
  const said: string[] = [];
  const about: (string | undefined)[] = [];
  const events = {
    emit: (e: EngineEvent) => {
      if (e.type !== 'log' || e.level !== 'warn') return;
      said.push(e.message);
      about.push(e.about);
    },
  };
  return { deps: { metrics, clock, events }, metrics, said, about };
}

const member = (functionName: string, flags: Record<string, unknown>, alarms: string[] = []) => ({
  functionName,
  options: resolveDeployOptions({ version: '2', ...flags } as never, {}),
  alarms,
});

describe('warnBeforeRelease', () => {
  it('says what a single deploy would, once for a warning every function shares, naming the functions of the others', async () => {
    const w = world({ alpha: 1000, beta: 1000, gamma: 3 });
    const members = ['alpha', 'beta', 'gamma'].map((fn) =>
      member(fn, { strategy: 'Canary10Percent5Minutes' }, fn === 'beta' ? ['beta-errors'] : []),
    );
    const { lines, byFunction, topics } = await warnBeforeRelease(w.deps, members);
    expect(lines).toEqual([
      expect.stringMatching(/^alpha, gamma: no --alarm given: health is judged by the canary analysis/),
      expect.stringMatching(
        /^gamma: at about 3 requests a minute the new version gets about \d+ calls while judged, fewer than the 100/,
      ),
    ]);
    expect(w.said).toEqual(lines);
    // What each is about (the GitHub annotation's title): health watching, then the analysis.
    expect(w.about).toEqual(['health', 'analysis']);
    // and by the unprefixed warning, as the functions' results keep it (their ::warning titles).
    expect([...topics.values()]).toEqual(['health', 'analysis']);
    expect([...topics.keys()]).toEqual(byFunction.get('gamma'));
    // Each function's result keeps its own, unprefixed.
    expect(byFunction.get('beta')).toEqual([]);
    expect(byFunction.get('gamma')).toEqual([
      expect.stringMatching(/^no --alarm given/),
      expect.stringMatching(/^at about 3 requests a minute/),
    ]);
    // Every function's traffic in one GetMetricData call, not one per function.
    expect(w.metrics.callsOf('getMetricData')).toHaveLength(1);
  });

  it('a plan warning every function shares is said once, bare', async () => {
    const w = world({ alpha: 1000, beta: 1000 });
    const members = ['alpha', 'beta'].map((fn) => member(fn, { strategy: 'AllAtOnce' }, [`${fn}-errors`]));
    const { lines } = await warnBeforeRelease(w.deps, members);
    expect(lines).toEqual([
      expect.stringMatching(
        /^AllAtOnce with no --bake: the alarms \(--alarm\) are read before the traffic moves/,
      ),
      expect.stringMatching(/^AllAtOnce moves all traffic at once and there is no --bake/),
    ]);
  });

  it('a resumed release only says what still holds: nothing watches a function; no traffic read', async () => {
    const w = world({ alpha: 3, beta: 3 });
    const members = ['alpha', 'beta'].map((fn) =>
      member(fn, { strategy: 'Linear10PercentEvery1Minute' }, fn === 'alpha' ? ['alpha-errors'] : []),
    );
    const { lines } = await warnBeforeRelease(w.deps, members, true);
    expect(lines).toEqual([expect.stringMatching(/^beta: no --alarm given/)]);
    expect(w.metrics.callsOf('getMetricData')).toHaveLength(0);
  });
});

describe('sayOnce', () => {
  it.each<[string, { functionName: string; warnings: string[] }[], string[]]>([
    ['none', [{ functionName: 'a', warnings: [] }], []],
    [
      'shared by all, then one',
      [
        { functionName: 'a', warnings: ['x', 'y'] },
        { functionName: 'b', warnings: ['x'] },
      ],
      ['x', 'a: y'],
    ],
    [
      'a duplicate within one function counts once',
      [
        { functionName: 'a', warnings: ['x', 'x'] },
        { functionName: 'b', warnings: [] },
      ],
      ['a: x'],
    ],
  ])('%s', (_name, perMember, expected) => {
    expect(sayOnce(perMember, perMember.length)).toEqual(expected);
  });
});
