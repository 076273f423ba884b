/**
 * A file that does not parse is described by its place, never its content: `--pre-hook
 * invoke-target:/etc/passwd`, `--config .env`, `--scenario`/a state file given the wrong path
 * printed the file's first characters (JSON.parse quotes them; yaml prints the line).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSyntaxError } from '../../src/domain/file-syntax.js';
import { loadScenarioFile } from '../../src/sandbox/scenario.js';
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
    [SECRET, 'syntax error'],
    ['{"a": 1}\nAPI_KEY=s3cr3t', 'syntax error at line 2, column 1'],
    ['{"key": "s3cr3t"', 'syntax error at line 1, column 17'],
    ['{"key":', 'it ends too early'],
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
      `The sandbox state file ${join(dir, 'passwd.json')} cannot be used: it is not JSON (syntax error).`,
    );
  });
});
