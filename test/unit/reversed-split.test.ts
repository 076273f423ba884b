import { describe, expect, it } from 'vitest';
import { isReversedSplit } from '../../src/domain/reversed-split.js';

const versions = { stableVersion: '1', targetVersion: '2' };

describe('isReversedSplit', () => {
  it.each([
    ['primary the new version, weight on the stable one', '2', { '1': 0.9 }, true],
    ['as lshift writes it (primary the stable version)', '1', { '2': 0.1 }, false],
    ['all on the new version', '2', {}, false],
    ['a weight of 0 routes nothing', '2', { '1': 0 }, false],
    ['the weight on a version the deployment does not know', '2', { '3': 0.5 }, false],
    ['primary a version the deployment does not know', '3', { '1': 0.5 }, false],
  ])('%s → %s', (_what, functionVersion, additionalWeights, expected) => {
    expect(isReversedSplit({ functionVersion, additionalWeights }, versions)).toBe(expected);
  });
});
