/**
 * A config file's `invoke-target:` hook whose payload file is missing or not JSON was blamed on
 * `--pre-hook`, which nobody had given (found by a hostile pass); every other hook error of the
 * file names its entry, `hooks.pre[0] in the config file`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lshift-config-hook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', LSHIFT_SANDBOX: undefined };

describe('a config file’s invoke-target hook with a bad payload file', () => {
  it.each([
    ['missing', 'invoke-target:/nonexistent.json', 'does not exist'],
    ['not JSON', 'invoke-target:bad.json', 'is not valid JSON'],
  ])('%s: named by its entry, not by --pre-hook', async (_what, spec, problem) => {
    writeFileSync(join(dir, 'bad.json'), 'not json');
    writeFileSync(join(dir, 'lshift.config.yaml'), `hooks:\n  pre:\n    - "cmd:true"\n    - "${spec}"\n`);
    for (const args of [
      ['deploy', 'gi1', '--dry-run'],
      ['deploy', 'gi1'],
    ]) {
      const run = await runCli([...args, '--json'], { cwd: dir, env });
      expect(run.code, run.stderr).toBe(2);
      const report = JSON.parse(run.stdout) as { code: string; message: string };
      expect(report.code).toBe('HOOK_INVALID');
      expect(report.message).toMatch(
        new RegExp(`^hooks\\.pre\\[1\\] in the config file ${spec}: .*${problem}`),
      );
      expect(report.message).not.toContain('--pre-hook');
    }
  });

  it('a flag’s is still named by its flag', async () => {
    const run = await runCli(
      ['deploy', 'gi1', '--dry-run', '--json', '--pre-hook', 'invoke-target:nope.json'],
      {
        cwd: dir,
        env,
      },
    );
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).message).toMatch(/^--pre-hook invoke-target:nope\.json: /);
  });
});
