import { describe, expect, it } from 'vitest';
import { fnv1a64 } from '../../src/domain/fnv1a.js';

describe('fnv1a64 matches the published FNV-1a 64-bit test vectors', () => {
  // From the FNV reference test suite (http://www.isthe.com/chongo/src/fnv/test_fnv.c).
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['b', 'af63df4c8601f1a5'],
    ['foobar', '85944171f73967e8'],
  ])('%j → %s', (text, hex) => {
    expect(fnv1a64(text).toString(16).padStart(16, '0')).toBe(hex);
  });

  it('hashes UTF-8 bytes, so non-ASCII names differ from their ASCII look-alikes', () => {
    expect(fnv1a64('alarme-érreur')).not.toBe(fnv1a64('alarme-erreur'));
    expect(fnv1a64('é')).toBe(fnv1a64('\u00e9'));
  });
});
