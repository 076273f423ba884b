/**
 * A secret printed encoded: base64 at any offset inside a longer text, wrapped over lines, escaped
 * in JSON, percent-encoded. Reference encodings from Node's Buffer and encodeURIComponent (RFC 4648,
 * RFC 3986), the method checked against every offset and what follows the value.
 */
import { describe, expect, it } from 'vitest';
import { base64Forms, encodedForms, maskWrappedPieces } from '../../src/domain/encoded-secrets.js';
import {
  createOutputMasker,
  KnownSecrets,
  maskForms,
  secretFormsOf,
} from '../../src/domain/output-secrets.js';

const SECRET = 'hunter2hunter2';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('encodedForms: the base64 forms of a value a hook may print', () => {
  it('holds the reference encodings of the value alone', () => {
    expect(encodedForms('p@ss w/rd!#1234')).toContain('cEBzcyB3L3JkISMxMjM0');
    expect(encodedForms(SECRET)).toContain('aHVudGVyMmh1bnRlcjI');
  });

  it('leaves out the value itself and forms too short to mask', () => {
    expect(encodedForms(SECRET)).not.toContain(SECRET);
    for (const form of encodedForms('abcdefgh')) expect(form.length).toBeGreaterThanOrEqual(8);
  });

  it('has both alphabets of RFC 4648 (base64 and base64url)', () => {
    const value = '\u00fb\u00ef\u00bf>>>???';
    expect(b64(value)).toMatch(/[+/]/);
    const forms = base64Forms(value);
    expect(forms).toContain(b64(value).replace(/=+$/, ''));
    expect(forms).toContain(b64(value).replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
  });
});

describe('a base64-encoded secret inside a longer text is masked at every offset', () => {
  const forms = secretFormsOf([SECRET]);
  const prefixes = ['', 'x', 'ci', 'ci:', 'user:', 'admin:'];
  const suffixes = ['', '\n', 'x', '@db', ':tail'];
  const cases = prefixes.flatMap((prefix) => suffixes.map((suffix) => [prefix, suffix] as const));

  it.each(cases)('%j + secret + %j', (prefix, suffix) => {
    const encoded = b64(prefix + SECRET + suffix);
    const masked = maskForms(`Authorization: Basic ${encoded}`, forms);
    expect(masked).toContain('***');
    const visible = masked.replace('Authorization: Basic ', '').replace('***', '');
    // What stays visible encodes the prefix and suffix, the group each shares with the secret,
    // and the padding: at most two characters more than their own encoding.
    const own = Math.ceil((prefix.length * 4) / 3) + Math.ceil((suffix.length * 4) / 3);
    expect(visible.length).toBeLessThanOrEqual(own + 4);
  });

  it('masks the whole encoding of the value alone, padding left', () => {
    expect(maskForms(`token=${b64(SECRET)}`, forms)).toBe('token=***=');
  });

  it('leaves ordinary base64 alone', () => {
    const other = b64('an ordinary configuration blob');
    expect(maskForms(other, forms)).toBe(other);
  });
});

describe('a base64 encoding wrapped over lines (`base64 -w 20`)', () => {
  const long = 'correct-horse-battery-staple-42';
  const forms = secretFormsOf([long]);
  const lines = b64(`user:${long}\n`).match(/.{1,20}/g) ?? [];

  it('masks each piece of 8 characters or more', () => {
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const masked = lines.map((line) => maskForms(line, forms));
    expect(masked[0]).toMatch(/^dXNlcj\S{0,2}\*\*\*$/);
    expect(masked[1]).toBe('***');
    for (const line of masked) expect(line.replace('***', '').length).toBeLessThanOrEqual(8);
  });

  it('a piece shorter than 8 characters stays as printed', () => {
    expect(maskWrappedPieces('abc', base64Forms(long), '***')).toBe('abc');
  });

  it('the start of a plain value ending a line is not masked (only base64 pieces are)', () => {
    const known = new KnownSecrets();
    known.add(['production-db.internal']);
    expect(maskForms('deploying to production', known.forms())).toBe('deploying to production');
  });
});

describe('in the maskers lshift uses', () => {
  it('a cmd: hook printing its secret variable encoded', () => {
    const mask = createOutputMasker({ DB_PASSWORD: SECRET });
    expect(mask(`basic ${b64(`ci:${SECRET}`)}`)).toBe('basic Y2k6***=');
    expect(mask(`url https://h.example/?p=${encodeURIComponent('pw hunter2/x')}`)).toContain('p=***');
  });

  it('a hook printing a function environment value encoded', () => {
    const known = new KnownSecrets();
    known.add(['s3cr3t-value-of-the-function']);
    const mask = createOutputMasker({}, known);
    expect(mask(`echo ${b64('s3cr3t-value-of-the-function')}`)).toBe('echo ***==');
    expect(mask('{"v":"s3cr3t-value-of-the-function"}')).toBe('{"v":"***"}');
  });

  it('a spared name is not masked in any form', () => {
    const known = new KnownSecrets();
    known.add(['orders-service']);
    known.spare(['orders-service']);
    expect(known.forms().exact).toEqual([]);
    expect(maskForms(b64('orders-service'), known.forms())).toBe(b64('orders-service'));
  });
});
