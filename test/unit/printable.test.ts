import { describe, expect, it } from 'vitest';
import {
  describeUnprintable,
  hasVisibleText,
  joinPrintableLines,
  printable,
  printableJson,
  printableLines,
} from '../../src/domain/printable.js';

/** Text from someone else is never printed with characters that act on a terminal or a CI log. */
describe('printable', () => {
  it.each([
    [
      'a newline (a GitHub workflow command on a line of its own)',
      'ok\n::stop-commands::x',
      'ok\uFFFD::stop-commands::x',
    ],
    ['ESC (a terminal escape: hidden text)', 'ok\u001b[8m', 'ok\uFFFD[8m'],
    ['CSI as one C1 character', 'a\u009b2J', 'a\uFFFD2J'],
    ['carriage return, tab, DEL, NUL', 'a\rb\tc\u007fd\u0000', 'a\uFFFDb\uFFFDc\uFFFDd\uFFFD'],
    ['a right-to-left override (CVE-2021-42574)', 'abc\u202Edcba', 'abc\\u{202E}dcba'],
    ['a bidirectional isolate', 'x\u2066y\u2069', 'x\\u{2066}y\\u{2069}'],
    ['a zero-width space in a name', 'li\u200Bve', 'li\\u{200B}ve'],
    ['a left-to-right and a right-to-left mark', 'a\u200Eb\u200Fc', 'a\\u{200E}b\\u{200F}c'],
    ['a zero-width non-joiner, a joiner between letters', 'a\u200Cb\u200Dc', 'a\\u{200C}b\\u{200D}c'],
    ['a byte-order mark, a word joiner', '\uFEFFde\u2060mo', '\\u{FEFF}de\\u{2060}mo'],
    ['every bidi embedding and override', '\u202A\u202B\u202C\u202D', '\\u{202A}\\u{202B}\\u{202C}\\u{202D}'],
    ['an Arabic letter mark, the other isolates', '\u061C\u2067\u2068', '\\u{061C}\\u{2067}\\u{2068}'],
    ['a line separator (a new line in some viewers)', 'a\u2028b\u2029c', 'a\uFFFDb\uFFFDc'],
    // h1's pass (session 64): these reached the terminal raw.
    ['a soft hyphen in a name', 'li\u00ADve', 'li\\u{00AD}ve'],
    ['Hangul fillers (blank letters)', '\u3164x\u115F\u1160\uFFA0', '\\u{3164}x\\u{115F}\\u{1160}\\u{FFA0}'],
    [
      'tag characters (hidden text: "hi")',
      'ok\u{E0001}\u{E0068}\u{E0069}\u{E007F}',
      'ok\\u{E0001}\\u{E0068}\\u{E0069}\\u{E007F}',
    ],
    [
      'tag characters after a 🏴 that are no region flag (hidden text)',
      '🏴\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}\u{E0020}\u{E0061}\u{E006C}\u{E006C}\u{E007F}',
      '🏴\\u{E0069}\\u{E0067}\\u{E006E}\\u{E006F}\\u{E0072}\\u{E0065}\\u{E0020}\\u{E0061}\\u{E006C}\\u{E006C}\\u{E007F}',
    ],
    [
      'a legacy GitHub workflow command, which the runner finds anywhere in a line',
      'x ##[stop-commands]t ##[error]forged #\n#[add-mask]',
      'x ##\uFFFD[stop-commands]t ##\uFFFD[error]forged #\uFFFD#[add-mask]',
    ],
  ])('replaces %s', (_name, text, expected) => {
    expect(printable(text)).toBe(expected);
  });

  it('keeps ordinary text, accents and emoji as they are (a joiner inside an emoji too)', () => {
    for (const text of [
      'p99 doubled in eu-west-1',
      'café déjà vu',
      'rollback 🚨 now',
      '👩\u200D💻 ❤\uFE0F\u200D🔥',
      'Scotland 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} won',
      '',
    ]) {
      expect(printable(text)).toBe(text);
      expect(describeUnprintable(text)).toBeUndefined();
    }
  });

  it('is the same when applied twice (a record text printed through the choke point)', () => {
    const once = printable('a\u202Eb\u200B\nc');
    expect(printable(once)).toBe(once);
    expect(printableLines(once)).toBe(once);
  });

  it('names the first unprintable character and where it is, counting characters not code units', () => {
    expect(describeUnprintable('ok\nx')).toBe('U+000A at character 3');
    expect(describeUnprintable('🚨🚨\u001b')).toBe('U+001B at character 3');
  });
});

/** lshift's own multi-line text (an error and its hint) with other people's text inside it. */
describe('printableLines', () => {
  it.each([
    [
      'a workflow command on a line of its own',
      'Error: x\n::error::forged',
      'Error: x\n\uFFFD::error::forged',
    ],
    ['after leading blanks (the runner trims them)', 'a\n  \t::add-mask::v', 'a\n  \t\uFFFD::add-mask::v'],
    ['a CR that would start a line in a log viewer', 'a\r::error::x', 'a\uFFFD::error::x'],
    ['ESC', 'a\n\u001b[2Jb', 'a\n\uFFFD[2Jb'],
    ['the legacy form anywhere in a line', 'a ##[error]x', 'a ##\uFFFD[error]x'],
    ['`::` that does not start a line', 'Error: a::b ::c', 'Error: a::b ::c'],
  ])('neutralizes %s', (_name, text, expected) => {
    expect(printableLines(text)).toBe(expected);
  });

  it("keeps lshift's own line breaks and indentation", () => {
    const text = 'Error [X]: something\n  Hint: do this\n\tand that\n  Exit code 2.';
    expect(printableLines(text)).toBe(text);
  });
});

describe('printableLines, joinPrintableLines, printableJson', () => {
  it("printableLines keeps lshift's own line breaks and replaces everything else", () => {
    expect(printableLines('one \u001b[2J\r\n  two \u2028\u202e')).toBe(
      'one \uFFFD[2J\uFFFD\n  two \uFFFD\\u{202E}',
    );
  });

  it('joinPrintableLines: a newline inside a line cannot start another', () => {
    expect(joinPrintableLines(['a\n::error::x', 'b'])).toBe('a\uFFFD::error::x\nb');
  });

  it('printableJson escapes what JSON.stringify leaves raw, and the value stays the same', () => {
    const value = {
      s: 'a\u2028b\u2029c\u202ed\u2066e\u009bf\u007f ##[error]x \u200b\ufeff\u2060',
      n: ['\u001b'],
    };
    const json = printableJson(JSON.stringify(value, null, 2));
    expect(json).toBe(printableLines(json));
    expect(JSON.parse(json)).toEqual(value);
    expect(json).toContain('\\u2028');
    expect(json).toContain('\\u200B\\uFEFF\\u2060');
  });

  it('printableJson escapes a soft hyphen, a Hangul filler and tag characters (as surrogate pairs)', () => {
    const value = { s: 'a\u00ADb\u3164c\u{E0068}\u{E0069}' };
    const json = printableJson(JSON.stringify(value));
    expect(json).toBe('{"s":"a\\u00ADb\\u3164c\\uDB40\\uDC68\\uDB40\\uDC69"}');
    expect(JSON.parse(json)).toEqual(value);
    expect(json).toBe(printableLines(json));
  });
});

describe('hasVisibleText', () => {
  it.each([
    ['ok', true],
    ['\u200B\u00AD ', false],
    ['\u3164\u3164', false],
    ['\u{E0068}\u{E0069}', false],
  ])('%j → %s', (text, visible) => {
    expect(hasVisibleText(text)).toBe(visible);
  });
});
