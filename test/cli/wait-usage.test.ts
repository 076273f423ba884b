import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/** `lshift wait`: bad input is exit 2 before any AWS call (no region is configured here). */
describe('lshift wait: bad input → exit 2 before any AWS call', () => {
  it('refuses a poll interval it would sleep through the whole deployment with', async () => {
    const run = await runCliInProcess(['wait', 'd-ABCDEF123', '--interval', '9999h', '--json'], {
      env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' },
    });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('INTERVAL_INVALID');
    expect(error.message).toContain('`9999h` is longer than 1m');
  });

  it('an lshift deployment id (the `shift: d-k3j9x2` line) is told apart from CodeDeploy’s, naming where that one is', async () => {
    const run = await runCliInProcess(['wait', 'd-7ge2kw'], {
      env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('`d-7ge2kw` is an lshift deployment id, not a CodeDeploy one');
    expect(run.stderr).toContain('lshift status <function>');
  });

  // Found by a hostile pass: `D-09BEAE581` passed the local check and failed at AWS with exit 1.
  it.each([
    ['D-09BEAE581', 'd-09BEAE581'],
    ['d-09beae581', 'd-09BEAE581'],
  ])(
    '%s (CodeDeploy writes ids as d-ABCDEF123): exit 2 before any AWS call, naming %s',
    async (given, right) => {
      const run = await runCliInProcess(['wait', given], { env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' } });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`\`${given}\` is not a CodeDeploy deployment id as CodeDeploy writes it`);
      expect(run.stderr).toContain(`did you mean \`${right}\`?`);
    },
  );
});

// A refusal made before the runtime is built offered bare commands: copied, `lshift wait
// d-09BEAE581` asked the default region (session 66). The flags parsed, its commands name them.
describe('lshift wait: a refusal before any AWS call offers its commands with the flags given', () => {
  // The profile must exist: one no file defines is not repeated (below).
  const awsDir = mkdtempSync(join(tmpdir(), 'lshift-wait-usage-'));
  writeFileSync(join(awsDir, 'config'), '[profile prod]\nregion = eu-west-1\n');
  writeFileSync(join(awsDir, 'credentials'), '');
  const env = {
    AWS_REGION: '',
    AWS_DEFAULT_REGION: '',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
  };

  it('--region and --profile on the `lshift wait` it offers', async () => {
    const run = await runCliInProcess(['wait', 'd-09beae581', '--region', 'eu-west-1', '--profile', 'prod'], {
      env,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('`lshift wait d-09BEAE581 --profile prod --region eu-west-1`');
  });

  it('a malformed --endpoint-url is not repeated into the commands', async () => {
    const run = await runCliInProcess(['wait', 'd-09beae581', '--endpoint-url', 'not a url'], { env });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('`lshift wait d-09BEAE581`');
  });

  // h3's pass (F3): a --region the runtime refuses as REGION_INVALID was repeated into the commands.
  it.each([['eu-west-1 --profile x'], ['EU-WEST-1']])(
    'a malformed --region (%s) is not repeated into the commands',
    async (region) => {
      const run = await runCliInProcess(['wait', 'd-09beae581', '--region', region], { env });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('`lshift wait d-09BEAE581`');
    },
  );

  // h3's pass (F9): `--profile nosuch` offered `aws configure list-profiles --profile nosuch`.
  it('a --profile no file defines is not repeated into the commands', async () => {
    const run = await runCliInProcess(
      ['wait', 'd-09beae581', '--profile', 'nosuch', '--region', 'eu-west-1'],
      {
        env,
      },
    );
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('`lshift wait d-09BEAE581`');
  });
  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    await expectSameAsBuiltCli([
      {
        args: ['wait', 'd-09beae581', '--region', 'eu-west-1', '--profile', 'prod'],
        env,
      },
    ]);
  });
});

// h3's pass (F9): the runtime's PROFILE_NOT_FOUND offered `aws configure list-profiles --profile
// nosuch`, the profile it had just said does not exist.
describe('lshift status --profile nosuch', () => {
  it('offers the bare `aws configure list-profiles`', async () => {
    const awsDir = mkdtempSync(join(tmpdir(), 'lshift-status-profile-'));
    writeFileSync(join(awsDir, 'config'), '');
    writeFileSync(join(awsDir, 'credentials'), '');
    const run = await runCliInProcess(['status', 'demo', '--profile', 'nosuch', '--region', 'eu-west-1'], {
      env: {
        AWS_PROFILE: '',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_CONFIG_FILE: join(awsDir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
      },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('PROFILE_NOT_FOUND');
    expect(run.stderr).toContain('`aws configure list-profiles`');
    expect(run.stderr).not.toContain('list-profiles --profile');
  });
});
