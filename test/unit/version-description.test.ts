import { describe, expect, it } from 'vitest';
import { isLshiftError } from '../../src/domain/errors.js';
import { checkVersionDescription } from '../../src/domain/limits.js';

// Found by a hostile pass: `publish --description $'\e[2J…'` published the escape into the
// version, shown by every later listing; --reason refused the same text. Now both say it alike.
describe('checkVersionDescription: control characters', () => {
  it.each([
    ['ESC', 'release\u001b[2J 42'],
    ['newline', 'line one\nline two'],
    ['C1', 'x\u009by'],
  ])('%s → INVALID_FLAG naming the flag, as --reason', (_name, description) => {
    let thrown: unknown;
    try {
      checkVersionDescription(description);
    } catch (error) {
      thrown = error;
    }
    expect(isLshiftError(thrown) && thrown.code).toBe('INVALID_FLAG');
    expect((thrown as Error).message).toMatch(
      /^--description may not hold control characters \(found .+\)\.$/,
    );
  });

  it('plain text, accents and emoji pass', () => {
    expect(() => checkVersionDescription('release 42 — café ✔')).not.toThrow();
  });
});
