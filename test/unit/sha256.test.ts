import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/domain/sha256.js';

const reference = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex (pure, for the domain) agrees with node:crypto', () => {
  it.each([
    ['empty', ''],
    ['abc (FIPS 180-4 example)', 'abc'],
    ['55 bytes: the longest one-block message', 'a'.repeat(55)],
    ['56 bytes: the length spills into a second block', 'a'.repeat(56)],
    ['64 bytes', 'b'.repeat(64)],
    ['multi-block', 'lshift guards '.repeat(40)],
    ['non-ASCII (UTF-8 bytes)', 'alarme-érreur 🚨 警報'],
  ])('%s', (_, text) => {
    expect(sha256Hex(text)).toBe(reference(text));
  });

  it('the FIPS 180-4 digest of "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
