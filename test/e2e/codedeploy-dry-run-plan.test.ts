import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { initCodeDeployGroup } from './codedeploy-detached.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `deploy --engine codedeploy --dry-run` says the program the run carries out (found by a hostile
 * pass, F4 of session 60): with --detach it listed "hold 1m, judged by health" ×9, a settle and
 * "done: record the deployment as promoted", and warned that the last step's metrics were awaited
 * "before 100%", none of which a detached run does; without --detach the settle came before the
 * promote although the engine waits it after CodeDeploy's 100% (docs/codedeploy.md).
 */
describe('deploy --engine codedeploy --dry-run: the program the run carries out (built CLI, --sandbox)', () => {
  const base = ['deploy', 'demo', '--sandbox', '--engine', 'codedeploy', '--dry-run'];
  const linear = ['--strategy', 'Linear10PercentEvery1Minute'];
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  /** --detach refuses --sandbox (it stops with lshift): a sandbox of its own, with the group made. */
  async function detachedDryRun(...extra: string[]) {
    env = await startSandboxEnv({ preset: 'healthy' });
    await initCodeDeployGroup(env, {
      role: 'arn:aws:iam::123456789012:role/codedeploy',
      alarms: ['demo-errors'],
    });
    const args = ['deploy', 'demo', '--engine', 'codedeploy', '--dry-run', '--detach', ...linear, ...extra];
    return env.cli([...args, '--alarm', 'demo-errors'], { timeoutMs: 120_000 });
  }

  it('--detach: the program ends at CodeDeploy’s start, one line says what CodeDeploy does after, no settle promised', async () => {
    const run = await detachedDryRun();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('with --detach lshift starts it and exits once CodeDeploy has it');
    expect(run.stdout).toContain('Release program:\n  1. set demo:live to 10% on the new version\n  then: ');
    expect(run.stdout).toContain(
      "CodeDeploy moves 10% → 20% → 30% → 40% → 50% → 60% → 70% → 80% → 90% → 100% on its own schedule, holding each 1m, watched only by the deployment group's alarms: lshift judges no step and waits no settle",
    );
    expect(run.stdout).not.toMatch(
      /judged by health|settle:|done: record|lshift follows it|awaited for up to/,
    );
  });

  it('--detach --json: the program is the steps lshift runs, and codeDeploy.afterHandOver says the rest', async () => {
    const run = await detachedDryRun('--json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.program.map((s: { kind: string }) => s.kind)).toEqual(['setWeight']);
    expect(report.codeDeploy.afterHandOver).toContain('lshift judges no step and waits no settle');
  });

  it('the real --detach run promises no settle wait either (its 1m-step warning is not said)', async () => {
    const dry = await detachedDryRun();
    expect(dry.code, dry.stderr).toBe(0);
    const args = [
      'deploy',
      'demo',
      '--engine',
      'codedeploy',
      '--detach',
      ...linear,
      '--alarm',
      'demo-errors',
    ];
    const run = await env!.cli(args, { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Handed demo:live to AWS CodeDeploy');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(
      /awaited for up to|shorter than CloudWatch's metric delay/,
    );
  });

  it('followed: the settle comes after the promote, and the 1m-step warning says "after CodeDeploy’s 100%"', async () => {
    const run = await runCli([...base, ...linear], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const steps = run.stdout.split('\n').filter((l) => /^\s+\d+\. /.test(l));
    const promote = steps.findIndex((l) => l.includes('promote demo:live'));
    const settle = steps.findIndex((l) => l.includes('settle:'));
    expect(promote).toBeGreaterThan(0);
    expect(settle).toBe(promote + 1);
    expect(run.stdout).toContain(
      "the last step's is awaited for up to 6m after CodeDeploy's 100% (--settle)",
    );
  });
});
