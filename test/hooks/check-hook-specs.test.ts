import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
    const hooks = ['invoke-target:smoke.json x2', 'cmd:echo not-checked', 'lambda:f'].map((text) => ({
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

  // Found by a hostile pass: `--post-hook cmd:./nope/post.sh` passed --dry-run and the preflight,
  // then failed at 100% and rolled back.
  describe('a cmd: hook whose first word is a path', () => {
    const check = (command: string, where = '--post-hook') =>
      checkHookSpecs([{ spec: parseHookSpec(`cmd:${command}`, where), where }], dir);

    beforeEach(() => {
      mkdirSync(join(dir, 'hooks'));
      writeFileSync(join(dir, 'hooks', 'post.sh'), '#!/bin/sh\necho ok\n');
      chmodSync(join(dir, 'hooks', 'post.sh'), 0o755);
      writeFileSync(join(dir, 'hooks', 'plain.sh'), 'echo ok\n');
      chmodSync(join(dir, 'hooks', 'plain.sh'), 0o644);
    });

    it.each([
      ['./hooks/post.sh'],
      ['hooks/post.sh --fast'],
      ["'./hooks/post.sh' {function}"],
      ['./hooks/post.sh && ./nope/later.sh'],
      ['sh ./nope/post.sh'],
      ['./nope/$STAGE.sh'],
      ['./nope/{function}.sh'],
      ['~/nope/post.sh'],
      ['nope-on-path --x'],
      ['/bin/sh -c true'],
    ])('accepts %s (an executable file, or nothing lshift can tell)', async (command) => {
      await expect(check(command)).resolves.toBeUndefined();
    });

    it.each([
      ['./nope/post.sh', 'nope/post.sh', 'does not exist'],
      ['  "./nope/my post.sh" --fast', 'nope/my post.sh', 'does not exist'],
      ['./hooks/post.sh/x', 'hooks/post.sh/x', 'does not exist'],
      ['./hooks', 'hooks', 'is a directory, not a script'],
      ['./hooks/plain.sh arg', 'hooks/plain.sh', 'is not executable'],
    ])(
      'refuses %s: HOOK_INVALID, exit 2, the phase and the path looked for',
      async (command, path, problem) => {
        const error = (await check(command).catch((e: unknown) => e)) as UsageError;
        expect(error).toBeInstanceOf(UsageError);
        expect(error).toMatchObject({ code: 'HOOK_INVALID', exitCode: 2 });
        expect(error.message).toBe(`--post-hook cmd:${command.trim()}: ${join(dir, path)} ${problem}`);
        expect(error.hint).toContain(`cmd:sh ${command.trim()}`);
      },
    );

    // A dangling link was reported as "…/hooks/link.sh does not exist" while `ls` showed it.
    it.each([
      ['a missing file', '../build/post.sh', 'build/post.sh'],
      ['an absolute missing path', '/nonexistent-lshift/post.sh', '/nonexistent-lshift/post.sh'],
      ['a link to a missing file', 'gone.sh', 'hooks/gone-target.sh'],
    ])('refuses a link to %s: names the link and its missing target', async (_, target, missing) => {
      symlinkSync(target, join(dir, 'hooks', 'link.sh'));
      symlinkSync('gone-target.sh', join(dir, 'hooks', 'gone.sh'));
      const error = (await check('./hooks/link.sh --fast').catch((e: unknown) => e)) as UsageError;
      expect(error).toMatchObject({ code: 'HOOK_INVALID', exitCode: 2 });
      const shown = missing.startsWith('/') ? missing : join(dir, missing);
      expect(error.message).toBe(
        `--post-hook cmd:./hooks/link.sh --fast: ${join(dir, 'hooks/link.sh')} is a symbolic link to ${shown}, which does not exist`,
      );
      expect(error.hint).toContain('fix the path or the link, or create its target');
    });

    it('refuses a link in a loop as such', async () => {
      symlinkSync('loop.sh', join(dir, 'hooks', 'loop.sh'));
      const error = (await check('./hooks/loop.sh').catch((e: unknown) => e)) as UsageError;
      expect(error.message).toBe(
        `--post-hook cmd:./hooks/loop.sh: ${join(dir, 'hooks/loop.sh')} is a symbolic link in a loop`,
      );
    });

    it('accepts a link to an executable script', async () => {
      symlinkSync('post.sh', join(dir, 'hooks', 'link.sh'));
      await expect(check('./hooks/link.sh')).resolves.toBeUndefined();
    });

    it.each([
      ['./nope/post.sh --password=hunter2XYZ', 'does not exist'],
      ['./hooks/plain.sh --password=hunter2XYZ', 'is not executable'],
    ])('never shows a secret of `%s` in the message or the hint (it %s)', async (command, problem) => {
      const error = (await check(command).catch((e: unknown) => e)) as UsageError;
      expect(error.message).toContain(problem);
      expect(error.hint).toContain('--password=***');
      expect(`${error.message} ${error.hint}`).not.toContain('hunter2XYZ');
    });

    it('says how to defer the check to an earlier hook that creates the script', async () => {
      const error = (await check('./nope/post.sh', '--step-hook').catch((e: unknown) => e)) as UsageError;
      expect(error.message).toMatch(/^--step-hook cmd:\.\/nope\/post\.sh: /);
      expect(error.hint).toBe(
        `A command's path is relative to the directory lshift runs in (${dir}): fix the path. If an earlier hook creates the script, run it through the shell, cmd:sh ./nope/post.sh, and it is looked for only when the hook runs.`,
      );
    });
  });
});
