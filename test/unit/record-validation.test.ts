import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import {
  findAliasMismatch,
  findRecordProblems,
  RECORD_CLOCK_SKEW_MS,
} from '../../src/domain/record-validation.js';

const NOW = Date.UTC(2026, 0, 1);
const MIN = 60_000;

const GOOD: DeploymentRecord = {
  id: 'd-k3j9x2',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'linear:10%:1m',
  stepIndex: 2,
  percent: 30,
  phase: 'shifting',
  startedAt: NOW - 10 * MIN,
  owner: 'ci@runner:42',
  heartbeatAt: NOW - MIN,
  history: ['6', '5'],
};

describe('findRecordProblems', () => {
  // A keep-move mark typed by hand on a native record: status said "promoted (keeping a move by
  // hand, its CodeDeploy stop unconfirmed)", exit 0 (h2's pass, session 66, F4).
  it.each([
    ['@km', 'keeping a move by hand, its CodeDeploy stop unconfirmed'],
    ['@ks', 'keeping a move by hand, CodeDeploy Succeeded before its stop'],
    ['@ko', "keeping a move by hand, CodeDeploy's own step over it before its stop"],
  ])(
    'refuses the keep-move mark (`r=%s`) on a record no CodeDeploy engine runs, and keeps it on one',
    (code, mark) => {
      const promoted = {
        ...GOOD,
        phase: 'promoted' as const,
        stepIndex: 9,
        percent: 100,
        endedAt: NOW,
        endReason: mark,
      };
      expect(findRecordProblems(promoted, { now: NOW })).toEqual([
        `its end reason \`${mark}\` (\`r=${code}\`) is a mark only a CodeDeploy deployment's record carries, and this deployment's record names no CodeDeploy engine (\`en=cd\`)`,
      ]);
      expect(findRecordProblems({ ...GOOD, endReason: mark, engine: 'codedeploy' }, { now: NOW })).toEqual(
        [],
      );
    },
  );

  it('accepts a record lshift writes, and times within the clock skew', () => {
    expect(findRecordProblems(GOOD, { now: NOW })).toEqual([]);
    const ahead = { ...GOOD, heartbeatAt: NOW + RECORD_CLOCK_SKEW_MS };
    expect(findRecordProblems(ahead, { now: NOW })).toEqual([]);
    const promoted = { ...GOOD, phase: 'promoted' as const, stepIndex: 9, percent: 100, endedAt: NOW };
    expect(findRecordProblems(promoted, { now: NOW })).toEqual([]);
  });

  it('accepts a heartbeat and an end stamped by a machine whose clock is behind the starter’s', () => {
    // Taken over (resume, a check's claim, a rollback) 4 minutes "before" it started.
    const start = NOW - MIN;
    const behind = { ...GOOD, startedAt: start, heartbeatAt: start - 4 * MIN, endedAt: start - 4 * MIN };
    expect(findRecordProblems(behind, { now: NOW })).toEqual([]);
    const tooFar = { ...behind, heartbeatAt: start - RECORD_CLOCK_SKEW_MS - 1 };
    expect(findRecordProblems(tooFar, { now: NOW })).toEqual(['heartbeat is earlier than the start time']);
  });

  it.each<[string, Partial<DeploymentRecord>, string]>([
    ['a weight above 100%', { percent: 999999 }, 'weight 999999% is outside 0–100%'],
    ['a negative weight', { percent: -1 }, 'weight -1% is outside 0–100%'],
    ['a NaN weight', { percent: Number.NaN }, 'weight NaN% is outside 0–100%'],
    [
      '$LATEST as stable',
      { stableVersion: '$LATEST' },
      'stable version `$LATEST` is not a published version number',
    ],
    [
      'a name as target',
      { targetVersion: 'live' },
      'target version `live` is not a published version number',
    ],
    ['version 0', { targetVersion: '0' }, 'target version `0` is not a published version number'],
    [
      'a garbage history entry',
      { history: ['6', 'x'] },
      'previous stable version `x` is not a published version number',
    ],
    ['stable equal to target', { targetVersion: '6' }, 'stable and target are the same version 6'],
    [
      'a heartbeat far in the future',
      { heartbeatAt: NOW + 365 * 24 * 60 * MIN },
      "heartbeat 2027-01-01T00:00:00.000Z is in the future (365d ahead of this machine's clock, more than the 5 minutes AWS lets two clocks differ by), so it is no sign of a live writer and lshift does not wait for it",
    ],
    [
      'a heartbeat 100 hours ahead',
      { heartbeatAt: NOW + 100 * 60 * MIN },
      "heartbeat 2026-01-05T04:00:00.000Z is in the future (4d 4h ahead of this machine's clock, more than the 5 minutes AWS lets two clocks differ by), so it is no sign of a live writer and lshift does not wait for it",
    ],
    [
      'a start in the future',
      { startedAt: NOW + 10 * MIN, heartbeatAt: NOW + 10 * MIN },
      "start time 2026-01-01T00:10:00.000Z is in the future (10m ahead of this machine's clock, more than the 5 minutes AWS lets two clocks differ by)",
    ],
    [
      'a time before Lambda existed',
      { startedAt: 5, heartbeatAt: 6 },
      'start time 1970-01-01T00:00:00.005Z is before AWS Lambda existed',
    ],
    [
      'a heartbeat before the start',
      { heartbeatAt: NOW - 20 * MIN },
      'heartbeat is earlier than the start time',
    ],
    ['an end before the start', { endedAt: NOW - 20 * MIN }, 'end time is earlier than the start time'],
    [
      'a step beyond the plan',
      { stepIndex: 10 },
      'step 11 is beyond the 10-step plan of strategy linear:10%:1m',
    ],
    ['an unknown strategy', { strategy: 'zigzag' }, 'strategy `zigzag` is not one lshift knows'],
  ])('refuses %s', (_name, overrides, problem) => {
    expect(findRecordProblems({ ...GOOD, ...overrides }, { now: NOW })).toContain(problem);
  });
});

