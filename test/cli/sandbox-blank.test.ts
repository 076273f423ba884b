/**
 * `LSHIFT_SANDBOX=$SB` with SB unset in a script: read as unset, every call went to AWS with
 * whatever credentials the shell held (found by a hostile pass). Refused before any call, as
 * `--config ""` is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readSandboxFromEnv } from '../../src/cli/sandbox-env.js';
import { runCli } from '../helpers/run-cli.js';

describe('LSHIFT_SANDBOX set but empty', () => {
  const before = process.env.LSHIFT_SANDBOX;
  afterEach(() => {
    if (before === undefined) delete process.env.LSHIFT_SANDBOX;
    else process.env.LSHIFT_SANDBOX = before;
  });

  it.each(['', '  ', '\t'])('%j is SANDBOX_URL_INVALID (exit 2), saying how to use either', async (value) => {
    process.env.LSHIFT_SANDBOX = value;
    const error = await readSandboxFromEnv().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'SANDBOX_URL_INVALID',
      exitCode: 2,
      message: 'LSHIFT_SANDBOX is set but empty.',
    });
    expect((error as { hint?: string }).hint).toMatch(/unset it \(`unset LSHIFT_SANDBOX`\) to talk to AWS/);
  });

  it('unset is AWS, as before', async () => {
    delete process.env.LSHIFT_SANDBOX;
    await expect(readSandboxFromEnv()).resolves.toBeUndefined();
  });

  it('the built CLI refuses it before any call: exit 2, what, where, how', async () => {
    const run = await runCli(['status', 'orders'], {
      env: { LSHIFT_SANDBOX: '', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Error [SANDBOX_URL_INVALID]: LSHIFT_SANDBOX is set but empty.');
    expect(run.stderr).toContain('unset it (`unset LSHIFT_SANDBOX`) to talk to AWS');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
