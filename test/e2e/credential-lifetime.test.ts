/**
 * Credentials that cannot renew themselves and expire before the deployment can end: refused
 * before any write (CREDENTIALS_EXPIRE_TOO_SOON, exit 2), as a CI job with a 1-hour role session
 * exported as environment variables would be. The CLI talks to a sandbox through --endpoint-url
 * so that the SDK's own credential chain (not the sandbox's fixed keys) signs, and reads
 * AWS_CREDENTIAL_EXPIRATION as it does against AWS. The margins are tens of minutes: no test
 * here depends on the machine's speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, seedDemo } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/run-cli.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

let sb: SandboxEnv;
beforeAll(async () => {
  sb = await startSandboxEnv({ speed: 600 });
  await seedDemo(sb.handle, { ...DEMO_SCENARIOS.healthy, functionName: 'demo2', alias: 'live' });
});
afterAll(() => sb.stop());

const WRITES = ['PublishVersion', 'UpdateAlias', 'TagResource', 'UpdateFunctionCode'];

function sessionEnv(expiresInMinutes?: number): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret-AbCdEf',
    AWS_SESSION_TOKEN: 'not-a-real-session-token',
    AWS_REGION: 'us-east-1',
    AWS_CREDENTIAL_EXPIRATION:
      expiresInMinutes === undefined ? '' : new Date(Date.now() + expiresInMinutes * 60_000).toISOString(),
  };
}

function deploy(extra: string[], env: NodeJS.ProcessEnv, functions = ['demo']) {
  return runCli(
    ['deploy', ...functions, '--endpoint-url', sb.handle.url, '--alarm', 'demo-errors', ...extra],
    {
      env: { ...env, LSHIFT_SANDBOX: undefined },
    },
  );
}

function writes(): number {
  const counts = sb.handle.state.operationCounts;
  return WRITES.reduce((sum, op) => sum + (counts.get(op) ?? 0), 0);
}

describe('credentials that would expire mid-deployment', () => {
  it('refuses a 100-minute linear shift with 40 minutes of credentials left, before any write', async () => {
    const before = writes();
    const run = await deploy(['--strategy', 'Linear10PercentEvery10Minutes', '--json'], sessionEnv(40));
    expect(run.code).toBe(2);
    const out = JSON.parse(run.stdout);
    expect(out.code).toBe('CREDENTIALS_EXPIRE_TOO_SOON');
    expect(out.message).toMatch(/access keys in environment variables\) expire in 3\dm \d+s/);
    expect(out.message).toContain('up to 1h 41m (shift 1h 30m, settle up to 6m, a rollback 5m)');
    expect(out.hint).toContain('role-duration-seconds');
    expect(writes()).toBe(before);
    expect(`${run.stdout}${run.stderr}`).not.toContain('not-a-real-se');
    expect((await sb.status()).functionVersion).toBe('1');
  });

  it('refuses the same in a dry run, and passes one whose credentials outlast it', async () => {
    const refused = await deploy(
      ['--strategy', 'Linear10PercentEvery10Minutes', '--dry-run'],
      sessionEnv(40),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('CREDENTIALS_EXPIRE_TOO_SOON');
    const passed = await deploy(
      ['--strategy', 'Linear10PercentEvery10Minutes', '--dry-run', '--progress', 'ndjson'],
      sessionEnv(180),
    );
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(
      /"check":"credentials","ok":true,"message":"the credentials expire in 2h 5\dm/,
    );
  });

  it('warns, without refusing, when temporary credentials do not say when they expire', async () => {
    const run = await deploy(
      ['--strategy', 'Linear10PercentEvery10Minutes', '--dry-run', '--json'],
      sessionEnv(),
    );
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.warnings.join('\n')).toMatch(
      /temporary .* cannot tell when they expire; this deployment can run up to 1h 41m/,
    );
    // A 5-minute canary fits in any fresh session: nothing to say.
    const short = await deploy(
      ['--strategy', 'Canary10Percent5Minutes', '--dry-run', '--json'],
      sessionEnv(),
    );
    expect(JSON.stringify(JSON.parse(short.stdout).warnings ?? [])).not.toContain('credentials');
  });

  it("counts a staggered release's functions one after the other, a lockstep one's together", async () => {
    const before = writes();
    const args = ['--strategy', 'Linear10PercentEvery10Minutes', '--json'];
    const staggered = await deploy([...args, '--stagger'], sessionEnv(120), ['demo', 'demo2']);
    expect(staggered.code).toBe(2);
    const out = JSON.parse(staggered.stdout);
    expect(out.code).toBe('CREDENTIALS_EXPIRE_TOO_SOON');
    expect(out.message).toContain('up to 3h 17m (shift 3h, settle up to 12m, a rollback 5m)');
    expect(writes()).toBe(before);
    const lockstep = await deploy([...args, '--dry-run'], sessionEnv(120), ['demo', 'demo2']);
    expect(lockstep.code).toBe(0);
  });
});
