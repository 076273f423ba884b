import { describe, expect, it } from 'vitest';
import { sharedAliasFlag } from '../../src/domain/alias-flag.js';

describe('sharedAliasFlag', () => {
  it.each([
    [['live', 'live'], ''],
    [['blue'], ' --alias blue'],
    [['blue', 'blue', 'blue'], ' --alias blue'],
    [['blue', 'live'], ''],
    [[], ''],
  ])('%j → %j', (aliases, flag) => {
    expect(sharedAliasFlag(aliases)).toBe(flag);
  });
});
