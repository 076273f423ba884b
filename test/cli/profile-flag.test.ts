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
    LSHIFT_SANDBOX: undefined,
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

/**
 * A profile that neither AWS file defines is named by where it came from: the config file's
 * `profile` was reported as `--profile`, which the command line did not have (the user looked
 * for a flag that was not there).
 */
describe('PROFILE_NOT_FOUND names the config file when the profile came from there', () => {
  it('profile: nope in lshift.config.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-profile-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'profile: nope\n');
    const run = await runCli(['status', 'demo', '--endpoint-url', 'http://127.0.0.1:9', '--json'], {
      env: {
        AWS_REGION: 'us-east-1',
        AWS_PROFILE: '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        LSHIFT_SANDBOX: undefined,
      },
      cwd: dir,
    });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'PROFILE_NOT_FOUND', exitCode: 2 });
    expect(error.message).toBe(
      'AWS profile nope (the config file’s `profile` nope) is not defined in /dev/null or /dev/null.',
    );
  });
});

/**
 * A malformed region says where it came from: "--region or the config file's region" left the
 * user to guess which, and a config file's typo was looked for on the command line.
 */
describe('REGION_INVALID names the one source the region came from', () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_REGION: '',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    LSHIFT_SANDBOX: undefined,
  };

  it.each([
    [
      'the config file',
      [],
      'region: eu-west-l\n',
      'Invalid AWS region `eu-west-l` (from the config file’s `region`)',
    ],
    ['--region', ['--region', 'eu-west-l'], '', 'Invalid AWS region `eu-west-l` (from --region)'],
  ])('from %s', async (_source, args, file, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-region-'));
    if (file) writeFileSync(join(dir, 'lshift.config.yaml'), file);
    const run = await runCli(['status', 'demo', ...args, '--endpoint-url', 'http://127.0.0.1:9', '--json'], {
      env,
      cwd: dir,
    });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'REGION_INVALID', exitCode: 2 });
    expect(error.message).toContain(message);
  });
});

/**
 * `lshift rollback orders --profile prod` in a shell where LSHIFT_SANDBOX is still exported from
 * trying the sandbox: every call went to the sandbox, the profile was ignored without a word, and
 * the answer (FUNCTION_NOT_FOUND, "check --region and --profile"; or the sandbox's own demo) read
 * as prod's. A --profile names AWS credentials, as --endpoint-url names an endpoint: beside a
 * sandbox it is refused the same way, before any request.
 */
describe('--profile beside a sandbox is refused, not ignored', () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };

  it.each([
    { what: 'LSHIFT_SANDBOX', args: ['rollback', 'orders'], sandbox: 'http://127.0.0.1:4' },
    { what: '--sandbox', args: ['deploy', 'demo', '--sandbox'], sandbox: '' },
  ])('--profile prod beside $what: CONFLICTING_FLAGS, exit 2', async ({ what, args, sandbox }) => {
    const run = await runCli([...args, '--profile', 'prod', '--json'], {
      env: { ...env, LSHIFT_SANDBOX: sandbox },
    });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'CONFLICTING_FLAGS', exitCode: 2 });
    expect(error.message).toBe(
      `--profile prod names AWS credentials, but ${what} sends every AWS request to a sandbox.`,
    );
  });

  it('AWS_PROFILE (a shell’s standing default) is still ignored beside a sandbox', async () => {
    const run = await runCli(['status', 'demo', '--json'], {
      env: { ...env, AWS_PROFILE: 'prod', LSHIFT_SANDBOX: 'http://127.0.0.1:4' },
    });
    expect(JSON.parse(run.stdout).code, run.stderr).toBe('SANDBOX_UNREACHABLE');
  });
});
