import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * `AWS_CONFIG_FILE=<a named pipe> lshift status demo` waited 31 s, said NETWORK_ERROR ("did not
 * answer lambda:GetAlias") and "Exit code 1.", then never exited; with the credentials file a pipe,
 * or the web identity token file (read synchronously: nothing else ran), the same hang. Now
 * AWS_FILE_INVALID, exit 2, at once, before the SDK opens anything (hostile pass).
 */
function fixture(): { home: string; fifo: string } {
  const root = mkdtempSync(join(tmpdir(), 'lshift-aws-files-cli-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const fifo = join(root, 'fifo');
  execFileSync('mkfifo', [fifo]);
  return { home, fifo };
}

const AWS = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'y',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  LSHIFT_SANDBOX: undefined,
};

// A hang is caught by runCli's kill well before the test's own timeout.
const HANG_MS = 40_000;

describe('a named pipe where the AWS SDK reads a file (built CLI)', () => {
  it.each([
    ['AWS_CONFIG_FILE, keys in the environment', 'AWS_CONFIG_FILE', {}],
    [
      'AWS_SHARED_CREDENTIALS_FILE, no keys in the environment',
      'AWS_SHARED_CREDENTIALS_FILE',
      { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
    ],
    [
      'AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, no keys',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci' },
    ],
  ])('%s: AWS_FILE_INVALID, exit 2, no hang', async (_name, variable, extra) => {
    const { home, fifo } = fixture();
    const run = await runCli(['status', 'demo', '--json'], {
      env: { ...AWS, HOME: home, ...extra, [variable]: fifo },
      timeoutMs: HANG_MS,
    });
    expect(run.signal, 'lshift hung and was killed').toBeNull();
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'AWS_FILE_INVALID', exitCode: 2 });
    expect(error.message).toBe(`${variable}=${fifo} is a named pipe (FIFO), not a regular file.`);
  });

  it('with no region either: AWS_FILE_INVALID, not REGION_MISSING and a hang', async () => {
    const { home, fifo } = fixture();
    const run = await runCli(['status', 'demo'], {
      env: { ...AWS, HOME: home, AWS_REGION: '', AWS_CONFIG_FILE: fifo },
      timeoutMs: HANG_MS,
    });
    expect(run.signal, 'lshift hung and was killed').toBeNull();
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('Error [AWS_FILE_INVALID]: AWS_CONFIG_FILE=');
  });

  it('the default ~/.aws/config a pipe, under the in-process sandbox too (the SDK reads it there)', async () => {
    const { home } = fixture();
    mkdirSync(join(home, '.aws'));
    execFileSync('mkfifo', [join(home, '.aws', 'config')]);
    const run = await runCli(['deploy', 'demo', '--sandbox', '--dry-run', '--json'], {
      env: { ...AWS, AWS_ENDPOINT_URL: '', HOME: home, AWS_CONFIG_FILE: '' },
      timeoutMs: HANG_MS,
    });
    expect(run.signal, 'lshift hung and was killed').toBeNull();
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('AWS_FILE_INVALID');
    expect(error.message).toContain(`${join(home, '.aws', 'config')} (read when AWS_CONFIG_FILE is unset)`);
  });

  // The profile's token file is read synchronously: lshift printed nothing and never ended; a
  // pipe for the SSO token cache: NETWORK_ERROR after 31 s, "Exit code 1.", then no exit.
  it.each([
    [
      '--profile ci: its web_identity_token_file',
      ['--profile', 'ci'],
      {},
      (home: string, fifo: string) =>
        `The web identity token file ${fifo} (web_identity_token_file of AWS profile ci in ${join(home, '.aws', 'config')}) is a named pipe (FIFO), not a regular file.`,
    ],
    [
      'AWS_PROFILE=dev: the SSO token cache of its sso_session',
      [],
      { AWS_PROFILE: 'dev' },
      (home: string) =>
        `The SSO token cache file ${join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('my-sso').digest('hex')}.json`)} (of sso_session my-sso of AWS profile dev) is a named pipe (FIFO), not a regular file.`,
    ],
  ])('%s a pipe: AWS_FILE_INVALID, exit 2, no hang', async (_name, args, extra, message) => {
    const { home, fifo } = fixture();
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/ci\nweb_identity_token_file = ${fifo}\n` +
        '[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = Dev\n' +
        '[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n',
    );
    execFileSync('mkfifo', [
      join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('my-sso').digest('hex')}.json`),
    ]);
    const run = await runCli(['status', 'demo', ...args, '--json'], {
      env: { ...AWS, HOME: home, AWS_CONFIG_FILE: '', AWS_SHARED_CREDENTIALS_FILE: '', ...extra },
      timeoutMs: HANG_MS,
    });
    expect(run.signal, 'lshift hung and was killed').toBeNull();
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'AWS_FILE_INVALID', message: message(home, fifo) });
  });

  it('AWS_CONFIG_FILE padded with a blank, a profile named: the profile check does not open the pipe', async () => {
    // The SDK reads the path as written (` /tmp/…`: none), lshift's profile check the trimmed one,
    // synchronously: it blocked before any timer could fire.
    const { home, fifo } = fixture();
    const run = await runCli(['status', 'demo', '--profile', 'prod', '--json'], {
      env: { ...AWS, HOME: home, AWS_CONFIG_FILE: ` ${fifo}` },
      timeoutMs: HANG_MS,
    });
    expect(run.signal, 'lshift hung and was killed').toBeNull();
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'PROFILE_NOT_FOUND', exitCode: 2 });
  });
});
