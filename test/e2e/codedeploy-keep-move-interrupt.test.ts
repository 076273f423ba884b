import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import { initCodeDeployGroup, sandboxCodeDeploy } from './codedeploy-detached.js';
import { control, moveAliasByHand, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Ctrl-C while `deploy --engine codedeploy` stops CodeDeploy WITHOUT its rollback for a person's
 * move (found by session 63's notes, as `lshift wait`'s in wait-keep-move-interrupt.test.ts): the
 * signal abandoned the StopDeployment in flight. The stop now goes on and the words are true.
 */
describe('deploy --engine codedeploy: a signal during its stop without rollback for a move by hand', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    if (env) await control(env, 'release', { drop: true });
    await env?.stop();
    env = undefined;
  });

  it('the stop is not cut short, the move stays, exit 4 (a split nobody drives), and the notice says what happens', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
    const sandbox = env;
    // Only the deploy's stop for the move calls StopDeployment here: held until the signal was taken.
    await control(sandbox, 'hold', { only: ['StopDeployment'] });
    const run = await sandbox.cli(
      ['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:120m', '--no-analysis'],
      {
        onSpawn: (child) =>
          void (async () => {
            // lshift has seen CodeDeploy's 10% (its record says the step) before the move.
            await waitUntil(async () => {
              const truth = await sandbox.status();
              return (truth.additionalWeights['2'] ?? 0) > 0 && truth.record?.phase === 'shifting';
            }, 'lshift follows CodeDeploy to its 10%');
            await moveAliasByHand(sandbox, '1', { '2': 0.5 });
            await untilHeld(sandbox);
            const taken = stderrShows(child, 'SIGINT received');
            child.kill('SIGINT');
            await taken;
            await control(sandbox, 'release', {});
          })(),
        timeoutMs: 240_000,
      },
    );
    const out = run.stdout + run.stderr;
    expect(out).toContain('SIGINT received: someone moved the alias by hand');
    expect(out).not.toContain('with auto-rollback');
    expect(out).not.toContain('could not stop');
    expect(out).toMatch(/lshift stopped AWS CodeDeploy deployment d-\w+ without its rollback/);
    // The person's 50/50 kept, nobody driving it: exit 4 (5 until session 68, DESIGN.md §6).
    expect(run.code, out).toBe(4);
    const id = /deployment (d-[A-Z0-9]+) without its rollback/.exec(out)?.[1];
    const codeDeploy = sandboxCodeDeploy(sandbox);
    const info = await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }));
    codeDeploy.destroy();
    expect(info.deploymentInfo?.status).toBe('Stopped');
    expect(info.deploymentInfo?.rollbackInfo?.rollbackDeploymentId).toBeUndefined();
    const truth = await sandbox.status();
    expect(truth).toMatchObject({ functionVersion: '1', additionalWeights: { '2': 0.5 } });
    expect(truth.record).toMatchObject({ phase: 'rolled-back' });
  });
});
