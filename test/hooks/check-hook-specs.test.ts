import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/domain/errors.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { checkHookSpecs } from '../../src/hooks/check-hook-specs.js';

describe('checkHookSpecs (CLI pre-check before deploying)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lshift-check-hooks-'));
    writeFileSync(join(dir, 'smoke.json'), '{"ok":true}');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts readable JSON payload files and ignores other kinds', async () => {
    const hooks = ['invoke-target:smoke.json x2', 'cmd:./not-checked.sh', 'lambda:f'].map((text) => ({
      spec: parseHookSpec(text, '--pre-hook'),
      where: '--pre-hook',
    }));
    await expect(checkHookSpecs(hooks, dir)).resolves.toBeUndefined();
  });

  it('throws HOOK_INVALID naming the flag and the file', async () => {
    const hooks = [
      { spec: parseHookSpec('invoke-target:nope.json x3', '--post-hook'), where: '--post-hook' },
    ];
    const error = await checkHookSpecs(hooks, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'HOOK_INVALID', exitCode: 2 });
    expect((error as UsageError).message).toMatch(
      /^--post-hook invoke-target:nope.json x3: payload file nope.json does not exist/,
    );
  });

  it.each([
    [
      'a file that is not JSON (/etc/passwd-like)',
      'root:x:0:0:root:/root:/bin/bash\n',
      'syntax error at line 1, column 1',
    ],
    // Node 20's JSON.parse gives no position for an unexpected token: lshift finds it.
    [
      'JSON with a value missing',
      '{\n  "password": "s3cr3t",\n  "user": }\n',
      'syntax error at line 3, column 11',
    ],
    ['JSON with text after it', '{"ok":true}\nTOKEN=s3cr3t\n', 'syntax error at line 2, column 1'],
    ['a cut-off JSON document', '{"password": "s3cr3t', 'syntax error at line 1, column 21'],
    ['an empty file', '', 'the file is empty'],
    ['a JSON document cut after a key', '{"password":', 'it ends too early'],
  ])('never shows the content of %s, only the file and where it breaks', async (_, content, place) => {
    writeFileSync(join(dir, 'secret.txt'), content);
    const hooks = [{ spec: parseHookSpec('invoke-target:secret.txt', '--pre-hook'), where: '--pre-hook' }];
    const error = (await checkHookSpecs(hooks, dir).catch((e: unknown) => e)) as UsageError;
    expect(error).toMatchObject({ code: 'HOOK_INVALID' });
    expect(error.message).toBe(
      `--pre-hook invoke-target:secret.txt: payload file secret.txt is not valid JSON (${place}); Lambda accepts only JSON payloads`,
    );
    expect(`${error.message}${error.hint}`).not.toMatch(/root|s3cr3t|TOKEN/);
  });
});
