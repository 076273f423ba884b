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
  it('puts it off at most to the longest gap heartbeats have at polls anyway (the longest poll, 1 min)', () => {
    expect(PUT_OFF_BEAT_LIMIT_MS).toBe(60_000);
  });

  const cases: [string, Partial<DeploymentRecord>, number, number, boolean][] = [
    ['due at 30 s, polls 10 s apart', {}, 30_000, 10_000, true],
    ['the last try that still lands within 60 s', {}, 50_000, 10_000, true],
    ['one more would land past 60 s', {}, 51_000, 10_000, false],
    ['polls 1 min apart: the next try would land past 1 min', {}, 30_000, 60_000, false],
    ['polls 20 s apart, the last write 40 s old', {}, 40_000, 20_000, true],
    ['a release function, due at 55 s, polls 10 s apart: written blind', {}, 55_000, 10_000, false],
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
