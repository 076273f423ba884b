/**
 * A file that does not parse is described by its place, never its content: `--pre-hook
 * invoke-target:/etc/passwd`, `--config .env`, `--scenario`/a state file given the wrong path
 * printed the file's first characters (JSON.parse quotes them; yaml prints the line).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSyntaxError, locateJsonError } from '../../src/domain/file-syntax.js';
import { loadScenarioFile } from '../../src/sandbox/scenario-file.js';
import { loadStateFile } from '../../src/sandbox/state-file.js';

const SECRET = 'root:x:0:0:root:/root:/bin/bash\nAPI_KEY=s3cr3t\n';

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}

describe('describeSyntaxError', () => {
  it.each([
    ['', 'the file is empty'],
    [SECRET, 'syntax error at line 1, column 1'],
    ['{"a": 1}\nAPI_KEY=s3cr3t', 'syntax error at line 2, column 1'],
    ['{"key": "s3cr3t"', 'syntax error at line 1, column 17'],
    ['{"key":', 'it ends too early'],
    // Node 20's JSON.parse says only "Unexpected token '}', "…" is not valid JSON" for these:
    // lshift finds the place itself.
    ['{\n  "key": "s3cr3t",\n  "alias": }\n', 'syntax error at line 3, column 12'],
    ['{\n  "a": tru\n}', 'syntax error at line 2, column 11'],
    ['{"a": [1, 2,]}', 'syntax error at line 1, column 13'],
    ['{"a": 1}}', 'syntax error at line 1, column 9'],
    ["{'a': 1}", 'syntax error at line 1, column 2'],
    ['{"a": -}', 'syntax error at line 1, column 8'],
    ['{"a": 1.}', 'syntax error at line 1, column 9'],
    ['{"a": "\\x"}', 'syntax error at line 1, column 9'],
    ['[\n\n  NaN]', 'syntax error at line 3, column 3'],
  ])('JSON %j → %s', (body, expected) => {
    const error = thrown(() => JSON.parse(body));
    expect(describeSyntaxError(body, error)).toBe(expected);
  });

  it('keeps what yaml says and where, without the excerpt or a quoted token', async () => {
    const { parse } = await import('yaml');
    const body = 'a: 1\nb: [s3cr3t\n';
    const error = thrown(() => parse(body));
    expect(error.message).toContain('s3cr3t');
    expect(describeSyntaxError(body, error)).toBe(
      'Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1',
    );
    const alias = thrown(() => parse('a: *s3cr3t\n'));
    expect(describeSyntaxError('a: *s3cr3t\n', alias)).toBe(
      'Unresolved alias (the anchor must be set before the alias)',
    );
  });
});

describe('locateJsonError: where a text stops being JSON', () => {
  it.each(['{}', ' [1, -2.5e+3, 0, "a\\u00e9\\n", true, false, null, {"b": [{}]}] ', '"just a string"', '0'])(
    'valid: %j',
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(locateJsonError(text)).toBeUndefined();
    },
  );

  it.each([
    ['', 0],
    ['{"a": 01}', 7],
    ['{"a" 1}', 5],
    ['"abc', 4],
    ['"a\nb"', 2],
    ['[1,2', 4],
    ['{} x', 3],
    ['\uFEFF{}', 0],
  ])('invalid: %j breaks at %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toBe(offset);
  });

  it('agrees with JSON.parse on which texts are JSON (2,000 seeded one-character edits)', () => {
    const base = '{"a": [1, -2.5e+3, {"b": "c\\"d\\u0041"}], "e": true, "f": null, "g": false}';
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', '-', '.', 'e', '0', '1', ' ', 'x', 'u', '\n'];
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 2000; round++) {
      const at = next(base.length + 1);
      const removed = next(2);
      const text = `${base.slice(0, at)}${alphabet[next(alphabet.length)]}${base.slice(at + removed)}`;
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(locateJsonError(text) === undefined, text).toBe(valid);
    }
  });

  it('finds the place in deeply nested text without running out of stack', () => {
    const deep = `${'['.repeat(200_000)}x`;
    expect(locateJsonError(deep)).toBe(200_000);
  });
});

describe('sandbox files given the wrong path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lshift-file-syntax-'));
  writeFileSync(join(dir, 'passwd.json'), SECRET);
  writeFileSync(join(dir, 'passwd.yaml'), 'a: [s3cr3t\n');

  it.each(['passwd.json', 'passwd.yaml'])('--scenario %s names the file, not its content', (name) => {
    const error = thrown(() => loadScenarioFile(join(dir, name)));
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_INVALID' });
    expect(error.message).toContain(join(dir, name));
    expect(error.message).not.toMatch(/root|s3cr3t/);
  });

  it('a state file that is not JSON names the file, not its content', async () => {
    const error = (await loadStateFile(join(dir, 'passwd.json')).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'SANDBOX_STATE_INVALID' });
    expect(error.message).toBe(
      `The sandbox state file ${join(dir, 'passwd.json')} cannot be used: it is not JSON (syntax error at line 1, column 1).`,
    );
  });
});
