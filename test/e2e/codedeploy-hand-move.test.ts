import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { waitUntil } from '../helpers/wait-until.js';
import { initCodeDeployGroup, sandboxCodeDeploy } from './codedeploy-detached.js';
import { moveAliasByHand } from './sandbox-control.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A person puts all traffic back on version 1 (`aws lambda update-alias`) while lshift follows its
 * CodeDeploy canary at 10%. The follower ignored it for the rest of the step, CodeDeploy's 100%
 * step undid it, and the deploy said "✔ Promoted", exit 0 (found by a hostile pass, session 62).
 * The move is kept: CodeDeploy stopped without its rollback, the record closed moved by hand,
 * exit 5. The canary holds 120 simulated minutes (2 real minutes at speed 60): a loaded machine
 * still moves the alias well within its step.
 */
describe('a move by hand while lshift follows its CodeDeploy deployment (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('exit 5, the alias left on version 1, CodeDeploy stopped without rollback, the record closed', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
    const sandbox = env;
    const running = env.cli([
      'deploy',
      'demo',
      '--engine',
      'codedeploy',
      '--strategy',
      'canary:10%:120m',
      '--no-analysis',
    ]);
    // lshift has seen CodeDeploy's 10% (its record says the step): a move before its first read of
    // a weight looks like CodeDeploy not having shifted yet, and is only seen at CodeDeploy's next step.
    await waitUntil(async () => {
      const truth = await sandbox.status();
      return (truth.additionalWeights['2'] ?? 0) > 0 && truth.record?.phase === 'shifting';
    }, 'lshift follows CodeDeploy to its 10%');
    await moveAliasByHand(env, '1');

    const run = await running;
    const out = run.stdout + run.stderr;
    expect(run.code, out).toBe(5);
    expect(out).not.toContain('Promoted');
    expect(out).toContain('someone moved it by hand');
    expect(out).toMatch(/lshift stopped AWS CodeDeploy deployment d-\w+ without its rollback/);
    const id = /deployment (d-[A-Z0-9]+) without its rollback/.exec(out)?.[1];
    const codeDeploy = sandboxCodeDeploy(env);
    const info = await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }));
    codeDeploy.destroy();
    expect(info.deploymentInfo?.status).toBe('Stopped');
    expect(info.deploymentInfo?.rollbackInfo?.rollbackDeploymentId).toBeUndefined();
    const truth = await env.status();
    expect(truth).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(truth.record).toMatchObject({ phase: 'rolled-back' });
  });

  it('StopDeployment refused after the move: exit 4, UNSAFE, CodeDeploy may move it again, the stop named', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
    const sandbox = env;
    const running = env.cli([
      'deploy',
      'demo',
      '--engine',
      'codedeploy',
      '--strategy',
      'canary:10%:120m',
      '--no-analysis',
    ]);
    await waitUntil(async () => {
      const truth = await sandbox.status();
      return (truth.additionalWeights['2'] ?? 0) > 0 && truth.record?.phase === 'shifting';
    }, 'lshift follows CodeDeploy to its 10%');
    env.handle.state.addFaults([
      { type: 'api', service: 'codedeploy', operations: ['StopDeployment'], kind: 'access-denied' },
    ]);
    await moveAliasByHand(env, '1');

    const run = await running;
    const out = run.stdout + run.stderr;
    // Before: exit 5, as if the person's move would stay while CodeDeploy still ran.
    expect(run.code, out).toBe(4);
    expect(out).toContain('lshift could not stop it: CodeDeploy may move it again');
    expect(out).toMatch(/Fix: aws deploy stop-deployment --deployment-id d-\w+ --no-auto-rollback-enabled/);
  });
  it('lshift wait of a --detach-ed deployment: a split by hand is kept, CodeDeploy stopped without rollback, exit 5', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
    const sandbox = env;
    const detach = [
      ...['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:120m'],
      ...['--no-analysis', '--detach'],
    ];
    const detached = await env.cli(detach);
    const id = /(d-[A-Z0-9]{9})/.exec(detached.stdout + detached.stderr)?.[1];
    expect(id, detached.stdout + detached.stderr).toBeDefined();
    const waiting = env.cli(['wait', id!]);
    await waitUntil(async () => {
      const truth = await sandbox.status();
      return (truth.additionalWeights['2'] ?? 0) > 0;
    }, 'CodeDeploy at its 10%');
    // 50% is no weight of a 10% canary: a person's whenever the wait reads it.
    await moveAliasByHand(env, '1', { '2': 0.5 });

    const run = await waiting;
    const out = run.stdout + run.stderr;
    // Before: the wait read only CodeDeploy's status; its 100% step undid the split (exit 0). The
    // person's split kept, nobody driving it: exit 4 (5 until session 68, DESIGN.md §6).
    expect(run.code, out).toBe(4);
    expect(out).toContain(
      `CodeDeploy deployment ${id} was stopped without its rollback after someone moved demo:live by hand`,
    );
    expect(out).not.toContain('Fix: lshift rollback');
    const codeDeploy = sandboxCodeDeploy(env);
    const info = await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }));
    codeDeploy.destroy();
    expect(info.deploymentInfo?.status).toBe('Stopped');
    const truth = await env.status();
    expect(truth).toMatchObject({ functionVersion: '1', additionalWeights: { '2': 0.5 } });
    expect(truth.record).toMatchObject({ phase: 'rolled-back' });
    // The deploy above went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started on a sandbox made alike, hands over
    // alike. (The wait is wait-after-hand-move.test.ts's twin: here the move comes during it.)
    const fresh = freshSandbox({ preset: 'healthy', speed: 60 }, async (made) => {
      await initCodeDeployGroup(made);
      return undefined;
    });
    await expectBuiltCliRunsAlike(detached, detach, { fresh });
  });
});
