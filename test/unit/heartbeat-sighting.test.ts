import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { isObservedStale, markOf, observeHeartbeat } from '../../src/domain/heartbeat-sighting.js';

const record: DeploymentRecord = {
  id: 'd-1',
  stableVersion: '1',
  targetVersion: '2',
  strategy: 'linear:10%:1m',
  stepIndex: 0,
  percent: 10,
  phase: 'shifting',
  startedAt: 1_000,
  owner: 'ci@a:1',
  heartbeatAt: 5_000,
  history: [],
};

describe('observeHeartbeat: staleness seen on the reader’s own clock', () => {
  it.each([
    ['the heartbeat', { heartbeatAt: 6_000 }],
    ['the phase', { phase: 'rolling-back' as const }],
    ['the owner', { owner: 'check:b' }],
    ['the deployment', { id: 'd-2' }],
  ])('a new %s starts the sighting again', (_what, change) => {
    const first = observeHeartbeat(undefined, record, 100);
    const next = observeHeartbeat(first, { ...record, ...change }, 50_000);
    expect(next.since).toBe(50_000);
    expect(isObservedStale(next, 100 + 120_000, 120_000)).toBe(false);
  });

  it('an unchanged record keeps its first time, whatever its heartbeat says', () => {
    const first = observeHeartbeat(undefined, record, 100);
    const later = observeHeartbeat(first, { ...record }, 119_000);
    expect(later).toBe(first);
    expect(isObservedStale(later, 100 + 119_999, 120_000)).toBe(false);
    expect(isObservedStale(later, 100 + 120_000, 120_000)).toBe(true);
  });

  it('a record that disappears is a change too', () => {
    expect(markOf(undefined)).not.toBe(markOf(record));
    const gone = observeHeartbeat(observeHeartbeat(undefined, record, 0), undefined, 10);
    expect(gone.since).toBe(10);
  });
});
