/**
 * A hook line with no line break for over 8,000 characters is given out at that point (a stream
 * must not be buffered forever). Found by a hostile pass: the rest was given out as a line of its
 * own, so a secret across the break was masked in neither piece and its second half shown.
 */
import { describe, expect, it } from 'vitest';
import { createOutputMasker } from '../../src/domain/output-secrets.js';
import { MAX_LINE_CHARS, OutputTail } from '../../src/hooks/hook-output.js';

const SECRET = 'zq9zq9zq9zq9-the-rest-of-the-secret';

function run(chunks: string[]) {
  const shown: string[] = [];
  const tail = new OutputTail((line) => shown.push(line), createOutputMasker({ MY_SECRET_TOKEN: SECRET }));
  const splitter = tail.createSplitter();
  for (const chunk of chunks) splitter.push(chunk);
  splitter.flush();
  return { shown, kept: tail.text() };
}

describe('a line too long to keep whole', () => {
  it('a secret across the forced break: no piece of it is shown or kept', () => {
    const head = `${'x'.repeat(MAX_LINE_CHARS * 8 - 12)} ${SECRET.slice(0, 12)}`;
    const { shown, kept } = run([
      head.slice(0, 4096),
      head.slice(4096),
      `${SECRET.slice(12)} done\n`,
      'next line\n',
    ]);
    for (const text of [...shown, kept]) {
      expect(text).not.toContain('the-rest-of-the-secret');
      expect(text).not.toContain('zq9zq9');
    }
    expect(shown).toHaveLength(2);
    expect(shown[0]).toBe(`${'x'.repeat(MAX_LINE_CHARS)}…`);
    expect(shown[1]).toBe('next line');
  });

  it('the rest of the long line is dropped over several chunks, up to its line break', () => {
    const long = 'y'.repeat(MAX_LINE_CHARS * 8 + 1);
    const { shown } = run([long, 'more of it', ' and more', '\r\nafter\n']);
    expect(shown).toEqual([`${'y'.repeat(MAX_LINE_CHARS)}…`, 'after']);
  });

  it('lines of ordinary length are given out as before, a secret in them masked', () => {
    const { shown } = run([`one ${SECRET}\ntw`, 'o\n']);
    expect(shown).toEqual(['one ***', 'two']);
  });
});
