/**
 * Every command that calls AWS reads the config file's region, profile and endpoint. `alias`,
 * `publish`, `wait` and `codedeploy init` did not (found by a hostile pass): `lshift alias` could
 * move an alias in another account or region than the one `lshift status` and `rollback` read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startSandboxEnv } from './sandbox-env.js';

describe('the config file’s AWS target, read by every command that calls AWS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lshift-config-target-'));
  writeFileSync(join(dir, 'lshift.config.yaml'), 'profile: lshift-no-such-profile\n');
  const env = {
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: '',
    LSHIFT_SANDBOX: undefined,
  };

  it.each([
    ['status', ['status', 'demo']],
    ['alias', ['alias', 'demo', 'live', '1']],
    ['publish', ['publish', 'demo']],
    ['wait', ['wait', 'd-ABCDEFGHI']],
    ['codedeploy init', ['codedeploy', 'init', 'demo', '--role', 'arn:aws:iam::123456789012:role/cd']],
  ])('%s names the config file’s profile', async (_name, args) => {
    const run = await runCli([...args, '--json'], { env, cwd: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      message: expect.stringContaining('the config file’s `profile`'),
    });
  });
});

/**
 * Against a sandbox (LSHIFT_SANDBOX) the config file's `region` is still checked, and was blamed
 * on --region, which nobody had given (found by a hostile pass).
 */
describe('the config file’s region against a sandbox', () => {
  it('a blank region is said to be the config file’s', async () => {
    const env = await startSandboxEnv({});
    try {
      const dir = mkdtempSync(join(tmpdir(), 'lshift-config-region-'));
      writeFileSync(join(dir, 'lshift.config.yaml'), 'region: " "\n');
      const run = await env.cli(['status', 'demo', '--json'], { cwd: dir });
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({
        code: 'REGION_INVALID',
        message: expect.stringContaining('(from the config file’s `region`)'),
        hint: expect.stringContaining('Set the config file’s `region`'),
      });
    } finally {
      await env.stop();
    }
  });
});
