import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * `status --alarm` and `check --alarm` fill `{function}` and `{alias}` per function; CloudWatch
 * bounds the filled name at 255 characters, not the template. They measured the template: a
 * 260-character `{function}x…` (254 once filled for `demo`) was refused, and a 255-character one
 * that fills to 265 for a long function name went on to CloudWatch. No region is configured
 * here, so a run that passes the check fails later on the AWS side, never with ALARM_NAME_INVALID.
 * iam-policy measured the template as typed too (found by a hostile pass).
 */
describe('status, check and iam-policy: an alarm template is measured once filled, per function', () => {
  const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined };
  const fitsOnceFilled = `{function}${'x'.repeat(250)}`;
  const longFunction = 'f'.repeat(20);
  const overlongOnceFilled = `${'x'.repeat(245)}{function}`;

  it.each([['status'], ['check'], ['iam-policy']])(
    '%s: a 260-character template that fills to 254 is taken',
    async (command) => {
      const run = await runCliInProcess([command, 'demo', '--alarm', fitsOnceFilled, '--json'], { env });
      expect(run.stdout + run.stderr).not.toContain('ALARM_NAME_INVALID');
    },
  );

  it.each([['status'], ['check'], ['iam-policy']])(
    '%s: a 255-character template that fills to 265 is ALARM_NAME_INVALID, exit 2, naming the function and the length',
    async (command) => {
      const run = await runCliInProcess(
        [command, 'demo', longFunction, '--alarm', overlongOnceFilled, '--json'],
        {
          env,
        },
      );
      expect(run.code, run.stderr).toBe(2);
      const error = JSON.parse(run.stdout);
      expect(error).toMatchObject({ code: 'ALARM_NAME_INVALID', exitCode: 2 });
      expect(error.message).toContain(`for function ${longFunction}, alias live) is 265 characters`);
      expect(error.message).toContain("longer than CloudWatch's 255");
    },
  );
});

// The runs above are the built CLI's commands in this process (run-cli-in-process.ts); this one
// starts it as a user would, and expects the same exit code, stdout and stderr.
describe('the built CLI, started as a user would', () => {
  it('gives the same as here for a sample of these runs', async () => {
    await expectSameAsBuiltCli([
      {
        args: ['status', 'demo', 'f'.repeat(20), '--alarm', `${'x'.repeat(245)}{function}`, '--json'],
        env: { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined },
      },
    ]);
  });
});
