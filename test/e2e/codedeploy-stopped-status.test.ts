import { type CodeDeployClient, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { sandboxCodeDeploy, startDetachedCanary } from './codedeploy-detached.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A `--detach`ed CodeDeploy deployment someone stopped on the AWS side without rollback
 * (`aws deploy stop-deployment --no-auto-rollback-enabled`): its alias stays split and nobody
 * drives it. `lshift check` says STALLED (exit 4); `lshift status` said "paused … follow it:
 * lshift wait d-…" and exited 0. Both must say the same. The canary holds 90 simulated minutes.
 */
describe('a detached CodeDeploy deployment stopped without rollback (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  let codeDeploy: CodeDeployClient | undefined;
  afterEach(async () => {
    codeDeploy?.destroy();
    codeDeploy = undefined;
    await env?.stop();
    env = undefined;
  });

  it('lshift status demo: exit 4, STALLED with check’s fix, as lshift check says', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    const id = await startDetachedCanary(env);
    codeDeploy = sandboxCodeDeploy(env);
    await codeDeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }));

    const status = await env.cli(['status', 'demo']);
    expect(status.code, status.stdout + status.stderr).toBe(4);
    expect(status.stdout).toContain(`STALLED: CodeDeploy deployment ${id} Stopped`);
    expect(status.stdout).toContain(
      'alias live routes version 1 (90%) + version 2 (10%) with nobody to finish it',
    );
    expect(status.stdout).toContain('`lshift rollback demo --alias live` puts all traffic back on version 1');
    expect(status.stdout).not.toContain('lshift wait');
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(status, ['status', 'demo'], { env: { LSHIFT_SANDBOX: env.handle.url } });
    const json = await env.cli(['status', 'demo', '--json']);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout).record).toMatchObject({
      phase: 'paused',
      leftSplitByCodeDeploy: true,
      stalled: true,
    });

    const check = await env.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(check.code, check.stdout + check.stderr).toBe(4);
    expect(check.stdout + check.stderr).toContain(
      '`lshift rollback demo --alias live` puts all traffic back on version 1',
    );
  });
});
