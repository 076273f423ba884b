import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, seedDemo } from '../../src/sandbox/index.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * An alarm on a metric that never gets a datapoint stays INSUFFICIENT_DATA the whole shift.
 * lshift counts INSUFFICIENT_DATA as not alarming (as CodeDeploy does), so the deploy promotes —
 * but it used to say only "alarms ok" and "healthy", as if the alarm had looked at the new
 * version. The result now says which alarm never judged it, on the screen and in --json.
 */
describe('an alarm INSUFFICIENT_DATA at every health poll (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function putAlarmWithoutData(url: string, name: string): Promise<void> {
    const res = await fetch(`${url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.PutMetricAlarm',
      },
      body: JSON.stringify({
        AlarmName: name,
        Namespace: 'Custom/Nothing',
        MetricName: 'NeverSent',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'missing',
      }),
    });
    expect(res.status).toBe(200);
  }

  it('promotes (exit 0) and warns that the alarm never judged the new version; the alarm with data is not named', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    await putAlarmWithoutData(env.handle.url, 'orders-typo-errors');
    const args = [
      ...['deploy', 'demo', '--strategy', 'linear:50%:2m', '--alarm', 'demo-errors'],
      ...['--alarm', 'orders-typo-errors', '--no-analysis', '--json'],
    ];
    const run = await env.cli(args);

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('promoted');
    const warning = (result.warnings as string[]).find((w) =>
      w.includes('INSUFFICIENT_DATA at every health poll'),
    );
    expect(warning).toMatch(
      /^alarm orders-typo-errors was INSUFFICIENT_DATA at every health poll \(\d+\): it never judged version 2 /,
    );
    // demo-errors had data (OK): only the silent alarm is named.
    expect(warning).not.toContain('demo-errors');
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started on a sandbox made alike, says the same.
    const fresh = freshSandbox({ preset: 'healthy', speed: 600 }, async (made) => {
      await putAlarmWithoutData(made.handle.url, 'orders-typo-errors');
      return undefined;
    });
    await expectBuiltCliRunsAlike(run, args, { fresh });
  });

  it('a release says it too, in each promoted function whose alarm never had data', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    await seedDemo(env.handle, { functionName: 'beta', ...DEMO_SCENARIOS.healthy });
    await putAlarmWithoutData(env.handle.url, 'beta-typo-errors');
    const run = await env.cli([
      'deploy',
      'demo',
      'beta',
      '--strategy',
      'linear:50%:2m',
      '--alarm',
      '{function}-errors',
      '--alarm',
      'beta-typo-errors',
      '--no-analysis',
      '--json',
    ]);

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      status: string;
      functions: { functionName: string; status: string; warnings?: string[] }[];
    };
    expect(result.status).toBe('promoted');
    const silentOf = (fn: string) =>
      (result.functions.find((f) => f.functionName === fn)?.warnings ?? []).filter((w) =>
        w.includes('INSUFFICIENT_DATA at every health poll'),
      );
    // beta-typo-errors is watched for both functions (a name without {function}): both name it.
    for (const fn of ['demo', 'beta']) {
      expect(silentOf(fn).join(), run.stdout).not.toContain('demo-errors');
      expect(silentOf(fn), run.stdout).toEqual([
        expect.stringMatching(
          /^alarm beta-typo-errors was INSUFFICIENT_DATA at every health poll \(\d+\): it never judged version 2 /,
        ),
      ]);
    }
  });
});