describe('findAliasMismatch', () => {
  it.each<
    [
      string,
      Partial<DeploymentRecord>,
      { functionVersion: string; additionalWeights: Record<string, number> },
      boolean,
    ]
  >([
    [
      'shifting, split between its versions',
      {},
      { functionVersion: '6', additionalWeights: { '7': 0.3 } },
      false,
    ],
    ['shifting, all on stable', {}, { functionVersion: '6', additionalWeights: {} }, false],
    ['baking, all on target', { phase: 'baking' }, { functionVersion: '7', additionalWeights: {} }, false],
    ['shifting, but on another version', {}, { functionVersion: '4', additionalWeights: {} }, true],
    [
      'shifting, split with a third version',
      {},
      { functionVersion: '6', additionalWeights: { '8': 0.3 } },
      true,
    ],
    [
      'rolling back, on another version',
      { phase: 'rolling-back' },
      { functionVersion: '9', additionalWeights: {} },
      true,
    ],
    [
      'promoted, moved since (not claiming to shift)',
      { phase: 'promoted' },
      { functionVersion: '9', additionalWeights: {} },
      false,
    ],
    [
      'paused, moved since (preflight handles it)',
      { phase: 'paused' },
      { functionVersion: '9', additionalWeights: {} },
      false,
    ],
  ])('%s → mismatch %s', (_name, overrides, alias, mismatch) => {
    const found = findAliasMismatch({ ...GOOD, ...overrides }, alias);
    expect(found !== undefined).toBe(mismatch);
  });

  it('names the versions the alias routes to that the record does not know', () => {
    expect(findAliasMismatch(GOOD, { functionVersion: '6', additionalWeights: { '8': 0.3 } })).toBe(
      'it is shifting from version 6 to 7, but the alias routes traffic to version 8',
    );
  });
});
