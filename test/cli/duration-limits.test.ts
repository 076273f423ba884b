import { describe, expect, it } from 'vitest';
import { type DeployFlags, resolveDeployOptions } from '../../src/cli/deploy-options.js';
import type { LshiftConfig } from '../../src/cli/option-schema.js';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Every duration a user can give has an upper bound (docs/configuration.md#duration-limits):
 * one error, DURATION_TOO_LONG (exit 2), naming the flag or config key, the value and the limit.
 */
function refusal(flags: Partial<DeployFlags>, config: LshiftConfig = {}) {
  try {
    resolveDeployOptions(flags as DeployFlags, config);
  } catch (error) {
    return error as { code: string; exitCode: number; message: string; hint?: string };
  }
  return undefined;
}

describe('deploy durations are bounded (flags and config file)', () => {
  const rows: { name: string; flags?: Partial<DeployFlags>; config?: LshiftConfig; message: string }[] = [
    {
      name: '--bake over 14 days',
      flags: { bake: '337h' },
      message: '--bake `337h` is longer than 14d, the longest bake.',
    },
    {
      name: 'the config file’s bake',
      config: { bake: '9999h' },
      message: 'the config file’s `bake` `9999h` is longer than 14d, the longest bake.',
    },
    {
      name: '--settle over 1 hour',
      flags: { settle: '61m' },
      message: '--settle `61m` is longer than 1h, the longest settle wait.',
    },
    {
      name: '--settle of a day (days are a unit, the settle limit still applies)',
      flags: { settle: '1d' },
      message: '--settle `1d` is longer than 1h, the longest settle wait.',
    },
    {
      name: '--bake of 15 days',
      flags: { bake: '15d' },
      message: '--bake `15d` is longer than 14d, the longest bake.',
    },
    {
      name: 'the config file’s settle',
      config: { settle: '2h' },
      message: 'the config file’s `settle` `2h` is longer than 1h, the longest settle wait.',
    },
    {
      name: '--hook-timeout over 1 hour',
      flags: { 'hook-timeout': '90m' },
      message: '--hook-timeout `90m` is longer than 1h, the longest hook timeout.',
    },
    {
      name: 'the config file’s hook-timeout',
      config: { 'hook-timeout': '3h' },
      message: 'the config file’s `hook-timeout` `3h` is longer than 1h, the longest hook timeout.',
    },
    {
      name: 'one hook’s own timeout in the config file',
      config: { hooks: { pre: [{ spec: 'cmd:true', timeout: '2h' }] } },
      message: 'hooks.pre[0] in the config file timeout `2h` is longer than 1h, the longest hook timeout.',
    },
    {
      name: 'a step hold over 14 days, even with --allow-long-shift',
      flags: { strategy: 'steps:1%@400h,100%', 'allow-long-shift': true },
      message:
        '--strategy `steps:1%@400h,100%`: the hold of step 1 (1%) is 16d16h, longer than 14d, the longest step hold.',
    },
    {
      name: 'a linear interval over 14 days from the config file',
      config: { strategy: 'linear:50%:500h', 'allow-long-shift': true },
      message:
        'the config file’s `strategy` `linear:50%:500h`: the hold of step 1 (50%) is 20d20h, longer than 14d, the longest step hold.',
    },
    // Found by a hostile pass: --allow-long-shift lifted every bound on the whole shift.
    {
      name: 'a whole shift over 30 days, even with --allow-long-shift (a `1d` typed for `1m`)',
      flags: { strategy: 'linear:1%:1d', 'allow-long-shift': true },
      message:
        '--strategy `linear:1%:1d`: the shift takes 99d, longer than 30d, the longest shift, even with --allow-long-shift.',
    },
    {
      name: 'a whole shift over 30 days from the config file, with allow-long-shift there',
      config: { strategy: 'linear:0.1%:14d', 'allow-long-shift': true },
      message:
        'the config file’s `strategy` `linear:0.1%:14d`: the shift takes 13986d, longer than 30d, the longest shift, even with --allow-long-shift.',
    },
  ];

  it.each(rows)('$name → DURATION_TOO_LONG, exit 2', (row) => {
    const error = refusal(row.flags ?? {}, row.config ?? {});
    expect(error).toMatchObject({ code: 'DURATION_TOO_LONG', exitCode: 2 });
    expect(error?.message).toBe(row.message);
    expect(error?.hint).toMatch(/at most/);
  });

  it('the deploy poll interval keeps its own check (1s to 1m), naming the config key it came from', () => {
    const error = refusal({}, { interval: '2m' });
    expect(error).toMatchObject({ code: 'INTERVAL_INVALID', exitCode: 2 });
    expect(error?.message).toMatch(
      /^The poll interval \(the config file’s `interval`\) `2m` is longer than 1m/,
    );
    expect(error?.hint).toBe(
      'Give the config file’s `interval` a value between 1s and 1m, like 10s (the default) or 30s.',
    );
  });

  it('accepts each duration at its limit', () => {
    const options = resolveDeployOptions(
      {
        bake: '336h',
        settle: '1h',
        'hook-timeout': '60m',
        strategy: 'steps:1%@336h,100%',
        'allow-long-shift': true,
      } as DeployFlags,
      { hooks: { post: [{ spec: 'cmd:true', timeout: '1h' }] } },
    );
    expect(options).toMatchObject({ bakeSeconds: 336 * 3600, hookTimeoutSeconds: 3600 });
    expect(options.plan.settleSeconds).toBe(3600);
    expect(options.hooks.post[0]?.timeoutSeconds).toBe(3600);
    const month = resolveDeployOptions(
      { strategy: 'steps:1%@14d,2%@14d,3%@2d,100%', 'allow-long-shift': true } as DeployFlags,
      {},
    );
    expect(month.plan.totalSeconds).toBe(30 * 86_400);
  });

  it('accepts days (d) in flags and in the config file', () => {
    expect(resolveDeployOptions({ bake: '1d' } as DeployFlags, {}).bakeSeconds).toBe(86_400);
    expect(resolveDeployOptions({} as DeployFlags, { bake: '14d' }).bakeSeconds).toBe(14 * 86_400);
    const steps = resolveDeployOptions({ strategy: 'steps:10%@1d,100%' } as DeployFlags, {});
    expect(steps.plan.steps[0]?.holdSeconds).toBe(86_400);
  });
});

/** The other commands' durations, through the built CLI: exit 2 before any AWS call. */
describe('other commands’ durations are bounded', () => {
  const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined };
  const rows: { name: string; args: string[]; message: string }[] = [
    {
      name: 'check --window over 14 days',
      args: ['check', 'orders', '--alarm', 'x', '--window', '400h'],
      message: '--window `400h` is longer than 14d, the longest check window.',
    },
    {
      name: 'check --stale-after over 14 days',
      args: ['check', 'orders', '--alarm', 'x', '--stale-after', '999h'],
      message: '--stale-after `999h` is longer than 14d, the longest stale limit.',
    },
    {
      name: 'status --watch --interval over 5 minutes',
      args: ['status', 'orders', '--watch', '--interval', '1h'],
      message: '--interval `1h` is longer than 5m, the longest refresh period.',
    },
    {
      name: 'check --window of 15 days',
      args: ['check', 'orders', '--alarm', 'x', '--window', '15d'],
      message: '--window `15d` is longer than 14d, the longest check window.',
    },
    {
      name: 'pause --wait over 1 hour',
      args: ['pause', 'orders', '--wait', '2h'],
      message: '--wait `2h` is longer than 1h, the longest wait for an answer.',
    },
    {
      name: 'plan --bake over 14 days',
      args: ['plan', 'canary:10%:5m', '--bake', '337h'],
      message: '--bake `337h` is longer than 14d, the longest bake.',
    },
  ];
  it.each(rows)('$name → DURATION_TOO_LONG, exit 2', async (row) => {
    // `status --watch` takes no --json: its error is read on stderr.
    const watch = row.args.includes('--watch');
    const run = await runCliInProcess(watch ? row.args : [...row.args, '--json'], { env });
    expect(run.code, run.stderr).toBe(2);
    if (watch) {
      expect(run.stderr).toContain('DURATION_TOO_LONG');
      expect(run.stderr).toContain(row.message);
    } else {
      expect(JSON.parse(run.stdout)).toMatchObject({ code: 'DURATION_TOO_LONG', message: row.message });
    }
  });
});

