import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * `--profile "$PROD_PROFILE"` with the variable unset gave the SDK an empty profile, which it
 * ignores: lshift went on with whatever else it found (keys in the environment, an instance role),
 * possibly another account's. Like `--config ""` and `--region ""`, an empty one is refused
 * before any AWS call.
 */
describe('an empty --profile (an unset variable) is refused, not ignored', () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIAOTHERACCOUNT',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    LSHIFT_SANDBOX: '',
  };

  it.each([[''], ['  ']])('--profile %j: INVALID_FLAG, exit 2, no AWS call', async (profile) => {
    const run = await runCli(
      ['status', 'demo', '--profile', profile, '--endpoint-url', 'http://127.0.0.1:9', '--json'],
      { env },
    );
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'INVALID_FLAG', exitCode: 2 });
    expect(error.message).toBe('--profile is empty.');
    expect(run.stderr).not.toContain('Multiple credential sources');
  });

  it('the config file’s `profile: ""` too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-profile-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'profile: ""\n');
    const run = await runCli(['status', 'demo', '--endpoint-url', 'http://127.0.0.1:9', '--json'], {
      env,
      cwd: dir,
    });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'INVALID_FLAG',
      message: 'the config file’s `profile` is empty.',
    });
  });
});
