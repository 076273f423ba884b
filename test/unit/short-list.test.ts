import { describe, expect, it } from 'vitest';
import { shortList } from '../../src/domain/short-list.js';

describe('shortList', () => {
  it.each([
    [[], 3, ''],
    [['a'], 3, 'a'],
    [['a', 'b', 'c'], 3, 'a, b, c'],
    [['a', 'b', 'c', 'd'], 3, 'a, b, c and 1 more'],
    [Array.from({ length: 5000 }, (_, i) => `alarm-${i}`), 2, 'alarm-0, alarm-1 and 4998 more'],
  ])('%j (at most %d) → %s', (names, max, expected) => {
    expect(shortList(names, max)).toBe(expected);
  });
});
