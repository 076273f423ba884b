import { StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { sandboxCodeDeploy, startDetachedCanary } from './codedeploy-detached.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift alias` just after someone stopped a `--detach`ed CodeDeploy deployment without its
 * rollback (aws deploy stop-deployment --no-auto-rollback-enabled): CodeDeploy names no rollback
 * of it, and one it may still create (a stop with auto-rollback) is not readable yet. Refused
 * (exit 5) with when to run it again, nothing written; until session 67 it went ahead at once.
 * Speed 1: the refusal must not depend on how long the CLI takes to start (5 sandbox minutes).
 */
describe('lshift alias right after a stop without rollback (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('refuses (exit 5) saying when to run it again, the alias and the record left as they were', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 1 });
    const id = await startDetachedCanary(env);
    const client = sandboxCodeDeploy(env);
    try {
      await client.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }));
    } finally {
      client.destroy();
    }
    const before = env.handle.state.data.functions.demo?.aliases?.live;
    const run = await env.cli(['alias', 'demo', 'live', '1']);

    expect(run.code, run.stderr).toBe(5);
    expect(run.stderr).toContain('CODEDEPLOY_DEPLOYMENT_RUNNING');
    expect(run.stderr).toContain('CodeDeploy names no rollback of it yet');
    expect(run.stderr).toMatch(
      /Run this again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(5 minutes after it ended, and a minute for clocks' skew(, by the sandbox's clock)?\)/,
    );
    expect(run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(env.handle.state.data.functions.demo?.aliases?.live).toEqual(before);
  });
});
