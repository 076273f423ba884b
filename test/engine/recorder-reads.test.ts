import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { mayPutOffBeat, PUT_OFF_BEAT_LIMIT_MS } from '../../src/engine/recorder-reads.js';

const RUNNING: DeploymentRecord = {
  id: 'd-run001',
  stableVersion: '1',
  targetVersion: '2',
  strategy: 'linear:10%:1m',
  stepIndex: 2,
  percent: 30,
  phase: 'shifting',
  startedAt: 0,
  owner: 'ci@runner:7',
  heartbeatAt: 0,
  history: [],
};

describe('mayPutOffBeat: a heartbeat whose read failed waits for its next try only while it can', () => {
  it('puts it off at most to the longest gap heartbeats have anyway (30 s + the longest poll, 1 min)', () => {
    expect(PUT_OFF_BEAT_LIMIT_MS).toBe(90_000);
  });

  const cases: [string, Partial<DeploymentRecord>, number, number, boolean][] = [
    ['due at 30 s, polls 10 s apart', {}, 30_000, 10_000, true],
    ['the last try that still lands within 90 s', {}, 80_000, 10_000, true],
    ['one more would land past 90 s', {}, 81_000, 10_000, false],
    ['polls 1 min apart: the next try would land past 1m 30s', {}, 31_000, 60_000, false],
    ['polls 1 min apart, the last write 30 s old', {}, 30_000, 60_000, true],
    ['a release function, due at 60 s, polls 10 s apart', {}, 60_000, 10_000, true],
    ['paused (the run ended there, resumable): written', { phase: 'paused' }, 30_000, 10_000, false],
    ['baking: same rule', { phase: 'baking' }, 30_000, 10_000, true],
    ['rolling back: written (it carries no command)', { phase: 'rolling-back' }, 30_000, 10_000, false],
    ['rolled back: written', { phase: 'rolled-back' }, 30_000, 10_000, false],
    ['promoted: written', { phase: 'promoted' }, 30_000, 10_000, false],
  ];
  it.each(cases)('%s', (_name, patch, landedAgoMs, retryInMs, expected) => {
    expect(mayPutOffBeat({ ...RUNNING, ...patch }, landedAgoMs, retryInMs)).toBe(expected);
  });
});
