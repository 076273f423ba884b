import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `--ignore-metric-errors` with GetMetricData failing at every call: the canary analysis took the
 * flag, but the asynchronous-delivery and provisioned-concurrency gates' unreadable reads still
 * counted as errors, and the deploy rolled back `HEALTH_UNREADABLE` (exit 3) naming gates the
 * function does not use — the flag could not work (found by a hostile pass). The alarm, read
 * with DescribeAlarms, still judges.
 */
describe('--ignore-metric-errors against a CloudWatch whose GetMetricData always fails (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('every gate reading metrics says ignored; the alarm judges; promoted (exit 0)', async () => {
    const faults = [
      {
        type: 'api' as const,
        service: 'cloudwatch' as const,
        operations: ['GetMetricData'],
        kind: '5xx' as const,
        rate: 1,
      },
    ];
    const sandbox = { preset: 'healthy', speed: 60, scenario: { faults } } as const;
    env = await startSandboxEnv({ inProcess: runCliInProcess, ...sandbox });
    const args = [
      ...['deploy', 'demo', '--strategy', 'linear:50%:1m', '--alarm', 'demo-errors'],
      ...['--ignore-metric-errors', '--json'],
    ];
    const run = await env.cli(args);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const verdicts = JSON.parse(run.stdout).verdicts as { gate: string; outcome: string; summary: string }[];
    for (const gate of ['async-delivery', 'pc-spillover']) {
      const own = verdicts.filter((v) => v.gate === gate);
      for (const v of own) expect(v, gate).toMatchObject({ outcome: 'inconclusive' });
      for (const v of own) expect(v.summary).toContain('ignored (--ignore-metric-errors)');
    }
    expect(verdicts.find((v) => v.gate === 'alarms')).toMatchObject({ outcome: 'pass' });
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started on a sandbox made alike, says the same.
    await expectBuiltCliRunsAlike(run, args, { fresh: freshSandbox(sandbox) });
  });
});
