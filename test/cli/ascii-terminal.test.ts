import { describe, expect, it } from 'vitest';
import { terminalWantsAscii, toAscii } from '../../src/cli/ascii-terminal.js';

describe('terminalWantsAscii', () => {
  it.each([
    [{ LANG: 'C', LC_ALL: 'C' }, true],
    [{ LANG: 'POSIX' }, true],
    [{ LANG: 'en_US.ISO-8859-1' }, true],
    [{ LANG: 'en_US.UTF-8', LC_ALL: 'C' }, true], // LC_ALL wins
    [{ LANG: 'C', LC_CTYPE: 'C.UTF-8' }, false], // LC_CTYPE before LANG
    [{ LANG: 'en_US.utf8' }, false],
    [{ LANG: 'C.UTF-8', LC_ALL: '' }, false], // an empty variable counts as unset
    [{}, false], // no locale said: unchanged
  ])('%j → %s', (env, ascii) => {
    expect(terminalWantsAscii(env)).toBe(ascii);
  });
});

describe('toAscii', () => {
  it.each([
    ['✔ Promoted demo:live to version 2', 'OK Promoted demo:live to version 2'],
    ['✖ Rolled back demo:live', 'X Rolled back demo:live'],
    ['Preflight passed: version 1 → 2', 'Preflight passed: version 1 -> 2'],
    ['errors  new ▁▃▅█  (max 0.9%)', 'errors  new _-=#  (max 0.9%)'],
    ['⠋ Bake at 100%', '- Bake at 100%'],
    ['the 1–3 minutes… it’s', "the 1-3 minutes... it's"],
    ['función ñ', 'funci?n ?'],
  ])('%s', (text, ascii) => {
    expect(toAscii(text)).toBe(ascii);
  });

  it('leaves ASCII, and terminal control, as it is', () => {
    const text = '\u001b[32mok\u001b[39m\r\n';
    expect(toAscii(text)).toBe(text);
  });
});