/** A duration that cannot be read names the accepted units, whichever command reads it. */
describe('unreadable durations name the units', () => {
  const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined };
  it.each([
    {
      name: 'pause --wait 0s',
      args: ['pause', 'orders', '--wait', '0s'],
      message: '--wait `0s` must be greater than zero',
    },
    {
      name: 'plan --bake 2w',
      args: ['plan', 'canary:10%:5m', '--bake', '2w'],
      message: '--bake `2w` has an unknown unit `w` (use s, m, h or d)',
    },
  ])('$name → INVALID_DURATION, exit 2', async (row) => {
    const run = await runCliInProcess([...row.args, '--json'], { env });
    expect(run.code, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ code: 'INVALID_DURATION', message: row.message });
    expect(report.hint).toContain('s, m, h or d');
  });
});

// The runs above are the built CLI's commands in this process (run-cli-in-process.ts); this one
// starts it as a user would, and expects the same exit code, stdout and stderr.
describe('the built CLI, started as a user would', () => {
  it('gives the same as here for a sample of these runs', async () => {
    await expectSameAsBuiltCli([
      {
        args: ['check', 'orders', '--alarm', 'x', '--window', '15d', '--json'],
        env: { AWS_REGION: '', AWS_DEFAULT_REGION: '', LSHIFT_SANDBOX: undefined },
      },
    ]);
  });
});
