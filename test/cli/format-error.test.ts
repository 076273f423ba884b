import { Args, Flags, Parser } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { REPEATABLE } from '../../src/cli/flags.js';
import { describeError, USAGE_HINT } from '../../src/cli/format-error.js';

/**
 * oclif's own parse errors (a missing value, an unknown flag, a broken flag rule) become one
 * lshift message with one hint: oclif's "See more help with --help" tail and its wrappers go.
 */
const input = {
  args: { fn: Args.string({ required: true, description: 'function' }) },
  flags: {
    strategy: Flags.string(),
    watch: Flags.boolean(),
    interval: Flags.string({ dependsOn: ['watch'] }),
    tail: Flags.boolean({ dependsOn: ['watch', 'follow'] }),
    alarm: Flags.string(REPEATABLE),
    limit: Flags.integer({ min: 1, max: 10 }),
    follow: Flags.boolean({ exclusive: ['watch', 'strategy'] }),
  },
  strict: true,
};

async function reportOf(argv: string[]) {
  const error = await Parser.parse(argv, input).then(
    () => undefined,
    (e: unknown) => e,
  );
  return describeError(error);
}

describe('describeError of oclif parse errors', () => {
  it.each([
    [['demo', '--nosuchflag'], 'Nonexistent flag: --nosuchflag'],
    // Found by a hostile pass: a mistyped flag's value (a token, a key) was repeated as typed.
    [['demo', '--token=ghp_abcdefghijklmnopqrstuvwxyz0123456789'], 'Nonexistent flag: --token=***'],
    [['demo', '--tokn=a,b', '--pasword=hunter2'], 'Nonexistent flags: --tokn=***, --pasword=***'],
    [['demo', '-x=secret'], 'Nonexistent flag: -x=***'],
    [['demo', '--strategy'], 'Flag --strategy expects a value'],
    // `status --interval 5s` without --watch: oclif's "All of the following must be provided when using…".
    [['demo', '--interval', '5s'], '--interval needs --watch: add --watch, or drop --interval'],
    [['demo', '--tail'], '--tail needs --watch and --follow: add them, or drop --tail'],
    [[], 'Missing 1 required arg:\nfn  function'],
    [['demo', '--limit', '0'], '--limit: expected an integer greater than or equal to 1 but received: 0'],
    [['demo', '--limit=1.5'], '--limit: expected an integer but received: 1.5'],
    [['demo', '--watch', '--follow'], '--watch cannot be used with --follow'],
    [['demo', '--strategy=x', '--follow'], '--strategy cannot be used with --follow'],
  ])('%j → one message, one hint, exit 2', async (argv, message) => {
    const report = await reportOf(argv);
    expect(report).toMatchObject({ code: 'USAGE', message, hint: USAGE_HINT, exitCode: 2 });
    expect(report.message).not.toMatch(/--help|following error|multiple values/);
  });
});

describe('describeError with function environment values known', () => {
  it('prints the deploy’s own names plain (an alias `production` beside STAGE=production), a secret masked', async () => {
    const { functionSecrets, spareDeployNames } = await import('../../src/cli/function-secrets.js');
    const { OperationError } = await import('../../src/domain/errors.js');
    functionSecrets.add([
      'production',
      'orders-service',
      'orders-service-errors',
      'hunter2hunter2',
      'artifacts-bucket',
    ]);
    spareDeployNames('orders-service', {
      alias: 'production',
      alarms: ['orders-service-errors'],
      engine: { kind: 'native' },
      code: { kind: 's3', bucket: 'artifacts-bucket', key: 'orders/build-7.zip' },
    });
    const report = describeError(
      new OperationError(
        'DEPLOYMENT_IN_PROGRESS',
        'Deployment d-1 holds orders-service alias production (hunter2hunter2).',
        {
          hint: 'Stop it with `lshift rollback orders-service --alias production`; alarm orders-service-errors; code s3://artifacts-bucket/orders/build-7.zip.',
        },
      ),
    );
    expect(report.message).toBe('Deployment d-1 holds orders-service alias production (***).');
    expect(report.hint).toBe(
      'Stop it with `lshift rollback orders-service --alias production`; alarm orders-service-errors; code s3://artifacts-bucket/orders/build-7.zip.',
    );
  });
});
