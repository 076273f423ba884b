/**
 * A secret printed by whatever encoder a hook used: each encoding below is made by the real
 * encoder (Node's encodeURI, encodeURIComponent, escape, JSON.stringify; bash's `printf %q`) or by
 * its documented rule (Python's `quote` keeps `/`; `json.dumps` escapes non-ASCII as `\uXXXX`;
 * Go's encoding/json escapes `& < >` as `\u0026…`; PHP's json_encode writes `\/`; HTML character
 * references), and must come out masked. Found by a hostile pass, which printed
 * `s3cr&t/p<w>d+x=y~z` recoverably in each of these.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { escapedPattern } from '../../src/domain/escaped-secrets.js';
import { createOutputMasker, KnownSecrets, maskForms } from '../../src/domain/output-secrets.js';

const VALUE = 's3cr&t/p<w>d+x=y~z';
const ACCENTED = 'pässwörd-€-ok';
const QUOTED = 'correct "horse" \\ battery';
const VALUES = [VALUE, ACCENTED, QUOTED];

const jsonInner = (text: string) => JSON.stringify(text).slice(1, -1);
const asciiJson = (text: string) =>
  jsonInner(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const goJson = (text: string) =>
  jsonInner(text).replace(/[&<>]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const html = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
const printfQ = (text: string) => execFileSync('bash', ['-c', 'printf %q "$1"', 'bash', text]).toString();

const ENCODERS: [string, (text: string) => string][] = [
  ['as written', (t) => t],
  ['encodeURIComponent', encodeURIComponent],
  ['encodeURI (keeps & = + /)', encodeURI],
  ["Python's quote (keeps /)", (t) => encodeURIComponent(t).replaceAll('%2F', '/')],
  ['a form body (quote_plus: + for a space)', (t) => encodeURIComponent(t).replaceAll('%20', '+')],
  ['lower-case hex', (t) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())],
  ["JavaScript's escape", escape],
  ['JSON', jsonInner],
  ["Python's json.dumps (ASCII)", asciiJson],
  ["Go's encoding/json (\\u0026)", goJson],
  ["PHP's json_encode (\\/)", (t) => jsonInner(t).replaceAll('/', '\\/')],
  ["bash's printf %q", printfQ],
  ['HTML', html],
  ['HTML, numeric', (t) => t.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)],
];

describe('escapedPattern: a value with any of its characters escaped', () => {
  it.each(ENCODERS)('%s', (_name, encode) => {
    for (const value of VALUES) {
      const printed = encode(value);
      const mask = createOutputMasker({ DB_PASSWORD: value });
      expect(mask(`got [${printed}] back`), printed).toBe('got [***] back');
    }
  });

  it('the encoders above do change the value (or the test proves nothing)', () => {
    const unchanged = ENCODERS.slice(1).filter(([, encode]) =>
      VALUES.every((value) => encode(value) === value),
    );
    expect(unchanged.map(([name]) => name)).toEqual([]);
  });

  it('a function’s own value too (KnownSecrets)', () => {
    const known = new KnownSecrets();
    known.add([VALUE]);
    expect(maskForms(`{"v":"${goJson(VALUE)}"}`, known.forms())).toBe('{"v":"***"}');
  });

  it('matches only the value: other text, another value, and a value of plain characters are left', () => {
    const pattern = escapedPattern(VALUE)!;
    expect('s3cr&t/p<w>d+x=y~Z'.replace(pattern, '***')).toBe('s3cr&t/p<w>d+x=y~Z');
    expect('s3cr%26t/p'.replace(pattern, '***')).toBe('s3cr%26t/p');
    expect(escapedPattern('plain_value-1.0~x')).toBeUndefined();
  });
});
