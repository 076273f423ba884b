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
  it('--region and --profile on the `lshift wait` it offers', async () => {
    const run = await runCliInProcess(['wait', 'd-09beae581', '--region', 'eu-west-1', '--profile', 'prod'], {
      env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('`lshift wait d-09BEAE581 --profile prod --region eu-west-1`');
  });

  it('a malformed --endpoint-url is not repeated into the commands', async () => {
    const run = await runCliInProcess(['wait', 'd-09beae581', '--endpoint-url', 'not a url'], {
      env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('`lshift wait d-09BEAE581`');
  });
  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    await expectSameAsBuiltCli([
      {
        args: ['wait', 'd-09beae581', '--region', 'eu-west-1', '--profile', 'prod'],
        env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' },
      },
    ]);
  });
});
