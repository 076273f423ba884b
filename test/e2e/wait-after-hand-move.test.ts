import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { expectSameRunAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { waitUntil } from '../helpers/wait-until.js';
import { sandboxCodeDeploy, startDetachedCanary } from './codedeploy-detached.js';
import { moveAliasByHand } from './sandbox-control.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A person puts all traffic back on version 1 while a `--detach`ed CodeDeploy deployment runs, and
 * `lshift wait` starts after that (found by a hostile pass, session 63): the wait started from
 * nothing, took the 0% for CodeDeploy's, and CodeDeploy's next step then undid the person's move
 * unsaid. It now knows CodeDeploy's schedule began (AllowTraffic's start) and what the record saw.
 * Linear 10% every 30 minutes at speed 60: 30 real seconds per step, far more than a loaded run needs.
 */
describe('lshift wait started after a move by hand (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('all traffic put back on version 1 before the wait: exit 5, CodeDeploy stopped without rollback, the move kept', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    const sandbox = env;
    const id = await startDetachedCanary(sandbox, 'linear:10%:30m');
    await waitUntil(
      async () => ((await sandbox.status()).additionalWeights['2'] ?? 0) > 0,
      'CodeDeploy at 10%',
    );
    await moveAliasByHand(sandbox, '1');

    const run = await sandbox.cli(['wait', id, '--interval', '1s'], { timeoutMs: 240_000 });
    const out = run.stdout + run.stderr;
    // Before: exit 0 once CodeDeploy's own steps had undone the move (or exit 5 blaming its next step).
    expect(run.code, out).toBe(5);
    expect(out).toContain(
      `a read found it routing all traffic to version 1, while AWS CodeDeploy deployment ${id}`,
    );
    const codeDeploy = sandboxCodeDeploy(sandbox);
    const info = await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }));
    codeDeploy.destroy();
    expect(info.deploymentInfo?.status).toBe('Stopped');
    expect(await sandbox.status()).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});

/**
 * The runs above go through this worker's process (run-cli-in-process.ts; the file is in
 * IN_PROCESS_E2E, vitest.config.ts), each run's owner a process of its own. A sample, each twin
 * on a fresh sandbox, prints and exits as the built CLI started for it.
 */
describe('the runs in this process, against the built CLI', () => {
  it('a sample prints and exits as the built CLI started for it', async () => {
    const fresh = freshSandbox({ preset: 'healthy', speed: 60 });
    await expectSameRunAsBuiltCli([
      {
        args: [
          'deploy',
          'demo',
          '--engine',
          'codedeploy',
          '--strategy',
          'canary:10%:5m',
          '--no-analysis',
          '--json',
        ],
        fresh,
      },
    ]);
  });
});
