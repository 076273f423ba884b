import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Where AWS requests go is said once: a malformed --endpoint-url, or one beside a sandbox, is exit 2.
 * The refusals run the built CLI's commands in this process (run-cli-in-process.ts); the runs that
 * reach the network start it, and the last test runs a sample of the refusals as a user would.
 */
describe('--endpoint-url: checked before any request', () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: '',
  };

  it('refuses a value that is not an http(s) URL (it was an AWS_ERROR "Invalid URL", exit 1)', async () => {
    const run = await runCliInProcess(['status', 'demo', '--endpoint-url', 'notaurl', '--json'], {
      env: { ...env, LSHIFT_SANDBOX: undefined },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'INVALID_FLAG',
      message: '--endpoint-url `notaurl` is not an http(s) URL.',
    });
  });

  it('names the config file’s `endpoint-url` when the bad URL comes from there, not a flag never typed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-endpoint-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'endpoint-url: notaurl\n');
    const run = await runCliInProcess(['status', 'demo', '--json'], {
      env: { ...env, LSHIFT_SANDBOX: undefined },
      cwd: dir,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'INVALID_FLAG',
      message: 'the config file’s `endpoint-url` `notaurl` is not an http(s) URL.',
    });
  });

  it('refuses it beside LSHIFT_SANDBOX, which used to win silently', async () => {
    const run = await runCliInProcess(
      ['status', 'demo', '--endpoint-url', 'http://u:EPSECRET@127.0.0.1:9', '--json'],
      {
        env: { ...env, LSHIFT_SANDBOX: 'http://127.0.0.1:4' },
      },
    );
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('CONFLICTING_FLAGS');
    expect(error.message).toContain('and LSHIFT_SANDBOX both say where AWS requests go');
    expect(`${run.stdout}${run.stderr}`).not.toContain('EPSECRET');
  });

  it.each([
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_LAMBDA',
    'AWS_ENDPOINT_URL_CLOUDWATCH',
    'AWS_ENDPOINT_URL_CODEDEPLOY',
  ])('refuses %s beside LSHIFT_SANDBOX, which used to win silently', async (variable) => {
    const run = await runCliInProcess(['status', 'demo', '--json'], {
      env: { ...env, LSHIFT_SANDBOX: 'http://127.0.0.1:4', [variable]: 'http://u:ENVSECRET@127.0.0.1:4566' },
    });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({
      code: 'CONFLICTING_FLAGS',
      message: `${variable}=http://***@127.0.0.1:4566 and LSHIFT_SANDBOX both say where AWS requests go.`,
    });
    expect(error.hint).toContain(`unset ${variable} (or point it at http://127.0.0.1:4) to use the sandbox`);
    expect(`${run.stdout}${run.stderr}`).not.toContain('ENVSECRET');
  });

  // Said as a conflict before, whose hint said "point it at garbage".
  it.each(['garbage', 'http://127.0.0.1:99999'])(
    'a malformed LSHIFT_SANDBOX (%s) beside AWS_ENDPOINT_URL says it is malformed, not a conflict',
    async (sandbox) => {
      const run = await runCliInProcess(['status', 'demo', '--json'], {
        env: { ...env, LSHIFT_SANDBOX: sandbox, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
      });
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ code: 'SANDBOX_URL_INVALID' });
    },
  );

  it('refuses AWS_ENDPOINT_URL beside deploy --sandbox, before the sandbox starts', async () => {
    const run = await runCliInProcess(['deploy', 'demo', '--sandbox', '--json'], {
      env: { ...env, LSHIFT_SANDBOX: undefined, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'CONFLICTING_FLAGS',
      message: 'AWS_ENDPOINT_URL=http://127.0.0.1:4566 and --sandbox both say where AWS requests go.',
    });
  });

  it('lets AWS_ENDPOINT_URL name the LSHIFT_SANDBOX sandbox itself (docs/sandbox.md exports both)', async () => {
    const run = await runCli(['status', 'demo', '--json'], {
      env: { ...env, LSHIFT_SANDBOX: 'http://127.0.0.1:4', AWS_ENDPOINT_URL: 'http://127.0.0.1:4/' },
    });
    expect(JSON.parse(run.stdout).code, run.stderr).toBe('SANDBOX_UNREACHABLE');
  });

  it.each([
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_LAMBDA',
    'AWS_ENDPOINT_URL_CLOUDWATCH',
    'AWS_ENDPOINT_URL_CODEDEPLOY',
  ])(
    'refuses a %s that is not an http(s) URL (it was an AWS_ERROR "TypeError: Invalid URL", exit 1)',
    async (variable) => {
      const run = await runCliInProcess(['status', 'demo', '--json'], {
        env: { ...env, LSHIFT_SANDBOX: undefined, [variable]: 'ftp://u:ENVSECRET@127.0.0.1:21' },
      });
      expect(run.code, run.stderr).toBe(2);
      const error = JSON.parse(run.stdout);
      expect(error).toMatchObject({
        code: 'ENDPOINT_ENV_INVALID',
        message: `${variable}=ftp://***@127.0.0.1:21 is not an http(s) URL.`,
      });
      expect(error.hint).toContain(`unset ${variable}`);
      expect(`${run.stdout}${run.stderr}`).not.toContain('ENVSECRET');
    },
  );

  it('leaves a malformed AWS_ENDPOINT_URL alone when --endpoint-url or AWS_IGNORE_CONFIGURED_ENDPOINT_URLS makes the SDK ignore it', async () => {
    const base = { ...env, LSHIFT_SANDBOX: undefined, LSHIFT_AWS_TIMEOUT: '1s', AWS_ENDPOINT_URL: 'garbage' };
    const withFlag = await runCli(['status', 'demo', '--endpoint-url', 'http://127.0.0.1:9', '--json'], {
      env: base,
    });
    expect(JSON.parse(withFlag.stdout).code, withFlag.stderr).toBe('NETWORK_ERROR');
    const ignored = await runCli(['status', 'demo', '--json'], {
      env: {
        ...base,
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
        AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9',
      },
    });
    expect(JSON.parse(ignored.stdout).code, ignored.stderr).not.toBe('ENDPOINT_ENV_INVALID');
  });

  // Port 0 became the scheme's default: "Could not reach http://127.0.0.1:0 … ECONNREFUSED
  // 127.0.0.1:80", exit 1 (hostile pass). `lshift sandbox --port 0` takes it; nothing listens there.
  it.each([
    [
      '--endpoint-url',
      ['--endpoint-url', 'http://127.0.0.1:0'],
      {},
      'INVALID_FLAG',
      '--endpoint-url `http://127.0.0.1:0`',
    ],
    [
      'AWS_ENDPOINT_URL',
      [],
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:0' },
      'ENDPOINT_ENV_INVALID',
      'AWS_ENDPOINT_URL=http://127.0.0.1:0',
    ],
    [
      'AWS_ENDPOINT_URL_CLOUDWATCH (https, :00)',
      [],
      { AWS_ENDPOINT_URL_CLOUDWATCH: 'https://localhost:00/' },
      'ENDPOINT_ENV_INVALID',
      'AWS_ENDPOINT_URL_CLOUDWATCH=https://localhost:00/',
    ],
  ])(
    'refuses port 0 in %s: a usage error, not a connection to port 80',
    async (_name, args, extra, code, said) => {
      const run = await runCliInProcess(['status', 'demo', ...args, '--json'], {
        env: { ...env, LSHIFT_SANDBOX: undefined, ...extra },
      });
      expect(run.code, run.stdout + run.stderr).toBe(2);
      const error = JSON.parse(run.stdout);
      expect(error).toMatchObject({
        code,
        message: `${said} names port 0, which nothing listens on (the request would go to the default port, 80 or 443, instead).`,
      });
      expect(error.hint).toContain('`lshift sandbox --port 0` prints the one it chose');
    },
  );

  it('refuses port 0 in the config file’s endpoint-url, naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-endpoint-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'endpoint-url: http://localhost:0\n');
    const run = await runCliInProcess(['status', 'demo', '--json'], {
      env: { ...env, LSHIFT_SANDBOX: undefined },
      cwd: dir,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).message).toBe(
      'the config file’s `endpoint-url` `http://localhost:0` names port 0, which nothing listens on (the request would go to the default port, 80 or 443, instead).',
    );
  });

  it('refuses LSHIFT_SANDBOX on port 0: SANDBOX_URL_INVALID, not SANDBOX_UNREACHABLE', async () => {
    const run = await runCliInProcess(['status', 'demo', '--json'], {
      env: { ...env, LSHIFT_SANDBOX: 'http://127.0.0.1:0' },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'SANDBOX_URL_INVALID',
      message:
        'LSHIFT_SANDBOX (http://127.0.0.1:0) names port 0, which nothing listens on (`lshift sandbox --port 0` picks a free port and prints it).',
    });
  });

  it('the built CLI, started as a user would, gives the same for a sample of these refusals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-endpoint-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'endpoint-url: notaurl\n');
    await expectSameAsBuiltCli([
      { args: ['status', 'demo', '--json'], env: { ...env, LSHIFT_SANDBOX: undefined }, cwd: dir },
      {
        args: ['status', 'demo', '--json'],
        env: { ...env, LSHIFT_SANDBOX: undefined, AWS_ENDPOINT_URL_LAMBDA: 'ftp://u:ENVSECRET@127.0.0.1:21' },
      },
      { args: ['status', 'demo', '--json'], env: { ...env, LSHIFT_SANDBOX: 'http://127.0.0.1:0' } },
    ]);
  });
});
