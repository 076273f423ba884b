import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { initCodeDeployGroup } from './codedeploy-detached.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * The CodeDeploy engine's twin of function-deleted.test.ts: the new version trips the alarm,
 * lshift asks CodeDeploy to stop with auto-rollback, and the function is deleted just before
 * that StopDeployment lands (the gate holds it). CodeDeploy's rollback then has no alias to
 * restore. lshift must say so and end `failed` (exit 1, ROLLBACK_TARGET_DELETED) as the lambda
 * engine does: never `unsafe` (exit 4) with fix commands for a function that is gone.
 */
const BAD = { preset: 'bad', speed: 60 } as const;

/** The new version trips the alarm; lshift asks CodeDeploy to stop with rollback. */
const DEPLOY_TRIPS_ALARM = [
  'deploy',
  'demo',
  '--engine',
  'codedeploy',
  '--strategy',
  'canary:10%:30m',
  '--alarm',
  'demo-errors',
  '--no-analysis',
  '--json',
];

/**
 * demo's group made, and from the deployment's start lshift's StopDeployment (the alarm's rollback
 * request) held until the function is deleted; `deleted`: the DELETE's status. In an object: an
 * async function's returned promise would be awaited with it.
 */
async function deleteDuringRollback(sandbox: SandboxEnv): Promise<{ deleted: Promise<number> }> {
  await initCodeDeployGroup(sandbox);
  const { gate } = sandbox.handle.state;
  gate.holdAfter((op) => op === 'CreateDeployment', { only: ['StopDeployment'] });
  const deleted = gate.whenHolding().then(async () => {
    const res = await fetch(`${sandbox.handle.url}/2015-03-31/functions/demo`, { method: 'DELETE' });
    gate.release();
    return res.status;
  });
  return { deleted };
}

describe('the CodeDeploy engine: the function deleted during its rollback (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('ends failed (exit 1): deleted during the rollback, nothing to roll back, no fix command', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, ...BAD });
    const { deleted } = await deleteDuringRollback(env);
    const run = await env.cli(DEPLOY_TRIPS_ALARM, { timeoutMs: 240_000 });

    expect(await deleted).toBe(204);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'failed',
      cause: { code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function', after: { code: 'GATE_FAILED' } } },
    });
    expect(result.reason).toContain('function demo was deleted during the rollback');
    expect(result.fixCommand).toBeUndefined();
    expect(result.rollbackCommand).toBeUndefined();
    expect(run.stdout).not.toMatch(/update-alias|lshift rollback|stop-deployment/);
    expect(run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(env.handle.state.data.functions.demo).toBeUndefined();

    // The run above went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started on a sandbox made alike, says the same.
    const fresh = freshSandbox(BAD, async (sandbox) => {
      void (await deleteDuringRollback(sandbox)).deleted.catch(() => undefined);
      return undefined;
    });
    // Whether a record read lands after the deletion, before the run ends, is timing: on a machine
    // loaded 26× one twin warned of it and the other did not.
    const timed = /warning: could not read the deployment record/;
    await expectBuiltCliRunsAlike(run, DEPLOY_TRIPS_ALARM, { fresh, timed });
  });

  it('deleted mid-hold: one record-write warning, and "deleted during the deployment" (exit 1)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await initCodeDeployGroup(env);
    const { gate } = env.handle.state;
    const url = env.handle.url;
    // The canary holds (CodeDeploy reports it InProgress): after lshift's third poll, the
    // function is deleted before the next poll is answered.
    let polls = 0;
    gate.holdAfter((op) => op === 'GetDeployment' && ++polls === 3, { only: ['GetDeployment'] });
    const deleted = gate.whenHolding().then(async () => {
      const res = await fetch(`${url}/2015-03-31/functions/demo`, { method: 'DELETE' });
      gate.release();
      return res.status;
    });
    const run = await env.cli(
      ['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:5m', '--no-analysis', '--json'],
      { timeoutMs: 240_000 },
    );

    expect(await deleted).toBe(204);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'failed', cause: { code: 'ROLLBACK_TARGET_DELETED' } });
    expect(result.reason).toContain('function demo was deleted during the deployment');
    expect(run.stderr).not.toContain('deleted during the rollback');
    // Every heartbeat after the deletion fails the same way: said once, not once per heartbeat.
    // A single deploy reads its record at every poll: the read may find it before a heartbeat does.
    expect(run.stderr.match(/could not (read|write) the deployment record/g)).toHaveLength(1);
    expect(run.stderr).toContain('function demo no longer exists (FUNCTION_NOT_FOUND)');
  });
});
