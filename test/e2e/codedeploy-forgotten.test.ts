import { type CodeDeployClient, DeleteDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { sandboxCodeDeploy, startDetachedCanary } from './codedeploy-detached.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A detached CodeDeploy deployment whose deployment group was deleted (the real API against the
 * sandbox, which then answers DeploymentDoesNotExistException for it): `lshift wait` and `lshift
 * alias` with the built CLI. The canary holds 90 simulated minutes (90 s at --speed 60), far longer
 * than the few CLI runs between its start and the group's deletion.
 */
describe('a detached CodeDeploy deployment CodeDeploy no longer knows (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  let codeDeploy: CodeDeployClient | undefined;
  afterEach(async () => {
    codeDeploy?.destroy();
    codeDeploy = undefined;
    await env?.stop();
    env = undefined;
  });

  /** Starts the detached canary, then deletes its group as someone cleaning up would. */
  async function detachThenDeleteGroup(beforeDelete?: () => Promise<void>): Promise<string> {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    const id = await startDetachedCanary(env);
    await beforeDelete?.();
    codeDeploy = sandboxCodeDeploy(env);
    await codeDeploy.send(
      new DeleteDeploymentGroupCommand({ applicationName: 'lshift-demo', deploymentGroupName: 'demo-live' }),
    );
    return id;
  }

  it('lshift wait <its id>: exit 4, says CodeDeploy no longer knows it, where the alias is, and names check and rollback', async () => {
    const id = await detachThenDeleteGroup();
    const run = await env!.cli(['wait', id]);
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stderr).toContain('CODEDEPLOY_DEPLOYMENT_FORGOTTEN');
    expect(run.stderr).toContain(`AWS CodeDeploy no longer knows deployment ${id}`);
    expect(run.stderr).toContain('demo:live');
    expect(run.stderr).toContain('version 1 (90%) + version 2 (10%)');
    expect(run.stderr).toContain('`lshift check demo --alias live`');
    expect(run.stderr).toContain('`lshift rollback demo --alias live`');
    const json = await env!.cli(['wait', id, '--json']);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_FORGOTTEN', exitCode: 4 });
    // Nothing was written: the record still waits for check or rollback.
    // (status exits 4 for it: nobody drives it.)
    const status = await env!.cli(['status', 'demo', '--json']);
    expect(status.code).toBe(4);
    expect(JSON.parse(status.stdout).record?.phase).toBe('paused');
    // An id no record names keeps CodeDeploy's words and the mistyped-id hint (exit 1).
    const unknown = await env!.cli(['wait', 'd-ZZZZZZZZZ']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('CODEDEPLOY_DEPLOYMENT_NOT_FOUND');
    expect(unknown.stderr).toContain('Check the deployment id');
  });

  it('lshift status demo: exit 4, says CodeDeploy no longer knows it, where the alias is, and the fix (not "follow it: lshift wait")', async () => {
    const id = await detachThenDeleteGroup();
    const run = await env!.cli(['status', 'demo']);
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stdout).toContain(
      `STALLED: AWS CodeDeploy no longer knows deployment ${id} (DeploymentDoesNotExistException`,
    );
    expect(run.stdout).toContain(
      'nothing drives alias live any more, and it is left at version 1 (90%) + version 2 (10%)',
    );
    expect(run.stdout).toContain('`lshift check demo --alias live`');
    expect(run.stdout).toContain('`lshift rollback demo --alias live` puts all traffic back on version 1');
    expect(run.stdout).not.toContain('lshift wait');
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(run, ['status', 'demo'], { env: { LSHIFT_SANDBOX: env!.handle.url } });
    const json = await env!.cli(['status', 'demo', '--json']);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout).record).toMatchObject({
      phase: 'paused',
      forgottenByCodeDeploy: true,
      stalled: true,
    });
  });

  it('lshift alias demo live 1: goes ahead (refused while CodeDeploy knew it), says CodeDeploy no longer knows it, and closes the record', async () => {
    const id = await detachThenDeleteGroup(async () => {
      const refused = await env!.cli(['alias', 'demo', 'live', '1']);
      expect(refused.code, refused.stdout + refused.stderr).toBe(5);
      expect(refused.stderr).toContain('CODEDEPLOY_DEPLOYMENT_RUNNING');
    });
    const run = await env!.cli(['alias', 'demo', 'live', '1']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`AWS CodeDeploy no longer knows deployment ${id}`);
    expect(run.stdout).toContain('recorded as ended: moved by hand (rolled-back)');
    const status = await env!.status();
    expect(status).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(status.record?.phase).toBe('rolled-back');
  });
});
