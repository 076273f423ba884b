import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * h4's pass, MEDIUM #6: a profile's `credential_process = /bin/sleep 300` made `status` fail with
 * NETWORK_ERROR "… did not answer lambda:GetAlias … within its 31 s deadline" (blaming a healthy
 * endpoint never asked), and `deploy` wait on it without end before its first call. Now both end
 * at a call's deadline (LSHIFT_AWS_TIMEOUT=100ms: 1.3 s) with CREDENTIALS_TIMEOUT, exit 1. The
 * endpoint is a closed port: nothing may be sent. The sleep is left running for its 20 s
 * (docs/exit-codes.md#time-bounds: the SDK keeps no handle on it).
 */
function profileConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lshift-credential-hang-'));
  const config = join(dir, 'config');
  writeFileSync(config, '[profile p4]\nregion = us-east-1\ncredential_process = /bin/sleep 20\n');
  return config;
}

const ENV = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PROFILE: undefined,
  LSHIFT_AWS_TIMEOUT: '100ms',
  LSHIFT_SANDBOX: undefined,
};

describe('a credential_process that never exits (built CLI)', () => {
  it.each([
    [
      ['status', 'demo'],
      /^lambda:GetAlias on function demo alias live waited 1\.3 s \(its deadline\) for the AWS credentials/,
    ],
    [
      ['deploy', 'demo', '--strategy', 'all-at-once'],
      /^Reading the AWS credentials, before any AWS call, took longer than 1\.3 s/,
    ],
  ])('%j: CREDENTIALS_TIMEOUT, exit 1, naming the process, not the endpoint', async (args, message) => {
    const run = await runCli([...args, '--profile', 'p4', '--json'], {
      env: { ...ENV, AWS_CONFIG_FILE: profileConfig() },
      timeoutMs: 60_000,
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'CREDENTIALS_TIMEOUT', exitCode: 1 });
    expect(error.message).toMatch(message);
    expect(error.message).toContain(
      'the credential_process of AWS profile p4 (`/bin/sleep …`) did not finish',
    );
    expect(error.hint).toContain('`aws sts get-caller-identity --profile p4`');
    expect(run.stdout + run.stderr).not.toContain('127.0.0.1:9');
  });
});
