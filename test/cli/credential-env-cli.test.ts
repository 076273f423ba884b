import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * A credential with a stray control character (a CR from a CRLF file) failed the first call as
 * `AWS_ERROR: … TypeError: Invalid character in header content ["x-amz-security-token"]`, hint
 * "Read the AWS message above" (hostile pass). No value is ever printed.
 */
const ENV = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIK7MDENG',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  LSHIFT_SANDBOX: undefined,
};

describe('credentials with a stray character (built CLI)', () => {
  it.each([
    ['AWS_SESSION_TOKEN', 'XYZZYTOKEN\r'],
    ['AWS_ACCESS_KEY_ID', 'AKIAXYZZY\r'],
    ['AWS_SECRET_ACCESS_KEY', 'XYZZYKEY\r'],
  ])('%s ending with \\r: CREDENTIALS_INVALID, exit 2, before any call', async (variable, value) => {
    const run = await runCli(['status', 'demo', '--json'], {
      env: { ...ENV, [variable]: value },
      timeoutMs: 60_000,
    });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'CREDENTIALS_INVALID', exitCode: 2 });
    expect(error.message).toBe(
      `${variable} ends with a carriage return (\\r), as a file saved with Windows line endings leaves; an AWS credential is ASCII letters, digits, +, / and = only.`,
    );
    expect(run.stdout + run.stderr).not.toContain('XYZZY');
  });

  it('AWS_SESSION_TOKEN with a line break inside, at a terminal-less run: the place, no value', async () => {
    const run = await runCli(['status', 'demo'], {
      env: { ...ENV, AWS_SESSION_TOKEN: 'XYZZYTOKEN1\nabc' },
      timeoutMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      'Error [CREDENTIALS_INVALID]: AWS_SESSION_TOKEN holds a line feed (\\n, a line break) at character 12 of 15',
    );
    expect(run.stderr).not.toContain('XYZZY');
    expect(run.stderr).not.toContain('Invalid character in header content');
  });

  it('a profile’s credential_process printing a token with \\r: CREDENTIALS_INVALID (exit 1, not sent)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-credential-process-'));
    const script = join(dir, 'creds.sh');
    writeFileSync(
      script,
      `#!/bin/sh\nprintf '{"Version":1,"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"x","SessionToken":"XYZZYTOKEN\\\\r"}'\n`,
    );
    chmodSync(script, 0o755);
    const config = join(dir, 'config');
    writeFileSync(config, `[profile crlf]\ncredential_process = ${script}\n`);
    const run = await runCli(['status', 'demo', '--profile', 'crlf', '--json'], {
      env: { ...ENV, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONFIG_FILE: config },
      timeoutMs: 60_000,
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(error.message).toContain(
      'was not sent: the session token holds a character an HTTP header cannot carry',
    );
    expect(run.stdout + run.stderr).not.toContain('XYZZY');
  });
});
