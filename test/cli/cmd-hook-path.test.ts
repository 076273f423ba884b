/**
 * A `cmd:` hook naming a script by a path that does not exist is refused before any AWS call,
 * by a deploy, its dry run and a release alike. Found by a hostile pass: `--post-hook
 * cmd:./nope/post.sh` passed `--dry-run` and the preflight, then failed at 100% and rolled back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const cwd = mkdtempSync(join(tmpdir(), 'lshift-cmd-path-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('a cmd: hook whose script path does not exist: HOOK_INVALID, exit 2, before any AWS call', () => {
  it.each([
    [['deploy', 'my-fn', '--strategy', 'canary:10%:2m', '--post-hook', 'cmd:./nope/post.sh']],
    [['deploy', 'my-fn', '--post-hook', 'cmd:./nope/post.sh', '--dry-run']],
    [['deploy', 'fn-a', 'fn-b', '--post-hook', 'cmd:./nope/post.sh {function}']],
  ])('%j', async (args) => {
    const run = await runCli([...args, '--json'], {
      cwd,
      env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
    });
    expect(run.code, run.stderr).toBe(2);
    const said = JSON.parse(run.stdout);
    expect(said).toMatchObject({ code: 'HOOK_INVALID', exitCode: 2 });
    // A release names each function's own hook filled in (`cmd:./nope/post.sh fn-a`).
    expect(said.message).toMatch(/^--post-hook cmd:\.\/nope\/post\.sh( fn-a)?: /);
    expect(said.message).toContain(`${join(cwd, 'nope/post.sh')} does not exist`);
    expect(said.hint).toContain('cmd:sh ./nope/post.sh');
  });
});
