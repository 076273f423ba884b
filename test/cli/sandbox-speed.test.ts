import { describe, expect, it } from 'vitest';
import { parseSpeed } from '../../src/cli/sandbox-session.js';
import { isLshiftError } from '../../src/domain/errors.js';

describe('parseSpeed (sandbox --speed, deploy --sandbox --speed)', () => {
  it.each([
    ['60', 60],
    ['1', 1],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1e3', 1000],
    [' 10 ', 10],
    ['100000', 100_000],
  ])('%j → %d', (text, speed) => {
    expect(parseSpeed(text)).toBe(speed);
  });

  // `0x10` was read as 16 (found by a hostile pass); the others were refused already.
  it.each(['0x10', '0b11', '0o7', '', ' ', '0', '-1', '1e309', 'Infinity', '100001', '10x', '1,5'])(
    '%j: INVALID_FLAG',
    (text) => {
      let thrown: unknown;
      try {
        parseSpeed(text);
      } catch (error) {
        thrown = error;
      }
      expect(isLshiftError(thrown) && thrown.code).toBe('INVALID_FLAG');
    },
  );
});
