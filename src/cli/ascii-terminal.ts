/**
 * A terminal whose locale is not UTF-8 (`LANG=C`, `LC_ALL=POSIX`, `en_US.ISO-8859-1`) shows
 * lshift's glyphs (✔ ✖ → … ▁▃▅ and listr2's spinner) as mojibake: each byte of their UTF-8 on its
 * own. There, what lshift writes to that terminal is spelled in ASCII: the glyphs lshift and
 * listr2 use have an ASCII stand-in, anything else non-ASCII (a name from AWS) becomes `?`.
 * Only at a terminal: a file or a pipe gets UTF-8 as ever, and an unset locale changes nothing.
 *
 * Cheap to import: bin/run.js loads it (through output.ts) before oclif.
 */

/** The locale that decides the character set (POSIX precedence: LC_ALL, then LC_CTYPE, then LANG). */
export function terminalWantsAscii(env: NodeJS.ProcessEnv): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '');
  if (locale === undefined) return false;
  return !/utf-?8/i.test(locale);
}

const SPINNER = '-\\|/';
/** listr2's spinner frames (cli-spinners' "dots"): turned into a `-\|/` spinner. */
const BRAILLE_FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
/** Sparkline levels, low to high (src/cli/renderers/sparkline.ts). */
const BLOCKS = '▁▂▃▄▅▆▇█';
const BLOCK_ASCII = '_.-~=+*#';

const GLYPHS: Record<string, string> = {
  '✔': 'OK',
  '✓': 'OK',
  '✅': 'OK',
  '✖': 'X',
  '✗': 'X',
  '❌': 'X',
  '×': 'x',
  '→': '->',
  '➜': '->',
  '←': '<-',
  '↔': '<->',
  '↩': '<-',
  '↓': 'v',
  '▶': '>',
  '❯': '>',
  '›': '>',
  '⏸': '||',
  '⏹': '[]',
  '…': '...',
  '–': '-',
  '—': '--',
  '−': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '·': '.',
  '•': '*',
  '≤': '<=',
  '≥': '>=',
  '≈': '~',
  '±': '+/-',
  '∞': 'inf',
  '⚠': '!',
  '🚨': '!',
  '⛔': 'X',
  '❔': '?',
  '▏': '|',
  '│': '|',
  '─': '-',
  α: 'alpha',
  ψ: 'psi',
  Σ: 'sum',
  '\ufe0f': '',
};

/** `text` in ASCII: known glyphs by their stand-in, any other non-ASCII character as `?`. */
export function toAscii(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: only what is outside ASCII is replaced.
  return text.replace(/[^\u0000-\u007f]/gu, (ch) => {
    const glyph = GLYPHS[ch];
    if (glyph !== undefined) return glyph;
    const frame = BRAILLE_FRAMES.indexOf(ch);
    if (frame >= 0) return SPINNER[frame % SPINNER.length]!;
    const block = BLOCKS.indexOf(ch);
    if (block >= 0) return BLOCK_ASCII[block]!;
    return '?';
  });
}

type Write = NodeJS.WriteStream['write'];

/**
 * Makes every later string written to `stream` ASCII. Installed on the stream itself, first
 * thing (output.ts): listr2 captures `stream.write` when it starts and swaps it while it
 * renders, so whatever it and lshift write ends up here.
 */
export function spellInAscii(stream: NodeJS.WriteStream): void {
  const original: Write = stream.write;
  const write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
    const text = typeof chunk === 'string' ? toAscii(chunk) : chunk;
    return (original as (...args: unknown[]) => boolean).call(stream, text, ...rest);
  };
  stream.write = write as Write;
}
