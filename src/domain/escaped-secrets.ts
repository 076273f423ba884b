/**
 * A secret printed with some of its characters escaped, by whatever encoder a hook used. Listing
 * encoders (encodeURIComponent, JSON.stringify) missed their neighbours: Python's `quote` keeps
 * `/`, `encodeURI` keeps `&=+`, JavaScript's `escape` writes `%uXXXX`, some write lower-case hex,
 * `json.dumps` and Go write `\u00e9` and `\u0026`, PHP `\/`, bash's `printf %q` `\&`, HTML `&lt;`
 * (found by a hostile pass). So each character of the value is matched in any of its usual
 * escapes, whichever the encoder chose for it: one pattern per value, over every mixture. Pure.
 *
 * The escapes (each character, in either case of its hex digits):
 * - percent-encoding of its UTF-8 bytes (RFC 3986 §2.1), `+` for a space (HTML forms), and
 *   ECMAScript's `escape` (Annex B.2.1): one Latin-1 byte up to U+00FF, `%uXXXX` beyond;
 * - `\uXXXX` (JSON, RFC 8259 §7; a surrogate pair beyond U+FFFF), `\xXX`, and a backslash before
 *   any other ASCII character (`\/`, `\"`, `printf %q`'s `\&`); JSON's `\n \t \r \b \f`;
 * - HTML character references: `&#NN;`, `&#xXX;` and the named `&amp; &lt; &gt; &quot; &apos;`.
 */

/** Characters no encoder above escapes: a value of these alone is matched as it is, exactly. */
const UNESCAPED = /^[A-Za-z0-9_.~-]*$/;

/** A pattern (global) matching `value` with any of its characters escaped, or none when nothing escapes. */
export function escapedPattern(value: string): RegExp | undefined {
  if (UNESCAPED.test(value)) return undefined;
  return new RegExp([...value].map(characterPattern).join(''), 'g');
}

function characterPattern(character: string): string {
  const point = character.codePointAt(0) ?? 0;
  const ways = [
    escapeForRegExp(character),
    [...Buffer.from(character, 'utf8')].map((byte) => `%${hexDigits(byte, 2)}`).join(''),
    unicodeEscape(character),
    `&#0*${point};`,
    `&#[xX]0*${hexDigits(point, 1)};`,
    ...asciiEscapes(character, point),
    ...namedEscapes(character),
  ];
  // `escape` writes a character up to U+00FF as one byte of Latin-1, a larger one as `%uXXXX`.
  if (point >= 0x80 && point <= 0xff) ways.push(`%${hexDigits(point, 2)}`);
  if (point > 0xff && point <= 0xffff) ways.push(`%[uU]${hexDigits(point, 4)}`);
  return `(?:${ways.join('|')})`;
}

/** `\u00e9`, or the surrogate pair of a character beyond U+FFFF (`\ud83d\ude00`). */
function unicodeEscape(character: string): string {
  const units = Array.from({ length: character.length }, (_, i) => character.charCodeAt(i));
  return units.map((unit) => `\\\\u${hexDigits(unit, 4)}`).join('');
}

function asciiEscapes(character: string, point: number): string[] {
  if (point >= 0x80) return [];
  const ways = [`\\\\[xX]${hexDigits(point, 2)}`];
  if (!/[A-Za-z0-9]/.test(character)) ways.push(`\\\\${escapeForRegExp(character)}`);
  const control = JSON_CONTROL[character];
  if (control) ways.push(`\\\\${control}`);
  if (character === ' ') ways.push('\\+');
  return ways;
}

const JSON_CONTROL: Record<string, string> = { '\n': 'n', '\t': 't', '\r': 'r', '\b': 'b', '\f': 'f' };

const NAMED: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };

function namedEscapes(character: string): string[] {
  const name = NAMED[character];
  return name ? [`&${name};`] : [];
}

/** `n` as hex digits, each matching either case (`[3][cC]`), at least `width` of them. */
function hexDigits(n: number, width: number): string {
  const digits = n.toString(16).padStart(width, '0');
  return [...digits].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
}

function escapeForRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
