import { afterEach, describe, expect, it } from 'vitest';
import { readTruth } from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Canary analysis alone (no alarm): the new version judged on its own metrics against the
 * stable version, through the built CLI against a seeded sandbox (docs/analysis.md).
 * 1000 requests/minute, a 10% canary held 5 minutes. Speed 60 (a 5-minute step takes 5 real
 * seconds) so a loaded CI machine still polls often enough within the step.
 */
describe('canary analysis end to end (built CLI against a sandbox, no alarms)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  const STABLE_AT_1_PERCENT = { type: 'version' as const, function: 'demo', version: '1', errorRate: 0.01 };
  const deploy = ['deploy', 'demo', '--strategy', 'canary:10%:5m', '--json'];

  it('rolls back a bad canary (5% vs 1% errors) during the first canary step, with the numbers', async () => {
    env = await startSandboxEnv({
      speed: 60,
      seed: 11,
      demo: { rpm: 1000, target: { errorRate: 0.05, p50Ms: 40, p99Ms: 120 } },
      scenario: { faults: [STABLE_AT_1_PERCENT] },
    });
    const run = await env.cli(deploy);
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.steps).toHaveLength(1);
    expect(result.reason).toMatch(/at step 1 \(10%\)/);
    expect(result.reason).toMatch(/error rate .*vs stable .*pp/);
    const verdict = result.verdicts.find((v: { gate: string }) => v.gate === 'error-rate-increase');
    expect(verdict.outcome).toBe('fail');
    expect(verdict.details).toBeDefined();
    expect(readTruth(env).functionVersion).toBe('1');
  });

  it('promotes a canary equal to the stable version', async () => {
    env = await startSandboxEnv({
      speed: 60,
      seed: 12,
      demo: { rpm: 1000 },
      scenario: { faults: [STABLE_AT_1_PERCENT] },
    });
    const run = await env.cli(deploy);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readTruth(env).functionVersion).toBe('2');
  });

  it('rolls back a slow canary (+50% p99)', async () => {
    env = await startSandboxEnv({ speed: 60, seed: 13, preset: 'slow', demo: { rpm: 1000 } });
    // The latency threshold T is stable's p99 over the whole minutes before the deployment. A
    // world seconds old has at most a sliver of a minute there, and T from a few dozen calls is
    // anything (one loaded run: T = 222 ms for a stable p99 of 122, nothing caught against it; a
    // probe of seed 13 with a 2-second sliver: T = 80 ms). Two simulated minutes (2 real seconds)
    // give the baseline a whole minute, as a function in service has.
    await untilWholeMinutes(env, 2);
    // A 10-minute canary: what the new version shows is fixed by the seed, but which partial
    // minutes a poll sees depends on the machine's speed; at 5 minutes a loaded machine could end
    // the canary with the evidence short of 1/α (e ≈ 40 of 100). Detection rates are the bench's job.
    const run = await env.cli(['deploy', 'demo', '--strategy', 'canary:10%:10m', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(JSON.parse(run.stdout).reason).toMatch(/latency|p99/);
    expect(readTruth(env).functionVersion).toBe('1');
  });

  it('at 5 requests/minute ends inconclusive and, by default, continues (says so plainly)', async () => {
    env = await startSandboxEnv({ speed: 60, seed: 14, preset: 'low-traffic' });
    const run = await env.cli(['deploy', 'demo', '--strategy', 'canary:10%:5m']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('could not judge version 2 (inconclusive)');
    expect(run.stdout).toContain('Warning: the canary analysis never judged version 2');
    const strict = await startSandboxEnv({ speed: 60, seed: 15, preset: 'low-traffic' });
    try {
      const failing = await strict.cli([...deploy, '--on-inconclusive', 'fail']);
      expect(failing.code, failing.stderr).toBe(3);
      expect(JSON.parse(failing.stdout).reason).toMatch(/inconclusive|could not be judged|invocations/);
    } finally {
      await strict.stop();
    }
  });

  // Issue 11: with evidence accumulated over the whole deployment and the settle wait, a
  // 1-minute linear rollout is judged before 100%, with no alarm.
  const linear1m = ['deploy', 'demo', '--strategy', 'Linear10PercentEvery1Minute', '--json'];

  it('Linear10PercentEvery1Minute, 5% vs 1% errors, no alarm: rolls back before 100% (exit 3)', async () => {
    env = await startSandboxEnv({
      speed: 60,
      seed: 21,
      demo: { rpm: 1000, target: { errorRate: 0.05, p50Ms: 40, p99Ms: 120 } },
      scenario: { faults: [STABLE_AT_1_PERCENT] },
    });
    const run = await env.cli(linear1m);
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.steps.every((s: { percent: number }) => s.percent < 100)).toBe(true);
    expect(result.reason).toMatch(/error-rate-increase: version 2 error rate .* evidence e = /);
    expect(readTruth(env).functionVersion).toBe('1');
  });

  it('Linear10PercentEvery1Minute, equal versions, no alarm: promotes (exit 0) and says what it could not see', async () => {
    env = await startSandboxEnv({
      speed: 60,
      seed: 22,
      demo: { rpm: 1000 },
      scenario: { faults: [STABLE_AT_1_PERCENT] },
    });
    const run = await env.cli(linear1m);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^steps of 1m are shorter than CloudWatch's metric delay/),
    ]);
    expect(readTruth(env).functionVersion).toBe('2');
  });
});

/** Waits (real time, the sandbox's clock) until `minutes` minute boundaries have passed since now. */
async function untilWholeMinutes(env: SandboxEnv, minutes: number): Promise<void> {
  const minuteOf = () => Math.floor(env.handle.state.simNow() / 60_000);
  const target = minuteOf() + minutes;
  while (minuteOf() < target) await new Promise((r) => setTimeout(r, 20));
}
