import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift wait <id>` and Ctrl-C: the first signal's notice must say what lshift is about to do.
 * Under `--on-interrupt leave` it said "stopping the deployment safely" and then left CodeDeploy
 * running it: at 3 a.m. an operator reads that the deployment is being stopped when it is not.
 */
describe('lshift wait and a signal (built CLI against the sandbox’s CodeDeploy)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function detachedDeployment(sandbox: SandboxEnv): Promise<string> {
    const init = await sandbox.cli([
      'codedeploy',
      'init',
      'demo',
      '--role',
      'arn:aws:iam::123456789012:role/codedeploy',
    ]);
    expect(init.code, init.stderr).toBe(0);
    const run = await sandbox.cli(
      ['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:30m', '--detach', '--json'],
      { timeoutMs: 120_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout).codeDeploy.deploymentId as string;
  }

  it.each([
    {
      mode: 'leave',
      says: 'no longer following the deployment; AWS CodeDeploy keeps running it',
      stops: 0,
      exit: 0,
    },
    {
      mode: 'rollback',
      says: 'stopping the deployment with auto-rollback (StopDeployment)',
      stops: 1,
      exit: 3,
    },
  ])(
    'SIGINT under --on-interrupt $mode: the notice says “$says”, exit $exit',
    async ({ mode, says, stops, exit }) => {
      env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
      const id = await detachedDeployment(env);
      const run = await env.cli(['wait', id, '--interval', '1s', '--on-interrupt', mode], {
        onSpawn: (child) => void stderrShows(child, `codedeploy: ${id}`).then(() => child.kill('SIGINT')),
        timeoutMs: 240_000,
      });
      expect(run.code, run.stderr).toBe(exit);
      expect(run.stderr).toContain(`SIGINT received: ${says}`);
      const ops = (await (await fetch(`${env.handle.url}/__lshift/operations`)).json()) as Record<
        string,
        number
      >;
      expect(ops.StopDeployment ?? 0).toBe(stops);
      // Its own stop is recorded as an interrupt (`y=INTERRUPTED`), not a stop from outside.
      const record = (await env.status()).record as { phase: string; cause?: unknown } | undefined;
      if (mode === 'rollback')
        expect(record).toMatchObject({ phase: 'rolled-back', cause: { code: 'INTERRUPTED' } });
      else expect(record?.cause).toBeUndefined();
    },
  );
});
