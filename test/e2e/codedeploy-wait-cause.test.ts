import { afterEach, describe, expect, it } from 'vitest';
import type { RecordCause } from '../../src/domain/record-cause.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { initCodeDeployGroup } from './codedeploy-detached.js';
import { createSandboxFunction, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** The sandbox clock's speed while the detached deploy runs (its 20-minute canary: a real minute). */
const DEPLOY_SPEED = 20;

/** Re-anchors the sandbox clock at its current simulated time, running at `speed` from now. */
function setSpeed(env: SandboxEnv, speed: number): void {
  env.handle.state.data.clock = { simOriginMs: env.handle.state.simNow(), realOriginMs: Date.now(), speed };
}

/**
 * `lshift wait` closes the record of a detached CodeDeploy deployment with why CodeDeploy rolled it
 * back (`y=`), read from the sandbox's GetDeployment and lifecycle events through the real adapter,
 * and `lshift status` says it — "rolled back", not "by lshift": CodeDeploy ran the hook and put
 * the traffic back.
 */
describe('lshift wait records why CodeDeploy rolled back (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  /** A sandbox whose hook function `hook-check` reports Failed, and demo's CodeDeploy group. */
  async function sandboxWithFailingHook(): Promise<SandboxEnv> {
    const sandbox = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    await createSandboxFunction(sandbox.handle, 'hook-check', { LSHIFT_SANDBOX_HOOK_STATUS: 'Failed' });
    await initCodeDeployGroup(sandbox);
    return sandbox;
  }

  it('an AfterAllowTraffic hook reporting Failed: y=HOOK_FAILED.post, said by status', async () => {
    env = await sandboxWithFailingHook();
    // Detached at its first step: the after-traffic hook runs once CodeDeploy reached 100%, 20
    // simulated minutes after it started. At speed 600 those were 2 real seconds, which a loaded
    // machine's deploy outlasted before it handed off (CodeDeploy failed the hook first: exit 3).
    // So the deploy runs at DEPLOY_SPEED, where they last a real minute; once it has handed off
    // (CodeDeploy at 10%), the clock runs at 600 again and `lshift wait` follows the rest.
    setSpeed(env, DEPLOY_SPEED);
    const deploy = await env.cli([
      ...['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:20m'],
      ...['--post-hook', 'lambda:hook-check', '--no-analysis', '--detach', '--json'],
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);
    const id = JSON.parse(deploy.stdout).codeDeploy.deploymentId as string;
    expect(await env.status()).toMatchObject({ additionalWeights: { '2': 0.1 } });
    setSpeed(env, 600);

    const wait = await env.cli(['wait', id, '--interval', '1s'], { timeoutMs: 240_000 });
    expect(wait.code, wait.stderr + wait.stdout).toBe(3);
    const truth = await env.status();
    expect(truth).toMatchObject({
      functionVersion: '1',
      additionalWeights: {},
      record: { phase: 'rolled-back' },
    });
    expect((truth.record as { cause?: RecordCause }).cause).toEqual({ code: 'HOOK_FAILED', phase: 'post' });

    const status = await env.cli(['status', 'demo']);
    expect(status.stdout).toContain('    rolled back: a post-traffic hook failed\n');
    expect(status.stdout).not.toContain('rolled back by lshift');
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(status, ['status', 'demo'], { env: { LSHIFT_SANDBOX: env.handle.url } });
  });

  // A deploy that follows its CodeDeploy deployment itself names the failed hook as `lshift wait`
  // does: before, its result and record said WEIGHT_WRITE_FAILED, and status "a traffic weight
  // write failed", which sent the reader to permissions instead of the hook. The post hook runs on
  // CodeDeploy's clock: it may fail while lshift still holds 10% (the codedeploy gate sees it) or
  // once lshift follows CodeDeploy to 100% (the driver does); either way it is HOOK_FAILED.
  for (const phase of ['pre', 'post'] as const) {
    it(`deploy following it: CodeDeploy's ${phase}-traffic hook reporting Failed is HOOK_FAILED.${phase}, said by status`, async () => {
      env = await sandboxWithFailingHook();
      const deploy = await env.cli(
        [
          ...['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:20m'],
          ...[`--${phase}-hook`, 'lambda:hook-check', '--no-analysis', '--json'],
        ],
        { timeoutMs: 240_000 },
      );
      expect(deploy.code, deploy.stderr).toBe(3);
      expect(JSON.parse(deploy.stdout).cause).toMatchObject({
        code: 'HOOK_FAILED',
        data: { phase, hooks: ['lambda:hook-check'] },
      });
      const truth = await env.status();
      expect((truth.record as { cause?: RecordCause }).cause).toEqual({ code: 'HOOK_FAILED', phase });
      const status = await env.cli(['status', 'demo']);
      expect(status.stdout).toContain(`    rolled back: a ${phase}-traffic hook failed\n`);
    });
  }
});
