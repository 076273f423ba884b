import { describe, expect, it } from 'vitest';
import { createOutputMasker, KnownSecrets } from '../../src/domain/output-secrets.js';

describe('a hook’s own secret values and the function’s known ones: one set, longest first', () => {
  it('masks an own value holding a known one whole, not the known part alone', () => {
    const known = new KnownSecrets();
    known.add(['hunter2hunter2']);
    const mask = createOutputMasker({ DB_PASSWORD: 'hunter2hunter2-and-more' }, known);
    expect(mask('pw hunter2hunter2-and-more, fn hunter2hunter2')).toBe('pw ***, fn ***');
  });

  it('a known value holding an own one is masked whole too, and values learned later count', () => {
    const known = new KnownSecrets();
    const mask = createOutputMasker({ API_TOKEN: 'token-value-1' }, known);
    expect(mask('x token-value-1-extended y')).toBe('x ***-extended y');
    known.add(['token-value-1-extended']);
    expect(mask('x token-value-1-extended y')).toBe('x *** y');
  });
});
