import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/** `lshift check`: bad input is exit 2 before any AWS call (no region is configured here). */
describe('lshift check: bad input → exit 2 before any AWS call', () => {
  const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined };

  it('no alarm to judge by is CHECK_NO_ALARMS, not the missing region of the AWS call after it', async () => {
    const run = await runCliInProcess(['check', 'orders', '--json'], { env });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).code).toBe('CHECK_NO_ALARMS');
    // status offers a check or a rollback to finish a rollback whose runner died: the refused
    // check says the rollback needs no alarm (found by a hostile pass, session 61).
    expect(JSON.parse(run.stdout).hint).toContain(
      'To finish a rollback left unfinished, or undo a deployment nobody drives, no alarm is needed: `lshift rollback <function> --alias <alias>`; for the functions of a release, `lshift rollback --release <release id>` rolls every one back (`lshift status orders` names the release, and its rollback, on its first line).',
    );
  });

  it('a --stale-after under 2 minutes', async () => {
    const run = await runCliInProcess(['check', 'orders', '--alarm', 'x', '--stale-after', '30s', '--json'], {
      env,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).code).toBe('STALE_AFTER_INVALID');
  });

  // A split alias of 122–128 characters said "could not read the deployment record" (exit 1).
  it('an alias too long to name the record tag is ALIAS_TOO_LONG, as deploy and rollback say', async () => {
    const alias = 'a'.repeat(125);
    const run = await runCliInProcess(['check', 'orders', '--alarm', 'x', '--alias', alias, '--json'], {
      env,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).code).toBe('ALIAS_TOO_LONG');
  });

  it('an alarm name with a control character is ALARM_NAME_INVALID, shown without it', async () => {
    const run = await runCliInProcess(['check', 'orders', '--alarm', 'orders-errors\u001b]0;pwned\u0007'], {
      env,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('Error [ALARM_NAME_INVALID]');
    expect(run.stderr).toContain('contains a control character (U+001B at character 14)');
    expect(run.stderr).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(run.stderr).not.toContain('    at ');
  });
});

// The runs above are the built CLI's commands in this process (run-cli-in-process.ts); this one
// starts it as a user would, and expects the same exit code, stdout and stderr.
describe('the built CLI, started as a user would', () => {
  it('gives the same as here for a sample of these runs', async () => {
    await expectSameAsBuiltCli([
      {
        args: ['check', 'orders', '--alarm', 'orders-errors\u001b]0;pwned\u0007'],
        env: { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined },
      },
    ]);
  });
});
