import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import { sandboxCodeDeploy, startDetachedCanary } from './codedeploy-detached.js';
import { control, moveAliasByHand, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Ctrl-C while `lshift wait` stops CodeDeploy WITHOUT its rollback for a person's move (found by a
 * hostile pass, session 63): the notice said "stopping the deployment with auto-rollback … until
 * CodeDeploy has put the alias back", the signal abandoned the StopDeployment in flight ("could not
 * stop … INTERRUPTED"), and the result said both "the interrupt came after CodeDeploy had ended
 * the deployment: nothing was stopped" and "ended InProgress". The stop now goes on, the words true.
 */
describe('lshift wait: a signal during its stop without rollback for a move by hand', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    if (env) await control(env, 'release', { drop: true });
    await env?.stop();
    env = undefined;
  });

  it('the stop is not cut short, the move stays, exit 4 (a split nobody drives), and the notice says what happens', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const sandbox = env;
    const id = await startDetachedCanary(sandbox, 'canary:10%:120m');
    await waitUntil(
      async () => ((await sandbox.status()).additionalWeights['2'] ?? 0) > 0,
      'CodeDeploy at 10%',
    );
    // Only the wait calls StopDeployment here: held until the signal was taken.
    await control(sandbox, 'hold', { only: ['StopDeployment'] });
    const run = await sandbox.cli(['wait', id, '--interval', '1s'], {
      onSpawn: (child) =>
        void stderrShows(child, `codedeploy: ${id}`).then(async () => {
          // 50% is no weight of a 10% canary: a person's.
          await moveAliasByHand(sandbox, '1', { '2': 0.5 });
          await untilHeld(sandbox);
          const taken = stderrShows(child, 'SIGINT received');
          child.kill('SIGINT');
          await taken;
          await control(sandbox, 'release', {});
        }),
      timeoutMs: 240_000,
    });
    const out = run.stdout + run.stderr;
    // The person's 50/50 kept, nobody driving it: exit 4 (5 until session 68, DESIGN.md §6).
    expect(run.code, out).toBe(4);
    expect(out).toContain(
      'SIGINT received: someone moved the alias by hand, and lshift is stopping the deployment WITHOUT its rollback so that the move stays',
    );
    expect(out).not.toContain('with auto-rollback');
    expect(out).not.toContain('could not stop');
    expect(out).not.toContain('nothing was stopped');
    expect(out).toContain(`lshift stopped AWS CodeDeploy deployment ${id} without its rollback`);
    const codeDeploy = sandboxCodeDeploy(sandbox);
    const info = await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }));
    codeDeploy.destroy();
    expect(info.deploymentInfo?.status).toBe('Stopped');
    expect(await sandbox.status()).toMatchObject({ functionVersion: '1', additionalWeights: { '2': 0.5 } });
  });
});
