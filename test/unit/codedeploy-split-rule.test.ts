/**
 * Who drives a split alias, one rule for status, resume, preflight and check
 * (codedeploy-split-rule.ts): status named any deployment running on the group, resume and
 * preflight only one moving this alias between the split's versions, check none (h3's s71 brief).
 */
import { describe, expect, it } from 'vitest';
import { drivesSplit, judgeSplitDriver, pickSplitDriver } from '../../src/engine/codedeploy-split-rule.js';

const split = (functionVersion: string, weights: Record<string, number>) => ({
  functionName: 'demo',
  alias: 'live',
  routing: { functionVersion, additionalWeights: weights },
});
const deployment = (
  id: string,
  target?: { functionName: string; alias: string; currentVersion: string; targetVersion: string },
) => ({ id, ...(target ? { target } : {}) });
const moving = (alias: string, current: string, target: string, functionName = 'demo') => ({
  functionName,
  alias,
  currentVersion: current,
  targetVersion: target,
});

describe('drivesSplit', () => {
  it.each([
    [
      'moves this alias between the split’s versions',
      moving('live', '1', '2'),
      split('1', { '2': 0.3 }),
      true,
    ],
    ['the other way round (a rollback deployment)', moving('live', '2', '1'), split('1', { '2': 0.3 }), true],
    [
      'the function named by its ARN',
      moving('live', '1', '2', 'arn:aws:lambda:us-east-1:123456789012:function:demo'),
      split('1', { '2': 0.3 }),
      true,
    ],
    [
      'a zero weight of another version is no traffic',
      moving('live', '1', '2'),
      split('1', { '2': 0.3, '3': 0 }),
      true,
    ],
    ['another alias of the function', moving('staging', '1', '2'), split('1', { '2': 0.3 }), false],
    ['another function', moving('live', '1', '2', 'other'), split('1', { '2': 0.3 }), false],
    [
      'versions the split is not over (a split made by hand)',
      moving('live', '1', '2'),
      split('1', { '3': 0.3 }),
      false,
    ],
    ['one of the split’s versions only', moving('live', '2', '3'), split('1', { '2': 0.3 }), false],
  ])('%s: %s', (_name, target, s, expected) => {
    expect(drivesSplit(deployment('d-X', target), s)).toBe(expected);
  });

  it('an AppSpec that could not be read drives nothing', () => {
    expect(drivesSplit(deployment('d-X'), split('1', { '2': 0.3 }))).toBe(false);
  });
});

describe('pickSplitDriver', () => {
  const s = split('1', { '2': 0.3 });
  it('the first that drives the split, never its own deployment', () => {
    const running = [
      deployment('d-OWN', moving('live', '1', '2')),
      deployment('d-NOT', moving('staging', '1', '2')),
      deployment('d-HOT', moving('live', '1', '2')),
    ];
    expect(pickSplitDriver(running, s, 'd-OWN')?.id).toBe('d-HOT');
    expect(pickSplitDriver(running, s)?.id).toBe('d-OWN');
    expect(pickSplitDriver(running.slice(0, 2), s, 'd-OWN')).toBeUndefined();
    expect(pickSplitDriver([], s)).toBeUndefined();
  });
});

describe('judgeSplitDriver', () => {
  it.each([
    [{ ownRunning: true, split: true }, 'own'],
    [{ ownRunning: true, split: false }, 'own'],
    [{ ownRunning: true, split: true, otherDriver: 'd-HOT (InProgress)' }, 'own'],
    [{ ownRunning: false, split: true, otherDriver: 'd-HOT (InProgress)' }, 'other'],
    [{ ownRunning: false, split: true }, 'nobody'],
    [{ ownRunning: false, split: false }, 'settled'],
    [{ ownRunning: false, split: false, otherDriver: 'd-HOT (InProgress)' }, 'settled'],
  ])('%o → %s', (seen, expected) => {
    expect(judgeSplitDriver(seen)).toBe(expected);
  });
});
